"""Logging outside a guided workout ('deadlift 5x5 100', replies to reminders), /units, /history."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.domain.logged import Source
from bot.domain.lognames import LogLine, explain_log_line
from bot.domain.setlog import SetLogError, parse_line, parse_sets, render_sets
from bot.domain.starts import needs_weight
from bot.domain.workouts import is_general
from bot.i18n import _
from bot.services.logged import NeedsWeight
from bot.tg import callbacks, target_views
from bot.tg import safety as safety_tg
from bot.tg.callbacks import LogPick
from bot.tg.context import Context
from bot.tg.logsource import ask_weight, source_of
from bot.tg.render import esc
from bot.tg.send import drop_keyboard, send_views
from bot.tg.workout_views import understood

LOG_FLOW = "log"


async def on_log_line(update: Update, context: Context) -> bool:
    """'deadlift 5x5 100' outside a workout; False if the text is no log line."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    svc = context.bot_data.training
    line = await svc.read_line(user.id, message.text)
    if line is None:
        line = await _reply_to_reminder(message, context, user.id)
    if line is None:
        return await _explain(message, context, user.id)
    if await svc.program(user.id) is None:
        await message.reply_text(_("Send /start first, so I know your program."))
        return True
    units = await svc.units(user.id)
    source = source_of(update)
    if len(line.candidates) == 1:
        await _log_one(message, context, user.id, line.candidates[0], line, source)
        return True
    data = context.bot_data
    state = {"sets": render_sets(line.sets, units), "weighed": line.weighed}
    state |= {"update_id": source.update_id, "chat_id": source.chat_id}
    state |= {"message_id": source.message_id, "text": source.text, "sent_at": source.sent_at}
    await data.repo.save_conversation(user.id, LOG_FLOW, state, data.clock())
    rows = [
        [InlineKeyboardButton(data.library.exercises[c].name, callback_data=callbacks.log_pick(c))]
        for c in line.candidates
    ]
    await message.reply_text(
        _("Which exercise was <code>{sets}</code> for?").format(
            sets=esc(render_sets(line.sets, units))
        ),
        reply_markup=InlineKeyboardMarkup(rows),
    )
    return True


async def _log_one(
    message: Message,
    context: Context,
    user_id: int,
    exercise_id: str,
    line: LogLine,
    source: Source,
) -> None:
    """Log a line for one exercise: asked for a weight if it needs one, never twice."""
    svc = context.bot_data.training
    units = await svc.units(user_id)
    ex = context.bot_data.library.exercises[exercise_id]
    line = LogLine(line.candidates, svc.for_exercise(exercise_id, line.sets), line.weighed)
    done = await svc.already(user_id, source)
    if done is not None:
        await message.reply_text(target_views.already_text(ex, [e.set for e in done], units))
        return
    if needs_weight(ex) and not line.weighed:
        asked = NeedsWeight(ex, line.sets, await svc.known_weight(user_id, ex.id))
        await ask_weight(message, context, svc, user_id, asked, source)
        return
    source_id = await svc.log_outside(user_id, exercise_id, line.sets, source)
    caution = await safety_tg.caution(context, user_id, ex.id)
    await message.reply_text(
        understood(ex, line.sets, units) + " " + _("(logged)") + caution,
        reply_markup=target_views.edit_button(source_id),
    )


async def _explain(message: Message, context: Context, user_id: int) -> bool:
    """Say what was wrong with a line typed outside a session, as a session would."""
    if message.text is None or not _looks_like_a_log(message.text):
        return False
    library = context.bot_data.library
    units = await context.bot_data.training.units(user_id)
    error = explain_log_line(message.text, list(library.exercises.values()), units)
    await message.reply_text(
        _(
            "I couldn't read that: {problem}\nFor example: <code>{example}</code>. "
            "Nothing was saved."
        ).format(problem=esc(error.problem), example=esc(error.example))
    )
    return True


def _looks_like_a_log(text: str) -> bool:
    """Text with a digit in it is someone trying to log; chat without one gets the general hint."""
    return any(ch.isdigit() for ch in text)


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
        parsed = parse_line(message.text, await context.bot_data.training.units(user_id))
    except SetLogError:
        return None
    ids = [p.exercise.id for p in day.exercises if not is_general(p.exercise.pattern)]
    return LogLine(list(dict.fromkeys(ids)), parsed.sets, parsed.weighed)


async def on_log_pick(update: Update, context: Context, pick: LogPick) -> None:
    """The answer to 'which exercise?'."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    data = context.bot_data
    saved = await data.repo.load_conversation(user.id)
    if saved is None or saved.flow != LOG_FLOW or pick.exercise_id not in data.library.exercises:
        await query.answer(_("That question is no longer open."))
        await drop_keyboard(query.message)
        return
    svc = context.bot_data.training
    units = await svc.units(user.id)
    state = saved.state
    sets = parse_sets(str(state["sets"]), units)
    await data.repo.clear_conversation(user.id)
    await query.answer()
    await drop_keyboard(query.message)
    source = Source(
        state.get("update_id"),
        state.get("chat_id"),
        state.get("message_id"),
        str(state.get("text", "")),
        state.get("sent_at"),
    )
    line = LogLine([pick.exercise_id], sets, bool(state.get("weighed", True)))
    await _log_one(query.message, context, user.id, pick.exercise_id, line, source)


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
