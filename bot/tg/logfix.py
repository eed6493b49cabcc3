"""Fixing the log in the chat: undo, edits, 'Edit' taps, asked-for weights, first weights."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.domain.setlog import SetLogError
from bot.i18n import _, ngettext
from bot.services.freelog import Closed, Elsewhere
from bot.services.logbook import NotLogged
from bot.services.logfix import BadLine, Gone, Kept, MovedOn, Refused, Stale
from bot.services.logset import NoWorkout, SetLogged
from bot.tg import safety as safety_tg
from bot.tg import target_views
from bot.tg.callbacks import EditLine, StartWeight, WeightAnswer
from bot.tg.context import Context
from bot.tg.logbook import show_logged
from bot.tg.render import esc
from bot.tg.rest import cancel_rest
from bot.tg.send import drop_keyboard, send_views
from bot.tg.workout_views import ruled_out_text
from bot.tg.workouts import reply_logged, show_card, show_next


async def undo(update: Update, context: Context) -> None:
    """/undo or 'undo': take back the last set (in a session) or the last line logged outside."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    result = await context.bot_data.logfixes.undo(user.id)
    done = result.done
    if done is None:
        await message.reply_text(
            _("Nothing to undo: no sets logged in this session yet.")
            if result.in_workout
            else _("Nothing to undo: no sets logged outside a session to take back.")
        )
        return
    text = target_views.undone_text(done.exercise, done.sets, result.units)
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
    source = await context.bot_data.logfixes.ask_retype(user.id, button.source_id)
    if source is None:
        await query.answer(_("That line is no longer in your log."))
        await drop_keyboard(query.message)
        return
    await query.answer()
    name = context.bot_data.library.exercises[source.exercise_id].name
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
    result = await context.bot_data.logfixes.retype(user.id, state, message.text)
    if isinstance(result, Kept):
        await message.reply_text(_("Kept as it was."))
    elif isinstance(result, Gone):
        await message.reply_text(_("That line is no longer in your log; nothing changed."))
    elif isinstance(result, BadLine):
        await message.reply_text(
            _(
                "I couldn't read that: {problem}\nFor example: <code>{example}</code>. "
                "Your log stays as it was; send the line again, or <code>cancel</code>."
            ).format(problem=esc(result.problem), example=esc(result.example))
        )
    else:
        edited = result.edited
        await message.reply_text(
            target_views.edited_text(edited.exercise, edited.before, edited.after, result.units)
        )
        if edited.moved and edited.workout is not None:
            await show_card(message, context, edited.workout)


async def on_start_weight(update: Update, context: Context, button: StartWeight) -> None:
    """A first weight tapped on a workout card."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    result = await context.bot_data.logfixes.start_weight(
        user.id, button.workout_id, button.position, button.weight_kg
    )
    if isinstance(result, Stale):
        await query.answer(_("That card is out of date; here is where you are."))
        await drop_keyboard(query.message)
        if result.active is not None:
            await show_card(query.message, context, result.active)
        return
    await query.answer()
    await drop_keyboard(query.message)
    if isinstance(result, Refused):
        await safety_tg.refuse(query.message, context, result.gate)
        return
    if result.dropped:
        await query.message.reply_text(ruled_out_text(result.dropped))
    await show_next(query.message, context, result.next)


async def on_weight_answer(update: Update, context: Context, button: WeightAnswer) -> None:
    """A tapped answer to 'what weight?'."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    result = await context.bot_data.freelog.weight_tapped(user.id, button.nonce, button.weight_kg)
    if isinstance(result, Closed):
        await query.answer(_("That question is no longer open."))
        await drop_keyboard(query.message)
        return
    await query.answer()
    await drop_keyboard(query.message)
    if isinstance(result, Elsewhere):
        assert result.weight_kg is not None
        await weight_in_workout(query.message, context, user.id, result.state, result.weight_kg)
        return
    await show_logged(query.message, result)


async def weight_in_workout(
    message: Message, context: Context, user_id: int, state: dict[str, Any], kg: float
) -> None:
    """The weight asked for of sets typed in a workout: log them at it, if still fitting."""
    result = await context.bot_data.logfixes.weight_in_workout(user_id, state, kg)
    if isinstance(result, Refused):
        await safety_tg.refuse(message, context, result.gate)
    elif isinstance(result, MovedOn | NoWorkout):
        await message.reply_text(
            _("That session has moved on, so nothing was saved; send the sets again.")
        )
    elif isinstance(result, SetLogged):
        await reply_logged(message, context, result)


async def records(update: Update, context: Context) -> None:
    """/records: personal records per exercise."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    per = await context.bot_data.logbook.records(user.id)
    await send_views(message, [target_views.records_view(per)])
