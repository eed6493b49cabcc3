"""The one global error handler: log with the traceback, tell the user something went wrong."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.tg.context import Context

log = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Nothing you did is lost; please try again."


async def on_error(update: object, context: Context) -> None:
    """Log the exception with its traceback and apologise to the user, if there is one."""
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot; nobody to tell
    try:
        await context.bot.send_message(update.effective_chat.id, SORRY)
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)
