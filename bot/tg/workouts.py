"""Guided workouts in the chat: cards, set logs by reply, rest timer, summary, /today, /history."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.domain import progression, warmup
from bot.domain import workouts as wk
from bot.domain.lognames import other_exercise
from bot.domain.models import DayKind
from bot.domain.setlog import SetLogError
from bot.domain.starts import starting_weights
from bot.domain.targets import Target
from bot.domain.workouts import Workout
from bot.i18n import _, current_language, ngettext, use_language
from bot.services.logged import AlreadyLogged, NeedsWeight, plannable
from bot.services.workouts import Logged, NeedsNumbers, NoProgram, Summary, Workouts
from bot.tg import callbacks, schedule_views, target_views
from bot.tg import safety as safety_tg
from bot.tg.callbacks import WorkoutButton
from bot.tg.context import App, Context
from bot.tg.logsource import ask_weight, source_of
from bot.tg.render import esc
from bot.tg.send import drop_keyboard, send_views
from bot.tg.workout_views import (
    Card,
    SummaryLine,
    card_view,
    closed_view,
    summary_view,
    swap_view,
    understood,
)

log = logging.getLogger(__name__)
# Words that tick off a warm-up or stretch, in English and Russian.
DONE_WORDS = {
    *("done", "ok", "okay", "yes", "next", "+"),
    *("готово", "ок", "да", "дальше", "сделал", "сделала"),
}


def service(context: Context) -> Workouts:
    """The workout use cases over this app's storage."""
    d = context.bot_data
    return Workouts(
        d.repo, d.schedules, d.workouts, d.reminders, d.library, d.clock, d.default_timezone
    )


async def show_card(message: Message, context: Context, workout: Workout) -> None:
    """Send the current exercise's card, or the summary when the workout is through."""
    svc = service(context)
    workout = await _without_ruled_out(message, context, workout)
    item = workout.current
    if item is None:
        await finish(message, context, workout, early=False)
        return
    exercise = context.bot_data.library.exercises[item.exercise_id]
    units = await svc.units(workout.user_id)
    if item.tick_off:  # warm-up, mobility, stretching: nothing to load or to track
        card = Card(workout, item, exercise, None, (0, None), "", [], [], units)
    else:
        target = await svc.target(workout.user_id, item, workout.light)
        ramp = warmup.warmup_ramp(exercise, target.weight_kg, units)
        last = await svc.last_time(workout.user_id, exercise.id, workout.id)
        reps = (target.reps_min, target.reps_max)
        card = Card(
            workout, item, exercise, target.weight_kg, reps, target.explanation, ramp, last, units
        )
        card = await _with_targets(svc, card, target)
    await send_views(message, [card_view(card)])


async def _with_targets(svc: Workouts, card: Card, target: Target) -> Card:
    """The card's rep targets, first weights to pick from, and whether 'Done as planned' fits."""
    starts: list[float] = []
    if target.weight_kg is None:
        program = await svc.program(card.workout.user_id)
        if program is not None:
            starts = starting_weights(card.exercise, program.profile.level, card.units)
    picking = bool(starts) and target.weight_kg is None
    return replace(
        card,
        rep_targets=target.rep_targets,
        starts=starts,
        plannable=plannable(card.exercise, card.item, target),
        target_note="" if picking else card.target_note,  # the pick line says it already
    )


async def begin(
    message: Message,
    context: Context,
    user_id: int,
    session_id: int | None,
    light: bool = False,
) -> None:
    """Start (or resume) a workout and show its first open exercise; the gate is asked again."""
    gate = await context.bot_data.safety.gate(user_id)
    if not gate.open:
        await safety_tg.refuse(message, context, gate)
        return
    try:
        workout = await service(context).start(user_id, session_id, light=light)
    except NoProgram:
        await message.reply_text(_("You have no program to train from yet. Send /start."))
        return
    await show_card(message, context, workout)


async def resume_active(message: Message, context: Context, user_id: int) -> None:
    """Show where the workout in progress stands, or today's options when there is none."""
    active = await context.bot_data.workouts.active(user_id)
    if active is not None:
        await show_card(message, context, active)
        return
    await today_for(message, context, user_id)


async def today(update: Update, context: Context) -> None:
    """Today's session, the workout in progress, or when the next one is."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await today_for(message, context, user.id)


async def today_for(message: Message, context: Context, user_id: int) -> None:
    """/today for one user: the gate, then the session in progress, today's, or what fits."""
    data = context.bot_data
    gate = await data.safety.gate(user_id)
    if not gate.open:
        await safety_tg.refuse(message, context, gate)
        return
    active = await data.workouts.active(user_id)
    if active is not None:
        await message.reply_text(_("Your session is in progress. Here is where you are:"))
        await show_card(message, context, active)
        return
    svc = service(context)
    tz = await svc.timezone(user_id)
    session = await data.schedules.open_session(user_id)
    local_today = schedule_views.local_day(data.clock(), tz)
    if session is not None and session.on == local_today:
        await safety_tg.ask_back_check(message, context, session.id)
        return
    fits = await data.safety.train_today(user_id)
    nxt = schedule_views.next_line(session, tz)
    if fits.kind is None:
        await message.reply_text(
            _("No session today. {why}").format(why=esc(fits.why)) + "\n" + nxt
        )
        return
    upper = fits.kind is DayKind.UPPER
    label = _("Train now: upper back") if upper else _("Train now: lower and middle back")
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=callbacks.train_now())]]
    )
    rested = (
        _(
            "No session today. {next}\nYou're rested, so you can train now: it would be your "
            "upper-back day, and the plan moves on from there."
        )
        if upper
        else _(
            "No session today. {next}\nYou're rested, so you can train now: it would be your "
            "lower- and middle-back day, and the plan moves on from there."
        )
    )
    await message.reply_text(rested.format(next=nxt), reply_markup=keyboard)


async def train_now(update: Update, context: Context) -> None:
    """The 'Train now' button: only when the rest rule allows it today."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    await query.answer()
    await drop_keyboard(query.message)
    data = context.bot_data
    gate = await data.safety.gate(user.id)
    if not gate.open:
        await safety_tg.refuse(query.message, context, gate)
        return
    if await data.safety.in_progress(user.id) is not None:
        await resume_active(query.message, context, user.id)
        return
    fits = await data.safety.train_today(user.id)
    if fits.kind is None:
        await query.message.reply_text(esc(fits.why))
        return
    await safety_tg.ask_back_check(query.message, context, None)


async def _without_ruled_out(message: Message, context: Context, workout: Workout) -> Workout:
    """Skip what the user's answers now rule out (they changed mid-session), and say so."""
    data = context.bot_data
    checks = {c.exercise.id: c for c in await data.safety.checks(workout.user_id)}
    updated, dropped = wk.skip_ruled_out(workout, {i for i, c in checks.items() if not c.allowed})
    if not dropped:
        return workout
    await data.workouts.save(updated, data.clock())
    lines = [f"⛔ {esc(checks[i].exercise.name)}: {esc(checks[i].reason)}" for i in dropped]
    await message.reply_text(
        _("Your answers changed, so I've taken these out of today's session:")
        + "\n"
        + "\n".join(lines)
    )
    return updated


async def on_text(update: Update, context: Context, workout: Workout) -> None:
    """A reply during a workout: the sets done on the current exercise."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    svc = service(context)
    cleaned = await _without_ruled_out(message, context, workout)
    if cleaned is not workout:  # the sets were meant for an exercise no longer allowed
        await message.reply_text(_("Nothing was logged. Here is where you are now:"))
        await show_card(message, context, cleaned)
        return
    item = workout.current
    assert item is not None
    if item.tick_off:
        if message.text.strip().lower() in DONE_WORDS:
            await show_card(message, context, await svc.tick_off(user.id))
        else:
            await message.reply_text(
                _("Tap <b>Done</b> when you have finished this one, or <b>Skip</b>.")
            )
        return
    try:
        logged = await svc.log(user.id, message.text, source_of(update))
    except NeedsWeight as asked:
        await ask_weight(message, context, svc, user.id, asked, source_of(update))
        return
    except AlreadyLogged as e:
        units = await svc.units(user.id)
        await message.reply_text(target_views.already_text(e.exercise, e.sets, units))
        return
    except SetLogError as e:
        exercises = context.bot_data.library.exercises
        units = await svc.units(user.id)
        other = other_exercise(message.text, list(exercises.values()), units, item.exercise_id)
        hint = target_views.elsewhere_hint(
            exercises[other] if other else None, exercises[item.exercise_id]
        )
        await message.reply_text(
            _(
                "I couldn't read that: {problem}\nFor example: <code>{example}</code>. "
                "Nothing was saved."
            ).format(problem=esc(e.problem), example=esc(e.example))
            + hint
        )
        return
    await after_log(message, context, logged.workout, logged, user.id)


async def on_other(update: Update, context: Context, workout: Workout) -> None:
    """A sticker or photo mid-session: nothing is lost; show where the session is."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(_("I can only read text and button taps here. You are still on:"))
    await show_card(message, context, workout)


async def after_log(
    message: Message, context: Context, workout: Workout, logged: Logged, user_id: int
) -> None:
    """Confirm what was logged (with 'Edit'), then the rest timer or the next card."""
    units = await service(context).units(user_id)
    await message.reply_text(
        understood(logged.exercise, logged.sets, units),
        reply_markup=target_views.edit_button(logged.source_id),
    )
    if logged.graduated:
        best = max(s.reps for s in logged.sets)
        await message.reply_text("🎉 " + esc(progression.graduation_message(best)))
    cancel_rest(context, user_id)
    item = workout.current
    if item is not None and item.exercise_id == logged.exercise.id and item.logged:
        start_rest(context, message.chat_id, user_id, workout, item.rest_s)
        await message.reply_text(
            ngettext(
                "{logged} of {needed} set logged. I'll ping you when your rest is over.",
                "{logged} of {needed} sets logged. I'll ping you when your rest is over.",
                item.needed,
            ).format(logged=item.logged, needed=item.needed)
        )
        return
    await show_card(message, context, workout)


async def on_button(update: Update, context: Context, button: WorkoutButton) -> None:
    """Done / Skip / Swap / End on a workout card."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    svc = service(context)
    if button.action == "pain-swap":
        gate = await context.bot_data.safety.gate(user.id)
        if not gate.open:
            await query.answer()
            await drop_keyboard(query.message)
            await safety_tg.refuse(query.message, context, gate)
            return
        await safety_tg.on_pain_swap(update, context, button)
        return
    active = await context.bot_data.workouts.active(user.id)
    if button.action == "end" and active is not None and active.id == button.workout_id:
        await query.answer(_("Session ended."))
        await drop_keyboard(query.message)
        cancel_rest(context, user.id)
        await finish(query.message, context, active, early=True)
        return
    if active is None or active.id != button.workout_id or active.position != button.position:
        await query.answer(_("That card is out of date; here is where you are."))
        await drop_keyboard(query.message)
        if active is not None:
            await show_card(query.message, context, active)
        return
    if button.action == "hurt":
        await safety_tg.on_pain(update, context, button)
        return
    gate = await context.bot_data.safety.gate(user.id)
    if not gate.open:  # the answers changed mid-session: only ending it is left
        await query.answer()
        await drop_keyboard(query.message)
        await safety_tg.refuse(query.message, context, gate)
        return
    await query.answer()
    if button.action == "next":
        await drop_keyboard(query.message)
        await show_card(query.message, context, active)
        return
    if button.action == "swap":
        item = active.current
        ruled_out = (
            await context.bot_data.safety.ruled_out_alternatives(user.id, item.exercise_id)
            if item is not None
            else []
        )
        options = await svc.alternatives(user.id, active)
        await send_views(query.message, [swap_view(active, options, ruled_out)])
        return
    await drop_keyboard(query.message)
    cancel_rest(context, user.id)
    if button.action == "done":
        try:
            result = await svc.as_planned(user.id, source_of(update))
        except AlreadyLogged:
            return  # the same tap delivered twice: it was logged the first time
        except NeedsNumbers:
            await query.message.reply_text(
                _(
                    "I don't know your weight for this one yet, so please reply with what you "
                    "did, e.g. <code>3x12 20</code>."
                )
            )
            await show_card(query.message, context, active)
            return
        if isinstance(result, Workout):
            await show_card(query.message, context, result)
        else:
            await after_log(query.message, context, result.workout, result, user.id)
        return
    if button.action == "skip":
        await show_card(query.message, context, await svc.skip(user.id))
        return
    assert button.exercise_id is not None
    try:
        await show_card(query.message, context, await svc.swap(user.id, button.exercise_id))
    except LookupError:
        await query.message.reply_text(_("That exercise doesn't suit your answers; pick another."))


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


async def close_stale(app: App) -> int:
    """At the end of a user's local day, close a workout left open and tell them once."""
    d = app.bot_data
    svc = Workouts(
        d.repo, d.schedules, d.workouts, d.reminders, d.library, d.clock, d.default_timezone
    )
    closed = await svc.close_stale()
    for summary in closed:
        user = await d.repo.get_user(summary.workout.user_id)
        if user is None:
            continue
        units = await svc.units(user.id)
        lines = [SummaryLine(ex.name, sets, volume, nxt) for ex, sets, volume, nxt in summary.lines]
        view = closed_view(
            summary.workout,
            lines,
            schedule_views.next_line(summary.next_session, summary.timezone),
            units,
            schedule_views.local_day(d.clock(), summary.timezone),
        )
        try:
            await app.bot.send_message(user.chat_id, view.text)
        except TelegramError:
            log.info("could not tell a user their open session was closed", exc_info=True)
    return len(closed)


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
        # The timer fires outside any update: it carries the language to ping in.
        data={"workout_id": workout.id, "position": workout.position, "lang": current_language()},
    )


async def rest_over(context: Context) -> None:
    """The rest timer fired: say so, if the workout is still where it was."""
    job = context.job
    assert job is not None and job.user_id is not None and job.chat_id is not None
    data: dict[str, int | str] = job.data  # type: ignore[assignment]
    active = await context.bot_data.workouts.active(job.user_id)
    if active is None or active.id != data["workout_id"] or active.position != data["position"]:
        return
    item = active.current
    with use_language(str(data.get("lang") or current_language())):
        name = context.bot_data.library.exercises[item.exercise_id].name if item else None
        text = (
            _("Rest is over: next set of {name}.").format(name=esc(name))
            if name is not None
            else _("Rest is over: next set.")
        )
    await context.bot.send_message(job.chat_id, "⏱ " + text)
