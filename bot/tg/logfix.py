"""Fixing the log in the chat: undo, edits, 'Edit' taps, asked-for weights, first weights."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.domain.logged import Source
from bot.domain.setlog import LoggedSet, SetLogError, parse_sets
from bot.domain.weights import parse_weight
from bot.domain.workouts import Workout
from bot.i18n import _, ngettext
from bot.services.logbook import NotLogged
from bot.services.logset import SetLogged
from bot.tg import safety as safety_tg
from bot.tg import target_views
from bot.tg.callbacks import EditLine, StartWeight, WeightAnswer
from bot.tg.context import Context
from bot.tg.logsource import WEIGHT_FLOW
from bot.tg.render import esc
from bot.tg.rest import cancel_rest
from bot.tg.send import drop_keyboard, send_views
from bot.tg.workout_views import understood
from bot.tg.workouts import reply_logged, show_card

RETYPE_FLOW = "retype"  # 'Edit' was tapped: waiting for the corrected line
UNDO_WORDS = {"undo", "/undo", "отмена", "отменить"}


async def undo(update: Update, context: Context) -> None:
    """/undo or 'undo': take back the last set (in a session) or the last line logged outside."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    saved = await context.bot_data.repo.load_conversation(user.id)
    if saved is not None and saved.flow in (WEIGHT_FLOW, RETYPE_FLOW):
        await context.bot_data.repo.clear_conversation(user.id)
    done = await context.bot_data.logbook.undo(user.id)
    if done is None:
        active = await context.bot_data.workouts.active(user.id)
        await message.reply_text(
            _("Nothing to undo: no sets logged in this session yet.")
            if active is not None
            else _("Nothing to undo: no sets logged outside a session to take back.")
        )
        return
    units = await context.bot_data.training.units(user.id)
    text = target_views.undone_text(done.exercise, done.sets, units)
    workout = done.workout
    if workout is None:
        await message.reply_text(text)
        return
    cancel_rest(context, user.id)
    item = workout.current
    if item is not None and not done.moved and item.exercise_id == done.exercise.id:
        text += " " + ngettext(
            "{logged} of {needed} set logged.", "{logged} of {needed} sets logged.", item.needed
        ).format(logged=item.logged, needed=item.needed)
    await message.reply_text(text)
    if done.moved:
        await show_card(message, context, workout)


async def on_edited(update: Update, context: Context) -> None:
    """An edited message replaces what it logged; it is never read as new input."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None or not message.text:
        raise ApplicationHandlerStop
    units = await context.bot_data.training.units(user.id)
    try:
        sent_at = int(message.date.timestamp())
        edited = await context.bot_data.logbook.edit(
            sent_at, user.id, message.chat_id, message.message_id, message.text
        )
    except NotLogged:
        await message.reply_text(
            _(
                "I saw that edit, but that message logged no sets, so nothing changed. "
                "To log sets, send them as a new message."
            )
        )
        raise ApplicationHandlerStop from None
    except SetLogError as e:
        await message.reply_text(
            _(
                "I couldn't read the edited message: {problem}\nFor example: "
                "<code>{example}</code>. Your log stays as it was."
            ).format(problem=esc(e.problem), example=esc(e.example))
        )
        raise ApplicationHandlerStop from None
    await message.reply_text(
        target_views.edited_text(edited.exercise, edited.before, edited.after, units)
    )
    if edited.moved and edited.workout is not None:
        await show_card(message, context, edited.workout)
    raise ApplicationHandlerStop


async def on_edit_button(update: Update, context: Context, button: EditLine) -> None:
    """'Edit' on a confirmation: ask for the corrected line."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    source = await context.bot_data.logbook.source_of(user.id, button.source_id)
    if source is None:
        await query.answer(_("That line is no longer in your log."))
        await drop_keyboard(query.message)
        return
    await query.answer()
    data = context.bot_data
    await data.repo.save_conversation(user.id, RETYPE_FLOW, {"source_id": source.id}, data.clock())
    name = data.library.exercises[source.exercise_id].name
    await query.message.reply_text(
        _(
            "Send the corrected line for {name}; it replaces what this message logged. "
            "Send <code>cancel</code> to keep it."
        ).format(name=esc(name))
    )


async def on_retype(update: Update, context: Context, state: dict[str, Any]) -> None:
    """The corrected line after 'Edit'."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    data = context.bot_data
    if message.text.strip().lower() in {"cancel", "/cancel", "keep", "отмена", "оставь"}:
        await data.repo.clear_conversation(user.id)
        await message.reply_text(_("Kept as it was."))
        return
    book = context.bot_data.logbook
    source = await book.source_of(user.id, int(state.get("source_id", 0)))
    if source is None:
        await data.repo.clear_conversation(user.id)
        await message.reply_text(_("That line is no longer in your log; nothing changed."))
        return
    try:
        edited = await book.retype(user.id, source, message.text, end_conversation=True)
    except SetLogError as e:
        await message.reply_text(
            _(
                "I couldn't read that: {problem}\nFor example: <code>{example}</code>. "
                "Your log stays as it was; send the line again, or <code>cancel</code>."
            ).format(problem=esc(e.problem), example=esc(e.example))
        )
        return
    units = await context.bot_data.training.units(user.id)
    await message.reply_text(
        target_views.edited_text(edited.exercise, edited.before, edited.after, units)
    )
    if edited.moved and edited.workout is not None:
        await show_card(message, context, edited.workout)


async def on_start_weight(update: Update, context: Context, button: StartWeight) -> None:
    """A first weight tapped on a workout card."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    active = await context.bot_data.workouts.active(user.id)
    if active is None or active.id != button.workout_id or active.position != button.position:
        await query.answer(_("That card is out of date; here is where you are."))
        await drop_keyboard(query.message)
        if active is not None:
            await show_card(query.message, context, active)
        return
    await query.answer()
    await drop_keyboard(query.message)
    if await _refused(query.message, context, user.id):
        return
    await start_at(query.message, context, active, button.weight_kg)


async def start_at(message: Message, context: Context, workout: Workout, weight_kg: float) -> None:
    """Use a first weight for the current exercise and show the card again."""
    item = workout.current
    assert item is not None
    await context.bot_data.training.set_start(workout.user_id, item, weight_kg)
    await show_card(message, context, workout)


async def on_weight_text(update: Update, context: Context, state: dict[str, Any]) -> bool:
    """A typed answer to 'what weight?'; False (and the question dropped) if it is not one."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    kg = parse_weight(message.text, await context.bot_data.training.units(user.id))
    active = await context.bot_data.workouts.active(user.id)
    where = (active.id, active.position) if active is not None else (None, None)
    moved_on = state["workout_id"] is not None and where != (state["workout_id"], state["position"])
    if kg is None or moved_on:  # a new line, or the session went on: the question is dropped
        await context.bot_data.repo.clear_conversation(user.id)
        return False
    await _log_pending(message, context, user.id, state, kg)
    return True


async def on_weight_answer(update: Update, context: Context, button: WeightAnswer) -> None:
    """A tapped answer to 'what weight?'."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    saved = await context.bot_data.repo.load_conversation(user.id)
    if saved is None or saved.flow != WEIGHT_FLOW or saved.state.get("nonce") != button.nonce:
        await query.answer(_("That question is no longer open."))
        await drop_keyboard(query.message)
        return
    await query.answer()
    await drop_keyboard(query.message)
    await _log_pending(query.message, context, user.id, saved.state, button.weight_kg)


async def _log_pending(
    message: Message, context: Context, user_id: int, state: dict[str, Any], kg: float
) -> None:
    data = context.bot_data
    svc = context.bot_data.training
    units = await svc.units(user_id)
    await data.repo.clear_conversation(user_id)
    sets: list[LoggedSet] = parse_sets(str(state["sets"]), units)
    source = Source(
        state["update_id"],
        state["chat_id"],
        state["message_id"],
        str(state["text"]),
        state.get("sent_at"),
    )
    exercise = data.library.exercises[str(state["exercise_id"])]
    weighed = [s.model_copy(update={"weight_kg": kg, "added": False}) for s in sets]
    if state["workout_id"] is None:
        source_id = await svc.log_outside(user_id, exercise.id, weighed, source)
        caution = await safety_tg.caution(context, user_id, exercise.id)
        await message.reply_text(
            understood(exercise, weighed, units) + " " + _("(logged)") + caution,
            reply_markup=target_views.edit_button(source_id),
        )
        return
    if await _refused(message, context, user_id):
        return
    active = await data.workouts.active(user_id)
    if active is None or (active.id, active.position) != (state["workout_id"], state["position"]):
        await message.reply_text(
            _("That session has moved on, so nothing was saved; send the sets again.")
        )
        return
    done = await data.setlog.at_weight(user_id, sets, kg, source)
    if isinstance(done, SetLogged):
        await reply_logged(message, context, done)


async def on_log_text(update: Update, context: Context) -> bool:
    """Text the log is waiting for: 'undo', a weight asked for, a corrected line, a first weight.

    False when it is none of these, and the text goes on to the workout or the free log.
    """
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    if message.text.strip().lower() in UNDO_WORDS:
        await undo(update, context)
        return True
    saved = await context.bot_data.repo.load_conversation(user.id)
    if saved is not None and saved.flow == WEIGHT_FLOW:
        if await on_weight_text(update, context, saved.state):
            return True
    elif saved is not None and saved.flow == RETYPE_FLOW:
        await on_retype(update, context, saved.state)
        return True
    return False  # sets, or a first weight, for the workout: SetLog.typed reads those


async def _refused(message: Message, context: Context, user_id: int) -> bool:
    """Whether the safety gate is closed now (then the user is told why); sets wait."""
    gate = await context.bot_data.safety.gate(user_id)
    if gate.open:
        return False
    await safety_tg.refuse(message, context, gate)
    return True


async def records(update: Update, context: Context) -> None:
    """/records: personal records per exercise."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    per = await context.bot_data.logbook.records(user.id)
    await send_views(message, [target_views.records_view(per)])
