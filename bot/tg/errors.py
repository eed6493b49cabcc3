"""The one global error handler: log with the traceback, tell the user something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.domain.limits import DailyLimit
from bot.tg.context import Context

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Nothing you did is lost; please try again."


async def on_error(update: object, context: Context) -> None:
    """Log the exception with its traceback and apologise to the user, if there is one."""
    if isinstance(context.error, DailyLimit):
        # Raised deep in storage whatever path the change came by; not a bug, so no traceback.
        log.info("a user reached a daily cap (%s)", context.error.what)
        if isinstance(update, Update) and update.effective_chat is not None:
            await _tell(context, update.effective_chat.id, context.error.reply())
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
    await _tell(context, update.effective_chat.id, SORRY)


async def _tell(context: Context, chat_id: int, text: str) -> None:
    try:
        await context.bot.send_message(chat_id, text)
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)
