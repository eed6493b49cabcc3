"""Guided workouts in the chat: cards, set logs by reply, rest timer, summary, /today, /history."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.domain import progression
from bot.domain.accounts import Units
from bot.domain.models import DayKind
from bot.domain.workouts import Workout
from bot.i18n import _, ngettext, use_language
from bot.services.cards import Card
from bot.services.freelog_types import AskWeight
from bot.services.logfix import InWorkoutTyped, Refused
from bot.services.logset import (
    FirstWeight,
    NoPlan,
    Repeated,
    Rest,
    RuledOut,
    SetLogged,
    TapDone,
    TickedOff,
    Unreadable,
    WeightNeeded,
)
from bot.services.summary import Summary
from bot.services.workouts import NoProgram
from bot.tg import callbacks, schedule_views, target_views
from bot.tg import safety as safety_tg
from bot.tg.callbacks import WorkoutButton
from bot.tg.context import App, Context
from bot.tg.logsource import ask_weight, source_of
from bot.tg.render import esc
from bot.tg.rest import cancel_rest as cancel_rest  # also ended from the safety flow
from bot.tg.rest import start_rest
from bot.tg.send import drop_keyboard, send_views
from bot.tg.views import View
from bot.tg.workout_views import (
    card_view,
    closed_view,
    ruled_out_text,
    summary_view,
    swap_view,
    understood,
)

log = logging.getLogger(__name__)


async def show_card(message: Message, context: Context, workout: Workout) -> None:
    """Send the current exercise's card, or the summary when the workout is through."""
    workout = await _without_ruled_out(message, context, workout)
    card = await context.bot_data.training.card(workout)
    if card is None:
        await finish(message, context, workout, early=False)
        return
    await send_views(message, [card_view(card)])


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
        workout = await context.bot_data.training.start(user_id, session_id, light=light)
    except NoProgram:
        await message.reply_text(_("You have no program to train from yet. Send /start."))
        return
    await show_card(message, context, workout)


async def resume_active(message: Message, context: Context, user_id: int) -> None:
    """Show where the workout in progress stands, or today's options when there is none."""
    active = await context.bot_data.safety.active(user_id)
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
    now = await context.bot_data.today.today(user_id)
    if not now.gate.open:
        await safety_tg.refuse(message, context, now.gate)
        return
    if now.active is not None:
        await message.reply_text(_("Your session is in progress. Here is where you are:"))
        await show_card(message, context, now.active)
        return
    if now.due_today and now.session is not None:
        await safety_tg.ask_back_check(message, context, now.session.id)
        return
    fits = now.fits
    assert fits is not None
    nxt = schedule_views.next_line(now.session, now.timezone)
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
    dropped = await context.bot_data.training.drop_ruled_out(workout)
    if dropped.checks:
        await message.reply_text(ruled_out_text(dropped.checks))
    return dropped.workout


async def show_typed(update: Update, context: Context, result: InWorkoutTyped) -> None:
    """What a reply during a workout did: the sets logged, or why not (already committed)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    if isinstance(result, SetLogged):
        await reply_logged(message, context, result)
    elif isinstance(result, Unreadable):
        hint = target_views.elsewhere_hint(result.other, result.current)
        await message.reply_text(
            _(
                "I couldn't read that: {problem}\nFor example: <code>{example}</code>. "
                "Nothing was saved."
            ).format(problem=esc(result.problem), example=esc(result.example))
            + hint
        )
    elif isinstance(result, Repeated):
        await message.reply_text(
            target_views.already_text(result.exercise, result.sets, result.units)
        )
    elif isinstance(result, WeightNeeded):  # not from the use cases, which ask it themselves
        await ask_weight(
            message, context, context.bot_data.training, user.id, result.asked, source_of(update)
        )
    elif isinstance(result, AskWeight):
        q = result.question
        view = target_views.weight_question(q.exercise, q.sets, q.options, q.nonce, q.units)
        await send_views(message, [view])
    elif isinstance(result, Refused):  # the answers changed mid-session: no more loaded sets
        await safety_tg.refuse(message, context, result.gate)
    elif isinstance(result, RuledOut):
        await message.reply_text(ruled_out_text(result.dropped))
        await message.reply_text(_("Nothing was logged. Here is where you are now:"))
        await show_next(message, context, result.next)
    elif isinstance(result, TickedOff):
        await show_next(message, context, result.next)
    elif isinstance(result, FirstWeight):
        await send_views(message, [card_view(result.card)])
    elif isinstance(result, TapDone):
        await message.reply_text(
            _("Tap <b>Done</b> when you have finished this one, or <b>Skip</b>.")
        )
    else:  # the session ended between the router's look and this one
        await today_for(message, context, user.id)


async def show_next(message: Message, context: Context, shown: Card | Summary) -> None:
    """The next exercise's card, or the summary of a workout that is through."""
    if isinstance(shown, Card):
        await send_views(message, [card_view(shown)])
        return
    units = await context.bot_data.training.units(shown.workout.user_id)
    await send_views(message, [_summary(shown, units, early=False)])


async def on_other(update: Update, context: Context, workout: Workout) -> None:
    """A sticker or photo mid-session: nothing is lost; show where the session is."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(_("I can only read text and button taps here. You are still on:"))
    await show_card(message, context, workout)


async def reply_logged(message: Message, context: Context, result: SetLogged) -> None:
    """Confirm what was logged (with 'Edit'), then the rest timer or the next card."""
    logged, user_id = result.logged, result.logged.workout.user_id
    await message.reply_text(
        understood(logged.exercise, logged.sets, result.units),
        reply_markup=target_views.edit_button(logged.source_id),
    )
    if logged.graduated:
        best = max(s.reps for s in logged.sets)
        await message.reply_text("🎉 " + esc(progression.graduation_message(best)))
    cancel_rest(context, user_id)
    nxt = result.next
    if isinstance(nxt, Rest):
        start_rest(context, message.chat_id, user_id, nxt.workout, nxt.rest_s)
        await message.reply_text(
            ngettext(
                "{logged} of {needed} set logged. I'll ping you when your rest is over.",
                "{logged} of {needed} sets logged. I'll ping you when your rest is over.",
                nxt.needed,
            ).format(logged=nxt.logged, needed=nxt.needed)
        )
        return
    await show_next(message, context, nxt)


async def on_button(update: Update, context: Context, button: WorkoutButton) -> None:
    """Done / Skip / Swap / End on a workout card."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    svc = context.bot_data.training
    # 'hurt' and 'pain-swap' go to bot/tg/backcheck.py from the router.
    active = await context.bot_data.safety.active(user.id)
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
        done = await context.bot_data.setlog.as_planned(user.id, source_of(update))
        if isinstance(done, NoPlan):
            await query.message.reply_text(
                _(
                    "I don't know your weight for this one yet, so please reply with what you "
                    "did, e.g. <code>3x12 20</code>."
                )
            )
            await show_card(query.message, context, active)
        elif isinstance(done, SetLogged):
            await reply_logged(query.message, context, done)
        elif isinstance(done, TickedOff):
            await show_next(query.message, context, done.next)
        # Repeated: the same tap delivered twice, logged the first time; NoWorkout: ended.
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
    svc = context.bot_data.training
    summary = await svc.end(workout.user_id, workout.id, early)
    units = await svc.units(workout.user_id)
    await send_views(message, [_summary(summary, units, early)])


def _summary(summary: Summary, units: Units, early: bool) -> View:
    next_line = schedule_views.next_line(summary.next_session, summary.timezone)
    return summary_view(summary.lines, summary.records, next_line, units, early)


async def close_stale(app: App) -> int:
    """At the end of a user's local day, close a workout left open and tell them once."""
    d = app.bot_data
    svc = d.training
    closed = await svc.close_stale()
    for summary in closed:
        user = await d.repo.get_user(summary.workout.user_id)
        if user is None:
            continue
        with use_language(await d.languages.for_user(user.id)):
            view = closed_view(
                summary.workout,
                summary.lines,
                schedule_views.next_line(summary.next_session, summary.timezone),
                user.units,
                schedule_views.local_day(d.clock(), summary.timezone),
            )
        try:
            await app.bot.send_message(user.chat_id, view.text)
        except TelegramError:
            log.info("could not tell a user their open session was closed", exc_info=True)
    return len(closed)
