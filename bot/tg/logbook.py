"""Logging outside a guided workout ('deadlift 5x5 100', replies to reminders), /units, /history.

The use cases are in bot/services/freelog.py; this module renders what they return."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.domain.safety import Block
from bot.domain.setrender import render_sets
from bot.i18n import _
from bot.services.freelog import (
    AlreadyLogged,
    AskWeight,
    AskWhich,
    Caution,
    Closed,
    Elsewhere,
    FreeLogged,
    InWorkout,
    NoProgram,
    NotALog,
    Typed,
    Unreadable,
)
from bot.tg import basic, callbacks, target_views
from bot.tg.callbacks import LogPick
from bot.tg.context import Context
from bot.tg.render import esc
from bot.tg.send import drop_keyboard, send_views
from bot.tg.workout_views import understood


async def show_typed(update: Update, context: Context, result: Typed) -> None:
    """What free logging did with a typed line (the writes are committed already)."""
    message = update.effective_message
    assert message is not None
    if isinstance(result, NotALog | Elsewhere | InWorkout):
        await basic.unexpected_input(update, context)
    elif isinstance(result, Unreadable):
        await message.reply_text(
            _(
                "I couldn't read that: {problem}\nFor example: <code>{example}</code>. "
                "Nothing was saved."
            ).format(problem=esc(result.problem), example=esc(result.example))
        )
    elif isinstance(result, NoProgram):
        await message.reply_text(_("Send /start first, so I know your program."))
    elif isinstance(result, AskWhich):
        exercises = context.bot_data.library.exercises
        rows = [
            [InlineKeyboardButton(exercises[c].name, callback_data=callbacks.log_pick(c))]
            for c in result.candidates
        ]
        await message.reply_text(
            _("Which exercise was <code>{sets}</code> for?").format(
                sets=esc(render_sets(result.sets, result.units))
            ),
            reply_markup=InlineKeyboardMarkup(rows),
        )
    else:
        await show_logged(message, result)


async def show_logged(message: Message, result: FreeLogged | AlreadyLogged | AskWeight) -> None:
    """A line logged outside a workout, one already logged, or the weight it still needs."""
    if isinstance(result, AlreadyLogged):
        await message.reply_text(
            target_views.already_text(result.exercise, result.sets, result.units)
        )
    elif isinstance(result, AskWeight):
        q = result.question
        view = target_views.weight_question(q.exercise, q.sets, q.options, q.nonce, q.units)
        await send_views(message, [view])
    else:
        await message.reply_text(
            understood(result.exercise, result.sets, result.units)
            + " "
            + _("(logged)")
            + caution_text(result.caution),
            reply_markup=target_views.edit_button(result.source_id),
        )


def caution_text(caution: Caution) -> str:
    """A plain warning added to a logged line: the user may not train, or not this exercise."""
    if caution.block in (Block.URGENT, Block.REFERRED, Block.MEDICAL_PAUSE):
        return "\n\n" + _(
            "⚠️ Logged, because it happened. But your answers mean no loaded back training "
            "for now. /today says what to do instead."
        )
    check = caution.check
    if check is None or check.allowed:
        return ""
    if check.ruled_out:
        return "\n\n" + _(
            "⚠️ <b>{name} is ruled out for you</b>: {reason}. I've logged it because it "
            "happened, but I won't suggest weights for it. Please talk to your doctor or physio "
            "before doing it again."
        ).format(name=esc(check.exercise.name), reason=esc(check.reason))
    return "\n\n" + _(
        "Note: you told me {name} gives you discomfort, so it isn't in your program. Stop if it "
        "hurts."
    ).format(name=esc(check.exercise.name))


def reminder_session(message: Message) -> int | None:
    """The session whose reminder this message replies to, if it replies to one."""
    original = message.reply_to_message
    if original is None or original.reply_markup is None:
        return None
    session_ids = {
        decoded.session_id
        for row in original.reply_markup.inline_keyboard
        for button in row
        if isinstance(
            decoded := callbacks.decode(str(button.callback_data)), callbacks.ReminderButton
        )
    }
    return session_ids.pop() if len(session_ids) == 1 else None


async def on_log_pick(update: Update, context: Context, pick: LogPick) -> None:
    """The answer to 'which exercise?'."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    result = await context.bot_data.freelog.pick(user.id, pick.exercise_id)
    if isinstance(result, Closed):
        await query.answer(_("That question is no longer open."))
        await drop_keyboard(query.message)
        return
    await query.answer()
    await drop_keyboard(query.message)
    assert not isinstance(result, Elsewhere)  # only an asked-for weight is sent elsewhere
    await show_logged(query.message, result)


async def units(update: Update, context: Context) -> None:
    """/units kg or /units lb: the unit weights are read and shown in."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    wanted = (context.args or [""])[0].lower().rstrip("s")
    answer = await context.bot_data.training.choose_units(
        user.id, message.chat_id, user.first_name or "", wanted
    )
    if not answer.changed:
        current = answer.units
        await message.reply_text(
            _(
                "You log weights in <b>{units}</b>. Send "
                "<code>/units kg</code> or <code>/units lb</code> to change."
            ).format(units=current.value)
        )
        return
    await message.reply_text(
        _(
            "Done: weights are now in <b>{units}</b>. Numbers without a unit are read as {units}."
        ).format(units=wanted)
    )


async def history(update: Update, context: Context) -> None:
    """/history: the last sessions and the sets logged outside them; /history NAME: one exercise."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    svc = context.bot_data.training
    book = context.bot_data.logbook
    units = await svc.units(user.id)
    name = " ".join(context.args or [])
    if name:
        found = await book.of_exercise(user.id, name)
        candidates = found.candidates
        if not candidates:
            await message.reply_text(
                _("I don't know an exercise called {name}. /exercises lists them all.").format(
                    name=esc(name)
                )
            )
            return
        if len(candidates) > 1:
            names = ", ".join(context.bot_data.library.exercises[c].name for c in candidates)
            await message.reply_text(
                _("Which one? {names}. Send /history with its name.").format(names=esc(names))
            )
            return
        exercise = context.bot_data.library.exercises[candidates[0]]
        view = target_views.exercise_history_view(exercise, found.days, units)
        await send_views(message, [view])
        return
    log_days = await book.history(user.id)
    if not log_days:
        await message.reply_text(_("Nothing logged yet. /today starts a session."))
        return
    await send_views(message, [target_views.history_view(log_days, units)])
