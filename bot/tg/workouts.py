"""Guided workouts in the chat: cards, set logs by reply, rest timer, summary, /today, /history."""

from __future__ import annotations

import logging
from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.domain import progression
from bot.domain.accounts import Units
from bot.domain.lognames import LogLine
from bot.domain.setlog import SetLogError, parse_sets, render_sets
from bot.domain.workouts import Workout, is_general
from bot.services.workouts import NeedsNumbers, NoProgram, Summary, Workouts
from bot.tg import callbacks, schedule_views
from bot.tg.callbacks import LogPick, WorkoutButton
from bot.tg.context import App, Context
from bot.tg.render import esc
from bot.tg.send import send_views
from bot.tg.views import View
from bot.tg.workout_views import Card, SummaryLine, card_view, summary_view, swap_view, understood

log = logging.getLogger(__name__)

LOG_FLOW = "log"


def service(context: Context) -> Workouts:
    """The workout use cases over this app's storage."""
    d = context.bot_data
    return Workouts(
        d.repo, d.schedules, d.workouts, d.reminders, d.library, d.clock, d.default_timezone
    )


async def show_card(message: Message, context: Context, workout: Workout) -> None:
    """Send the current exercise's card, or the summary when the workout is through."""
    svc = service(context)
    item = workout.current
    if item is None:
        await finish(message, context, workout, early=False)
        return
    exercise = context.bot_data.library.exercises[item.exercise_id]
    units = await svc.units(workout.user_id)
    if item.tick_off:  # warm-up, mobility, stretching: nothing to load or to track
        card = Card(workout, item, exercise, None, (0, None), "", [], [], units)
    else:
        target = await svc.target(workout.user_id, item)
        ramp = progression.warmup_ramp(exercise, target.weight_kg, units)
        last = await svc.last_time(workout.user_id, exercise.id)
        reps = (target.reps_min, target.reps_max)
        card = Card(
            workout, item, exercise, target.weight_kg, reps, target.explanation, ramp, last, units
        )
    await send_views(message, [card_view(card)])


async def begin(message: Message, context: Context, user_id: int, session_id: int | None) -> None:
    """Start (or resume) a workout and show its first open exercise."""
    try:
        workout = await service(context).start(user_id, session_id)
    except NoProgram:
        await message.reply_text("You have no program to train from yet. Send /start.")
        return
    await show_card(message, context, workout)


async def today(update: Update, context: Context) -> None:
    """Today's session, the workout in progress, or when the next one is."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    data = context.bot_data
    svc = service(context)
    active = await data.workouts.active(user.id)
    if active is not None:
        await message.reply_text("Your session is in progress. Here is where you are:")
        await show_card(message, context, active)
        return
    if await svc.program(user.id) is None:
        await message.reply_text("You have no program yet. Send /start to get one.")
        return
    tz = await svc.timezone(user.id)
    session = await data.schedules.open_session(user.id)
    local_today = schedule_views.local_day(data.clock(), tz)
    if session is not None and session.on == local_today:
        await begin(message, context, user.id, session.id)
        return
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Train now anyway", callback_data=callbacks.train_now())]]
    )
    await message.reply_text(
        "No session today. " + schedule_views.next_line(session, tz), reply_markup=keyboard
    )


async def train_now(update: Update, context: Context) -> None:
    """The 'Train now anyway' button."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    await query.answer()
    await _drop_keyboard(query.message)
    await begin(query.message, context, user.id, None)


async def on_text(update: Update, context: Context, workout: Workout) -> None:
    """A reply during a workout: the sets done on the current exercise."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    item = workout.current
    assert item is not None
    svc = service(context)
    if item.tick_off:
        if message.text.strip().lower() in {"done", "ok", "okay", "yes", "next", "+"}:
            await show_card(message, context, await svc.tick_off(user.id))
        else:
            await message.reply_text(
                "Tap <b>Done</b> when you have finished this one, or <b>Skip</b>."
            )
        return
    try:
        logged = await svc.log(user.id, message.text)
    except SetLogError as e:
        await message.reply_text(
            f"I couldn't read that: {esc(e.problem)}\nFor example: "
            f"<code>{esc(e.example)}</code>. Nothing was saved."
        )
        return
    await _after_log(message, context, logged.workout, logged, user.id)


async def _after_log(
    message: Message, context: Context, workout: Workout, logged: Any, user_id: int
) -> None:
    units = await service(context).units(user_id)
    await message.reply_text(understood(logged.exercise, logged.sets, units))
    if logged.graduated:
        best = max(s.reps for s in logged.sets)
        await message.reply_text("🎉 " + esc(progression.graduation_message(best)))
    cancel_rest(context, user_id)
    item = workout.current
    if item is not None and item.exercise_id == logged.exercise.id and item.logged:
        start_rest(context, message.chat_id, user_id, workout, item.rest_s)
        await message.reply_text(
            f"{item.logged} of {item.needed} sets logged. I'll ping you when your rest is over."
        )
        return
    await show_card(message, context, workout)


async def on_button(update: Update, context: Context, button: WorkoutButton) -> None:
    """Done / Skip / Swap / End on a workout card."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    svc = service(context)
    active = await context.bot_data.workouts.active(user.id)
    if button.action == "end" and active is not None and active.id == button.workout_id:
        await query.answer("Session ended.")
        await _drop_keyboard(query.message)
        cancel_rest(context, user.id)
        await finish(query.message, context, active, early=True)
        return
    if active is None or active.id != button.workout_id or active.position != button.position:
        await query.answer("That card is out of date; here is where you are.")
        await _drop_keyboard(query.message)
        if active is not None:
            await show_card(query.message, context, active)
        return
    await query.answer()
    if button.action == "swap":
        await send_views(
            query.message, [swap_view(active, await svc.alternatives(user.id, active))]
        )
        return
    await _drop_keyboard(query.message)
    cancel_rest(context, user.id)
    if button.action == "done":
        try:
            result = await svc.as_planned(user.id)
        except NeedsNumbers:
            await query.message.reply_text(
                "I don't know your weight for this one yet, so please reply with what you did, "
                "e.g. <code>3x12 20</code>."
            )
            await show_card(query.message, context, active)
            return
        if isinstance(result, Workout):
            await show_card(query.message, context, result)
        else:
            await _after_log(query.message, context, result.workout, result, user.id)
        return
    if button.action == "skip":
        await show_card(query.message, context, await svc.skip(user.id))
        return
    assert button.exercise_id is not None
    try:
        await show_card(query.message, context, await svc.swap(user.id, button.exercise_id))
    except LookupError:
        await query.message.reply_text("That exercise doesn't suit your answers; pick another.")


async def finish(message: Message, context: Context, workout: Workout, early: bool) -> None:
    """Close the workout and send the summary."""
    svc = service(context)
    summary: Summary = await svc.end(workout.user_id, workout.id, early)
    units = await svc.units(workout.user_id)
    lines = [SummaryLine(ex.name, sets, volume, nxt) for ex, sets, volume, nxt in summary.lines]
    view = summary_view(
        lines,
        summary.records,
        schedule_views.next_line(summary.next_session, summary.timezone),
        units,
        early,
    )
    await send_views(message, [view])


# --- rest timer --------------------------------------------------------------------------


def _rest_job_name(user_id: int) -> str:
    return f"rest-{user_id}"


def cancel_rest(context: Context, user_id: int) -> None:
    """Cancel a running rest timer (the user logged the next set first)."""
    if context.job_queue is None:
        return
    for job in context.job_queue.get_jobs_by_name(_rest_job_name(user_id)):
        job.schedule_removal()


def start_rest(context: Context, chat_id: int, user_id: int, workout: Workout, rest_s: int) -> None:
    """Ping when the prescribed rest is over (job data carries ids, never live objects)."""
    app = cast(App, context.application)  # the typed Application this context belongs to
    job_queue = app.job_queue
    if job_queue is None or rest_s <= 0:
        return
    cancel_rest(context, user_id)
    job_queue.run_once(
        rest_over,
        when=rest_s * context.bot_data.rest_scale,
        chat_id=chat_id,
        user_id=user_id,
        name=_rest_job_name(user_id),
        data={"workout_id": workout.id, "position": workout.position},
    )


async def rest_over(context: Context) -> None:
    """The rest timer fired: say so, if the workout is still where it was."""
    job = context.job
    assert job is not None and job.user_id is not None and job.chat_id is not None
    data: dict[str, int] = job.data  # type: ignore[assignment]
    active = await context.bot_data.workouts.active(job.user_id)
    if active is None or active.id != data["workout_id"] or active.position != data["position"]:
        return
    item = active.current
    name = context.bot_data.library.exercises[item.exercise_id].name if item else "the next set"
    await context.bot.send_message(job.chat_id, f"⏱ Rest is over: next set of {esc(name)}.")


# --- logging outside a workout -----------------------------------------------------------


async def on_log_line(update: Update, context: Context) -> bool:
    """'deadlift 5x5 100' outside a workout; False if the text is no log line."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    svc = service(context)
    line = await svc.read_line(user.id, message.text)
    if line is None:
        line = await _reply_to_reminder(message, context, user.id)
    if line is None:
        return False
    if await svc.program(user.id) is None:
        await message.reply_text("Send /start first, so I know your program.")
        return True
    units = await svc.units(user.id)
    if len(line.candidates) == 1:
        await svc.log_outside(user.id, line.candidates[0], line.sets)
        ex = context.bot_data.library.exercises[line.candidates[0]]
        await message.reply_text(understood(ex, line.sets, units) + " (logged)")
        return True
    data = context.bot_data
    await data.repo.save_conversation(
        user.id, LOG_FLOW, {"sets": render_sets(line.sets, units)}, data.clock()
    )
    rows = [
        [InlineKeyboardButton(data.library.exercises[c].name, callback_data=callbacks.log_pick(c))]
        for c in line.candidates
    ]
    await message.reply_text(
        f"Which exercise was <code>{esc(render_sets(line.sets, units))}</code> for?",
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return True


async def _reply_to_reminder(message: Message, context: Context, user_id: int) -> LogLine | None:
    """Sets typed as a reply to a reminder: the candidates are that session's exercises."""
    original = message.reply_to_message
    if original is None or original.reply_markup is None or message.text is None:
        return None
    session_ids = {
        decoded.session_id
        for row in original.reply_markup.inline_keyboard
        for button in row
        if isinstance(
            decoded := callbacks.decode(str(button.callback_data)), callbacks.ReminderButton
        )
    }
    if len(session_ids) != 1:
        return None
    data = context.bot_data
    session = await data.schedules.session(session_ids.pop())
    if session is None or session.user_id != user_id:
        return None
    program = await data.repo.program(session.program_id)
    day = next((d for d in program.plan.days if d.kind is session.kind), None) if program else None
    if day is None:
        return None
    try:
        sets = parse_sets(message.text, await service(context).units(user_id))
    except SetLogError:
        return None
    ids = [p.exercise.id for p in day.exercises if not is_general(p.exercise.pattern)]
    return LogLine(list(dict.fromkeys(ids)), sets)


async def on_log_pick(update: Update, context: Context, pick: LogPick) -> None:
    """The answer to 'which exercise?'."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    data = context.bot_data
    saved = await data.repo.load_conversation(user.id)
    if saved is None or saved[0] != LOG_FLOW or pick.exercise_id not in data.library.exercises:
        await query.answer("That question is no longer open.")
        await _drop_keyboard(query.message)
        return
    svc = service(context)
    units = await svc.units(user.id)
    sets = parse_sets(str(saved[1]["sets"]), units)
    await svc.log_outside(user.id, pick.exercise_id, sets)
    await data.repo.clear_conversation(user.id)
    await query.answer("Logged.")
    ex = data.library.exercises[pick.exercise_id]
    try:
        await query.message.edit_text(understood(ex, sets, units) + " (logged)", reply_markup=None)
    except TelegramError:
        await query.message.reply_text(understood(ex, sets, units) + " (logged)")


async def units(update: Update, context: Context) -> None:
    """/units kg or /units lb: the unit weights are read and shown in."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    data = context.bot_data
    await data.repo.upsert_user(user.id, message.chat_id, user.first_name or "", data.clock())
    wanted = (context.args or [""])[0].lower().rstrip("s")
    if wanted not in ("kg", "lb"):
        current = await service(context).units(user.id)
        await message.reply_text(
            f"You log weights in <b>{current.value}</b>. Send "
            "<code>/units kg</code> or <code>/units lb</code> to change."
        )
        return
    await data.repo.set_units(user.id, Units(wanted), data.clock())
    await message.reply_text(
        f"Done: weights are now in <b>{wanted}</b>. Numbers without a unit are read as {wanted}."
    )


async def history(update: Update, context: Context) -> None:
    """The last sessions with what was logged."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    svc = service(context)
    recent = await svc.recent(user.id)
    if not recent:
        await message.reply_text("No sessions logged yet. /today starts one.")
        return
    units = await svc.units(user.id)
    lines = ["<b>Your last sessions</b>"]
    for workout, per in recent:
        kind = "Upper back" if workout.kind.value == "upper" else "Lower and middle back"
        lines.append(
            f"\n<b>{schedule_views.day_label(workout.on)}</b> · {kind}"
            + (" (ended early)" if workout.status.value == "ended-early" else "")
        )
        lines += [f"• {esc(name)}: {esc(render_sets(sets, units))}" for name, sets in per]
        if not per:
            lines.append("• nothing logged")
    await send_views(message, [View("\n".join(lines))])


async def _drop_keyboard(message: Message) -> None:
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramError as e:
        log.debug("could not remove a keyboard: %s", e)
