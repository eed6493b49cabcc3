"""Logging outside a guided workout ('deadlift 5x5 100', replies to reminders), /units, /history."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.domain.accounts import Units
from bot.domain.lognames import LogLine
from bot.domain.setlog import SetLogError, parse_sets, render_sets
from bot.domain.workouts import is_general
from bot.tg import callbacks, schedule_views
from bot.tg import safety as safety_tg
from bot.tg.callbacks import LogPick
from bot.tg.context import Context
from bot.tg.render import esc
from bot.tg.send import drop_keyboard, send_views
from bot.tg.views import View
from bot.tg.workout_views import understood
from bot.tg.workouts import service

LOG_FLOW = "log"


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
        caution = await safety_tg.caution(context, user.id, ex.id)
        await message.reply_text(understood(ex, line.sets, units) + " (logged)" + caution)
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
        await drop_keyboard(query.message)
        return
    svc = service(context)
    units = await svc.units(user.id)
    sets = parse_sets(str(saved[1]["sets"]), units)
    await svc.log_outside(user.id, pick.exercise_id, sets)
    await data.repo.clear_conversation(user.id)
    await query.answer("Logged.")
    ex = data.library.exercises[pick.exercise_id]
    text = (
        understood(ex, sets, units) + " (logged)" + await safety_tg.caution(context, user.id, ex.id)
    )
    try:
        await query.message.edit_text(text, reply_markup=None)
    except TelegramError:
        await query.message.reply_text(text)


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
