"""The user's own data in Telegram: /export, /import (a file sent to the chat), /calendar,
/delete."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.domain.logfile import LogFileError
from bot.i18n import N_, _, format_full_date, ngettext
from bot.services.export import (
    MAX_IMPORT_BYTES,
    ImportBlocked,
    ImportPreview,
)
from bot.tg import callbacks
from bot.tg.callbacks import DeleteAnswer, ImportAnswer
from bot.tg.context import Context
from bot.tg.render import esc
from bot.tg.send import drop_keyboard

log = logging.getLogger(__name__)
_LIST_MAX = 12
_TABLE_WORDS = {
    "users": N_("your name, timezone and units"),
    "profiles": N_("your answers"),
    "programs": N_("your programs"),
    "conversations": N_("an unfinished conversation"),
    "schedules": N_("your schedule"),
    "sessions": N_("planned and past sessions"),
    "workouts": N_("workouts"),
    "set_logs": N_("logged sets"),
    "log_sources": N_("the messages your sets came from"),
    "targets": N_("next-time targets"),
    "back_checks": N_("back checks"),
    "pain_reports": N_("pain reports"),
    "checkins": N_("a planned check-in"),
    "imports": N_("imports"),
    "weekly_reports": N_("your weekly report setting"),
}


async def export(update: Update, context: Context) -> None:
    """/export: the whole log as Strong's CSV, and everything stored as JSON."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    made = await context.bot_data.own.export(user.id)
    if made is None:
        await message.reply_text(_("I don't store anything about you yet. /start sets you up."))
        return
    await context.bot.send_chat_action(message.chat_id, ChatAction.UPLOAD_DOCUMENT)
    sets = made.sets
    await message.reply_document(
        InputFile(made.csv.encode(), filename="backcoach-log.csv"),
        caption=(
            ngettext(
                "Your log: {n} set(s) in Strong's CSV format. It opens in any spreadsheet and "
                "imports into Strong, Hevy and other apps.",
                "Your log: {n} set(s) in Strong's CSV format. It opens in any spreadsheet and "
                "imports into Strong, Hevy and other apps.",
                sets,
            ).format(n=sets)
            if sets
            else _("Your log in Strong's CSV format (no sets logged yet).")
        ),
    )
    await message.reply_document(
        InputFile(made.json.encode(), filename="backcoach-data.json"),
        caption=_(
            "Everything I store about you: answers, programs, schedule, sessions, sets "
            "and back checks. /delete removes it all."
        ),
    )


async def import_help(update: Update, context: Context) -> None:
    """/import: how to send a Strong or Hevy export."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        _(
            "Send me your export from <b>Strong</b> (Settings → Export data) or <b>Hevy</b> "
            "(Settings → Export &amp; import data → Export workouts) as a file, right here in "
            "the chat (up to {mb} MB). I'll show what I found and save nothing until you say yes."
        ).format(mb=MAX_IMPORT_BYTES // (1024 * 1024))
    )


async def on_document(update: Update, context: Context) -> None:
    """A file sent to the chat: read it as a Strong or Hevy export and show a preview."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None and message.document is not None
    own = context.bot_data.own
    try:
        await own.check_can_import(user.id)
    except ImportBlocked as e:
        if str(e) == "conversation":
            await message.reply_text(
                _("Let's finish the questions first (or /cancel them); then send the file again.")
            )
        else:
            await message.reply_text(_("Send /start first, so your history has a program to join."))
        return
    doc = message.document
    if doc.file_size is not None and doc.file_size > MAX_IMPORT_BYTES:
        await message.reply_text(
            _("That file is {size} MB; I import files up to {mb} MB. Nothing was imported.").format(
                size=f"{doc.file_size / (1024 * 1024):.1f}", mb=MAX_IMPORT_BYTES // (1024 * 1024)
            )
        )
        return
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    try:
        file = await doc.get_file()
        data = bytes(await file.download_as_bytearray())
        preview = await own.preview(user.id, data)
    except LogFileError as e:
        await message.reply_text(
            _(
                "I couldn't import <i>{file}</i>: {problem}. "
                "Nothing was imported. /import says which files work."
            ).format(file=esc(doc.file_name or _("that file")), problem=esc(e))
        )
        return
    except TelegramError as e:
        log.warning("could not fetch an uploaded file: %s", e)
        await message.reply_text(
            _("I couldn't fetch that file from Telegram. Please send it again.")
        )
        return
    await _show_preview(message, context, user.id, preview)


def _more(lines: list[str]) -> list[str]:
    if len(lines) <= _LIST_MAX:
        return lines
    return [*lines[:_LIST_MAX], "• " + _("and {n} more").format(n=len(lines) - _LIST_MAX)]


def preview_text(preview: ImportPreview, names: dict[str, str]) -> str:
    """What an import will bring in, in a few lines."""
    app = "Strong" if preview.source == "strong" else "Hevy"
    sets = ngettext("{n} set(s)", "{n} set(s)", preview.sets).format(n=preview.sets)
    days = ngettext("{n} day(s)", "{n} day(s)", preview.days).format(n=preview.days)
    lines = [
        _("<b>{app} export</b>: {sets} to import on {days}").format(app=app, sets=sets, days=days)
    ]
    if preview.first and preview.last:
        lines[0] += " " + _("({first} to {last})").format(
            first=format_full_date(preview.first), last=format_full_date(preview.last)
        )
    if preview.source == "strong":
        lines.append(
            _("Weights read in <b>{units}</b>, your unit (/units changes it).").format(
                units=preview.units.value
            )
        )
    if preview.mapped:
        lines.append("\n" + _("Matched:"))
        lines += _more([f"• {esc(n)} → {esc(names[i])}" for n, i in sorted(preview.mapped.items())])
    if preview.unmapped:
        lines.append("\n" + _("Not matched, left out:"))
        lines += _more(
            [
                "• "
                + ngettext("{name}: {n} set(s)", "{name}: {n} set(s)", c).format(name=esc(n), n=c)
                for n, c in sorted(preview.unmapped.items())
            ]
        )
    if preview.ruled_out:
        lines.append(
            "\n"
            + _(
                "Your answers rule out {names}: those sets count as history only, and I won't "
                "set you targets for them."
            ).format(names=", ".join(esc(names[i]) for i in preview.ruled_out))
        )
    extra = []
    if preview.skipped_rows:
        extra.append(
            ngettext(
                "{n} row(s) without reps (cardio, timed) or unreadable",
                "{n} row(s) without reps (cardio, timed) or unreadable",
                preview.skipped_rows,
            ).format(n=preview.skipped_rows)
        )
    if preview.duplicates:
        extra.append(
            ngettext(
                "{n} set(s) already in your log",
                "{n} set(s) already in your log",
                preview.duplicates,
            ).format(n=preview.duplicates)
        )
    if extra:
        lines.append("\n" + _("Skipped: {what}.").format(what="; ".join(extra)))
    return "\n".join(lines)


async def _show_preview(
    message: Message, context: Context, user_id: int, preview: ImportPreview
) -> None:
    names = {k: e.name for k, e in context.bot_data.library.exercises.items()}
    text = preview_text(preview, names)
    if preview.sets == 0:  # the preview kept nothing to confirm
        await message.reply_text(text + "\n\n" + _("Nothing new to import, so nothing was saved."))
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ngettext("Import {n} set(s)", "Import {n} set(s)", preview.sets).format(
                        n=preview.sets
                    ),
                    callback_data=callbacks.import_answer(True),
                ),
                InlineKeyboardButton(_("Cancel"), callback_data=callbacks.import_answer(False)),
            ]
        ]
    )
    await message.reply_text(
        text + "\n\n" + _("Imported sets count for your history, records and next targets."),
        reply_markup=keyboard,
    )


async def on_import_answer(update: Update, context: Context, answer: ImportAnswer) -> None:
    """Import or cancel the previewed file."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    own, user_id = context.bot_data.own, query.from_user.id
    await drop_keyboard(query.message)
    if not answer.confirm:
        await own.cancel_import(user_id)
        await query.answer(_("Cancelled."))
        await query.message.reply_text(_("Cancelled: nothing was imported."))
        return
    count = await own.confirm(user_id)
    if count is None:
        await query.answer(_("That import is no longer open."))
        await query.message.reply_text(
            _("That import is no longer open (it was done or cancelled). Send the file again.")
        )
        return
    await query.answer(_("Imported."))
    await query.message.reply_text(
        ngettext(
            "Done: {n} set(s) imported. /history and /progress show them.",
            "Done: {n} set(s) imported. /history and /progress show them.",
            count,
        ).format(n=count)
    )


async def calendar_file(update: Update, context: Context) -> None:
    """/calendar: an .ics of the next 8 weeks of sessions."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    made = await context.bot_data.own.calendar(user.id)
    if made.ics is None:
        if made.paused:
            text = _(
                "Your reminders are paused, so no sessions are planned. /resume, then /calendar."
            )
        else:
            text = _("You have no sessions planned yet. /schedule sets your training days.")
        await message.reply_text(text)
        return
    data, count = made.ics, made.sessions
    await context.bot.send_chat_action(message.chat_id, ChatAction.UPLOAD_DOCUMENT)
    await message.reply_document(
        InputFile(data, filename="backcoach-sessions.ics"),
        caption=ngettext(
            "Your next {n} session (8 weeks). Open the file to add it to your phone's "
            "calendar. If you change /schedule, send /calendar again for a fresh one.",
            "Your next {n} sessions (8 weeks). Open the file to add them to your phone's "
            "calendar. If you change /schedule, send /calendar again for a fresh one.",
            count,
        ).format(n=count),
    )


async def delete(update: Update, context: Context) -> None:
    """/delete: name what will go, and ask first."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    question = await context.bot_data.own.what_is_stored(user.id)
    stored, asked = question.stored, question.asked
    if not stored:
        await message.reply_text(_("I don't store anything about you. /start sets you up."))
        return
    parts = [
        f"{_(_TABLE_WORDS[table]) if table in _TABLE_WORDS else table.replace('_', ' ')} ({count})"
        for table, count in stored.items()
    ]
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    _("Delete everything"), callback_data=callbacks.delete_answer(True, asked)
                )
            ],
            [
                InlineKeyboardButton(
                    _("Keep my data"), callback_data=callbacks.delete_answer(False, asked)
                )
            ],
        ]
    )
    await message.reply_text(
        _("<b>Delete all your data?</b> This removes everything I store about you:")
        + "\n"
        + "\n".join(f"• {esc(p)}" for p in parts)
        + "\n\n"
        + _("Reminders stop, and it can't be undone. Want a copy first? /export sends it."),
        reply_markup=keyboard,
    )


async def on_delete_answer(update: Update, context: Context, answer: DeleteAnswer) -> None:
    """Delete everything, or keep it."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    user_id = query.from_user.id
    await drop_keyboard(query.message)
    if not answer.confirm:
        await query.answer(_("Kept."))
        await query.message.reply_text(_("Nothing was deleted."))
        return
    deleted = await context.bot_data.own.delete(user_id, answer.asked)
    if deleted.expired:
        await query.answer(_("That question has expired."))
        await query.message.reply_text(
            _("That button is too old to delete anything. Send /delete again if you're sure.")
        )
        return
    _stop_jobs(context, user_id)
    await query.answer(_("Deleted."))
    log.info("a user deleted their data (%d rows)", deleted.rows)
    await query.message.reply_text(
        _(
            "Done: everything I stored about you is deleted. Send /start if you ever want to "
            "begin again."
        )
    )


def _stop_jobs(context: Context, user_id: int) -> None:
    """In-memory jobs (a rest timer) must not outlive the data they were for."""
    if context.job_queue is None:
        return
    for job in context.job_queue.jobs():
        if job.user_id == user_id or job.chat_id == user_id:
            job.schedule_removal()
