"""The one global error handler: log with the traceback, tell the user what was and wasn't saved."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.domain.accounts import Units
from bot.domain.limits import DailyLimit
from bot.domain.text import show_sets
from bot.i18n import N_, _
from bot.storage.logs import LogRepo
from bot.tg.context import Context
from bot.tg.render import esc

log = logging.getLogger(__name__)

SORRY = N_("Sorry, something went wrong on my side.")
NOT_SAVED = N_(
    "Sorry, something went wrong on my side. No sets from that message were saved, so please "
    "send it again."
)
UNKNOWN = N_(
    "Sorry, something went wrong on my side. I can't tell right now whether your last message "
    "was saved: check /history before you send it again."
)
TRY_AGAIN = N_("Sorry, something went wrong on my side. Please try again.")


async def on_error(update: object, context: Context) -> None:
    """Log the exception with its traceback and say truthfully whether the sets were saved."""
    if isinstance(context.error, DailyLimit):
        # Raised deep in storage whatever path the change came by; not a bug, so no traceback.
        log.info("a user reached a daily cap (%s)", context.error.what)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, context.error.reply())
            except TelegramError:
                log.warning("could not tell a user about a daily cap", exc_info=True)
        return
    if isinstance(context.error, BadRequest) and "query is too old" in str(context.error).lower():
        # A tap answered too late (e.g. handled after a restart): the button just stops
        # spinning on Telegram's side; nothing went wrong for the user.
        log.info("a button tap was answered too late to show")
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot; nobody to tell
    try:
        text = await what_happened(update, context)
    except Exception:  # the database may be what failed: claim nothing
        log.warning("could not check what the failed update saved", exc_info=True)
        text = _(UNKNOWN)
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)


async def what_happened(update: Update, context: Context) -> str:
    """Whether the failed update's sets were saved; a saved one is marked so a retry is not."""
    data = context.bot_data
    db = getattr(data, "db", None)
    if db is None:
        return _(TRY_AGAIN)
    logs = LogRepo(db)
    message = update.effective_message
    source = None
    if update.callback_query is not None:
        source = await logs.by_update(update.update_id)
    elif message is not None:
        sent_at = int(message.date.timestamp())
        source = await logs.by_message(message.chat_id, message.message_id, sent_at)
    entries = await logs.entries_of(source.id) if source is not None else []
    if source is not None and entries:
        await logs.set_failed(source.id, True)
        exercise = data.library.exercises.get(source.exercise_id)
        name = exercise.name if exercise else source.exercise_id
        user = await data.repo.get_user(source.user_id)
        sets = show_sets([e.set for e in entries], user.units if user else Units.KG)
        return _(
            "Sorry, something went wrong on my side. Your sets were saved before it happened: "
            "{name}: {sets}. They are in your log, so there is no need to send them again."
        ).format(name=esc(name), sets=esc(sets))
    if message is not None and message.text and not message.text.startswith("/"):
        return _(NOT_SAVED)
    return _(TRY_AGAIN)
