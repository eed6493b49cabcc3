"""The one global error handler: log with the traceback, tell the user what was and wasn't saved."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.domain.limits import DailyLimit
from bot.services.failures import Origin
from bot.tg.context import Context
from bot.tg.render import esc

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side."
NOT_SAVED = f"{SORRY} No sets from that message were saved, so please send it again."
UNKNOWN = (
    f"{SORRY} I can't tell right now whether your last message was saved: check /history "
    "before you send it again."
)
TRY_AGAIN = f"{SORRY} Please try again."


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
        text = UNKNOWN
    try:
        await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)


async def what_happened(update: Update, context: Context) -> str:
    """Whether the failed update's sets were saved; a saved one is marked so a retry is not."""
    failures = getattr(context.bot_data, "failures", None)
    if failures is None:  # the database never opened
        return TRY_AGAIN
    message = update.effective_message
    if update.callback_query is not None:
        origin = Origin(update_id=update.update_id)
    elif message is not None:
        origin = Origin(
            chat_id=message.chat_id,
            message_id=message.message_id,
            sent_at=int(message.date.timestamp()),
        )
    else:
        origin = Origin()
    saved = await failures.saved_by(origin)
    if saved is not None:
        return (
            f"{SORRY} Your sets were saved before it happened: {esc(saved.exercise)}: "
            f"{esc(saved.sets)}. They are in your log, so there is no need to send them again."
        )
    if message is not None and message.text and not message.text.startswith("/"):
        return NOT_SAVED
    return TRY_AGAIN
