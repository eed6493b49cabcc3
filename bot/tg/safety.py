"""Safety in the chat: the back check before a session, the pain button, referrals, check-ins."""

from __future__ import annotations

import logging
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden, TelegramError

from bot.domain.safety import BackFeeling, Block, Gate
from bot.domain.sessions import PauseReason
from bot.domain.workouts import Workout
from bot.tg import callbacks, schedule_views, views
from bot.tg.callbacks import BackCheck, ExcludeExercise, WorkoutButton
from bot.tg.context import App, Context
from bot.tg.jobs import every_tick
from bot.tg.render import esc
from bot.tg.send import drop_keyboard, send_views

log = logging.getLogger(__name__)
CHECKIN_JOB = "checkins"
PAINFUL = (BackFeeling.HURTS, BackFeeling.RED_FLAG)


async def refuse(message: Message, context: Context, gate: Gate) -> None:
    """Say why there is no loaded session, and how to come back."""
    if gate.block is Block.NO_PROGRAM:
        await message.reply_text(esc(gate.text))
        return
    view = views.referral(gate, context.bot_data.library)
    if gate.block is Block.MEDICAL_PAUSE:
        cleared = InlineKeyboardButton("A doctor has cleared me", callback_data=callbacks.cleared())
        view = views.View(view.text, InlineKeyboardMarkup([[cleared]]))
    await send_views(message, [view])


async def caution(context: Context, user_id: int, exercise_id: str) -> str:
    """A plain warning to add to a logged line: the user may not train, or not this exercise."""
    data = context.bot_data
    gate = await data.safety.gate(user_id)
    if gate.block in (Block.URGENT, Block.REFERRED, Block.MEDICAL_PAUSE):
        return (
            "\n\n⚠️ Logged, because it happened. But your answers mean no loaded back training "
            "for now. /today says what to do instead."
        )
    check = await data.safety.check(user_id, exercise_id)
    if check is None or check.allowed:
        return ""
    if check.ruled_out:
        return (
            f"\n\n⚠️ <b>{esc(check.exercise.name)} is ruled out for you</b>: "
            f"{esc(check.reason)}. I've logged it because it happened, but I won't suggest "
            "weights for it. Please talk to your doctor or physio before doing it again."
        )
    return (
        f"\n\nNote: you told me {esc(check.exercise.name)} gives you discomfort, so it isn't in "
        "your program. Stop if it hurts."
    )


async def ask_back_check(message: Message, context: Context, session_id: int | None) -> None:
    """'How is your back today?' before any session starts."""
    bc = context.bot_data.library.safety.back_check

    def b(label: str, feeling: BackFeeling) -> list[InlineKeyboardButton]:
        data = callbacks.back_check(feeling.value, session_id)
        return [InlineKeyboardButton(label, callback_data=data)]

    keyboard = InlineKeyboardMarkup(
        [
            b(bc.fine, BackFeeling.FINE),
            b(bc.stiff, BackFeeling.STIFF),
            b(bc.hurts, BackFeeling.HURTS),
            b(bc.red_flag, BackFeeling.RED_FLAG),
        ]
    )
    text = f"<b>{esc(bc.question)}</b>\n\n<i>{esc(bc.warning_signs)}</i>"
    await message.reply_text(text, reply_markup=keyboard)


async def on_back_check(update: Update, context: Context, button: BackCheck) -> None:
    """An answer to the back check: train, train lighter, rest, or get help.

    A painful answer is always stored and acted on, even on an old or repeated question; a
    session only starts when the gate, today's answers and the rest rule all allow it.
    """
    from bot.tg import workouts  # the workout shell starts the session this check allows

    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    data = context.bot_data
    feeling = BackFeeling(button.feeling)
    await drop_keyboard(query.message)
    await query.answer()
    gate = await data.safety.gate(user.id)
    if feeling in PAINFUL and gate.block is not Block.URGENT:
        await _painful_answer(query.message, context, user.id, feeling, button.session_id)
        return
    if not gate.open:
        await refuse(query.message, context, gate)
        return
    if await data.safety.in_progress(user.id) is not None:
        await query.message.reply_text("Your session is already under way. Here is where you are:")
        await workouts.resume_active(query.message, context, user.id)
        return
    fits = await data.safety.train_today(user.id)
    if fits.kind is None:
        await query.message.reply_text(esc(fits.why))
        return
    result = await data.safety.back_check(user.id, feeling, button.session_id)
    if result.decision.light:
        await query.message.reply_text("🟡 " + esc(data.library.safety.back_check.stiff_note))
    await workouts.begin(
        query.message, context, user.id, button.session_id, light=result.decision.light
    )


async def _painful_answer(
    message: Message, context: Context, user_id: int, feeling: BackFeeling, session_id: int | None
) -> None:
    """'It hurts' or a warning sign: store it, postpone or pause, and say what to do."""
    data = context.bot_data
    result = await data.safety.back_check(user_id, feeling, session_id)
    bc, msg = data.library.safety.back_check, data.library.safety.messages
    running = await data.safety.in_progress(user_id)
    if result.decision.pause:
        text = (
            f"{views.URGENT_TITLE}\n\n{esc(msg.urgent)}\n\n{esc(bc.red_flag_note)}"
            f"\n\n<i>{esc(msg.not_a_doctor)}</i>"
        )
        await message.reply_text(text, reply_markup=_end_keyboard(running))
        return
    lines = [esc(bc.hurts_note)]
    if result.moved:
        lines.append(esc(bc.hurts_moved))
    if result.decision.see_doctor:
        lines.append("\n" + esc(bc.hurts_twice))
    if running is not None:
        lines.append("\nYour session is still open: please end it now.")
    elif result.moved:
        lines.append("\n" + schedule_views.next_line(result.next_session, result.timezone))
    await message.reply_text("\n".join(lines), reply_markup=_end_keyboard(running))


def _end_keyboard(running: Workout | None) -> InlineKeyboardMarkup | None:
    """An 'End the session' button when a session is still open."""
    if running is None:
        return None
    data = callbacks.workout(running.id, running.position, "end")
    return InlineKeyboardMarkup([[InlineKeyboardButton("End the session", callback_data=data)]])


async def on_pain(update: Update, context: Context, button: WorkoutButton) -> None:
    """'It hurts' on an exercise card: stop it, record it, offer a safe swap or the end."""
    from bot.tg import workouts

    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    data = context.bot_data
    try:
        result = await data.safety.pain(user.id, button.workout_id, button.position)
    except LookupError:
        await query.answer("That card is out of date; here is where you are.")
        await drop_keyboard(query.message)
        await workouts.resume_active(query.message, context, user.id)
        return
    await query.answer("Stopped.")
    await drop_keyboard(query.message)
    workouts.cancel_rest(context, user.id)
    w, name = result.workout, esc(result.exercise.name)
    lines = [
        f"🛑 <b>{name}</b> stopped, and I've noted that it hurt. Don't push through pain. "
        "If it is sharp, spreads into your leg, or doesn't ease, stop the session and see "
        "a doctor or physio."
    ]
    rows = [
        [
            InlineKeyboardButton(
                f"Do {e.name} instead",
                callback_data=callbacks.workout(w.id, result.hurt_position, "pain-swap", e.id),
            )
        ]
        for e in result.options
    ]
    if result.options:
        lines.append("You can do an exercise that moves differently instead:")
    nxt = "Go on to the next exercise" if w.current is not None else "Finish the session"
    rows.append(
        [InlineKeyboardButton(nxt, callback_data=callbacks.workout(w.id, w.position, "next"))]
    )
    rows.append(
        [InlineKeyboardButton("End the session", callback_data=callbacks.workout(w.id, 0, "end"))]
    )
    await query.message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))
    if result.times >= 2 and result.exercise.id not in await _excluded(context, user.id):
        ask = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        "Yes, leave it out",
                        callback_data=callbacks.exclude_exercise(result.exercise.id, True),
                    ),
                    InlineKeyboardButton(
                        "No, keep it",
                        callback_data=callbacks.exclude_exercise(result.exercise.id, False),
                    ),
                ]
            ]
        )
        await query.message.reply_text(
            f"{name} has hurt you {result.times} times now. Shall I leave it out of your "
            "program from now on? You'd get a new program version without it.",
            reply_markup=ask,
        )


async def _excluded(context: Context, user_id: int) -> frozenset[str]:
    program = await context.bot_data.repo.current_program(user_id)
    return program.profile.excluded if program else frozenset()


async def on_pain_swap(update: Update, context: Context, button: WorkoutButton) -> None:
    """Do the chosen exercise in place of the one that hurt."""
    from bot.tg import workouts

    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    assert button.exercise_id is not None
    try:
        workout = await context.bot_data.safety.replace_hurt(
            user.id, button.workout_id, button.position, button.exercise_id
        )
    except LookupError:
        await query.answer("That option is no longer open; here is where you are.")
        await drop_keyboard(query.message)
        await workouts.resume_active(query.message, context, user.id)
        return
    await query.answer()
    await drop_keyboard(query.message)
    await workouts.show_card(query.message, context, workout)


async def on_exclude(update: Update, context: Context, button: ExcludeExercise) -> None:
    """Yes or no to leaving an exercise that hurt twice out of the program."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    data = context.bot_data
    await drop_keyboard(query.message)
    name = (
        esc(data.library.exercises[button.exercise_id].name)
        if (button.exercise_id in data.library.exercises)
        else "That exercise"
    )
    if not button.confirm:
        await query.answer("Kept.")
        await query.message.reply_text(f"OK, {name} stays in your program. Stop it if it hurts.")
        return
    if await data.safety.exclude(user.id, button.exercise_id):
        await query.answer("Left out.")
        await query.message.reply_text(
            f"Done: {name} is left out from now on. /program shows your new version."
        )
    else:
        await query.answer("Already done.")


async def on_why(message: Message, context: Context, user_id: int) -> None:
    """The full reasons behind the current program."""
    program = await context.bot_data.repo.current_program(user_id)
    if program is None:
        await message.reply_text("You have no program yet. Send /start to get one.")
        return
    await send_views(message, [views.screening_details(program.plan, context.bot_data.library)])


async def on_checkin_request(message: Message, context: Context, user_id: int) -> None:
    """'Check in with me in 3 days' after pain at set-up."""
    await context.bot_data.safety.request_checkin(user_id)
    await message.reply_text(
        f"I'll check in with you in {views.CHECKIN_DAYS} days. Take care of your back until then."
    )


async def on_cleared(message: Message, context: Context, user_id: int) -> None:
    """'A doctor has cleared me' after a medical pause: reminders start again."""
    data = context.bot_data
    saved = await data.schedules.schedule(user_id)
    if saved is None or saved.paused is not PauseReason.MEDICAL:
        await message.reply_text(
            "Your reminders aren't paused for your health. /today shows what's next."
        )
        return
    nxt = await data.safety.cleared(user_id)
    tz = saved.schedule.timezone
    await message.reply_text(
        "Good to hear. Reminders are on again; start gently and stop if anything hurts. "
        + schedule_views.next_line(nxt, tz)
    )


async def send_checkins(app: App) -> int:
    """Send the check-ins that are due; return how many went out."""
    data = app.bot_data
    text = esc(data.library.safety.messages.checkin)
    sent = 0
    for user_id, chat_id in await data.safety.due_checkins():
        try:
            await app.bot.send_message(chat_id, text)
            sent += 1
        except Forbidden:
            log.info("a check-in could not be delivered: the user blocked the bot")
        except TelegramError as e:
            log.warning("a check-in was not delivered (user %d): %s", user_id, e)
    return sent


async def checkin_tick(context: Context) -> None:
    """The repeating job: send the check-ins that are due."""
    await send_checkins(cast(App, context.application))


def schedule_checkins(app: App) -> None:
    """One repeating job sends due check-ins (stored in SQLite, so they survive restarts)."""
    every_tick(app, checkin_tick, CHECKIN_JOB)
