"""Sending views: long texts are split under Telegram's limit, buttons ride on the last part."""

from __future__ import annotations

import logging

from telegram import Message
from telegram.error import TelegramError

from bot.tg.render import split_message
from bot.tg.views import View

log = logging.getLogger(__name__)


async def send_views(message: Message, views: list[View]) -> None:
    """Reply with each view in order, splitting any that is too long."""
    for view in views:
        parts = split_message(view.text)
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            await message.reply_text(part, reply_markup=view.keyboard if last else None)


async def drop_keyboard(message: Message) -> None:
    """Remove a message's buttons; one already without them, or too old, is left as it is."""
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramError as e:
        log.debug("could not remove a keyboard: %s", e)
