"""The back check and the pain button: the safety answers that start, stop or swap a session."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.domain.safety import Gate
from bot.domain.workouts import Workout
from bot.services.backcheck import CheckAnswer, Outcome
from bot.tg import callbacks, schedule_views, views, workouts
from bot.tg.callbacks import BackCheck, WorkoutButton
from bot.tg.context import Context
from bot.tg.render import esc
from bot.tg.safety import refuse
from bot.tg.send import drop_keyboard

log = logging.getLogger(__name__)


async def on_back_check(update: Update, context: Context, button: BackCheck) -> None:
    """An answer to the back check: train, train lighter, rest, or get help."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    await drop_keyboard(query.message)
    await query.answer()
    answer = await context.bot_data.back_checks.answer(user.id, button.feeling, button.session_id)
    message = query.message
    if answer.outcome is Outcome.PAINFUL:
        await _painful_answer(message, context, answer)
    elif answer.outcome is Outcome.REFUSED:
        await refuse(message, context, answer.gate)
    elif answer.outcome is Outcome.IN_PROGRESS:
        await message.reply_text("Your session is already under way. Here is where you are:")
        await workouts.resume_active(message, context, user.id)
    elif answer.outcome is Outcome.NOT_TODAY:
        await message.reply_text(esc(answer.why))
    elif answer.outcome is Outcome.NO_PROGRAM:
        await message.reply_text("You have no program to train from yet. Send /start.")
    else:
        assert answer.result is not None and answer.workout is not None
        if answer.result.decision.light:
            note = context.bot_data.library.safety.back_check.stiff_note
            await message.reply_text("🟡 " + esc(note))
        await workouts.show_card(message, context, answer.workout)


async def _painful_answer(message: Message, context: Context, answer: CheckAnswer) -> None:
    """'It hurts' or a warning sign: stored, postponed or paused; say what to do."""
    result, running = answer.result, answer.workout
    assert result is not None
    safety = context.bot_data.library.safety
    bc, msg = safety.back_check, safety.messages
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
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    try:
        result = await context.bot_data.safety.pain(user.id, button.workout_id, button.position)
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
    if result.times >= 2 and not result.excluded:
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


async def on_pain_swap(update: Update, context: Context, button: WorkoutButton) -> None:
    """Do the chosen exercise in place of the one that hurt (only while the gate is open)."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    assert button.exercise_id is not None
    try:
        swapped = await context.bot_data.safety.replace_hurt(
            user.id, button.workout_id, button.position, button.exercise_id
        )
    except LookupError:
        await query.answer("That option is no longer open; here is where you are.")
        await drop_keyboard(query.message)
        await workouts.resume_active(query.message, context, user.id)
        return
    await query.answer()
    await drop_keyboard(query.message)
    if isinstance(swapped, Gate):
        await refuse(query.message, context, swapped)
        return
    await workouts.show_card(query.message, context, swapped)
