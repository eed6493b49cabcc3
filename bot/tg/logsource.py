"""Where logged sets come from (message or tap), and asking for a weight that was left out."""

from __future__ import annotations

from telegram import Message, Update

from bot.domain.logged import Source
from bot.services.logged import NeedsWeight
from bot.services.workouts import WEIGHT_FLOW as WEIGHT_FLOW
from bot.services.workouts import Workouts
from bot.tg import target_views
from bot.tg.context import Context
from bot.tg.send import send_views


def source_of(update: Update) -> Source:
    """Where an update's sets come from: a message (chat, message id, text) or a tap."""
    message = update.effective_message
    if message is None or update.callback_query is not None:
        return Source(update.update_id)
    sent_at = int(message.date.timestamp())
    return Source(
        update.update_id, message.chat_id, message.message_id, message.text or "", sent_at
    )


async def ask_weight(
    message: Message,
    context: Context,
    svc: Workouts,
    user_id: int,
    asked: NeedsWeight,
    source: Source,
) -> None:
    """Sets came without a weight for a loaded exercise: keep them aside and ask for it."""
    q = await svc.ask_weight(user_id, asked, source)
    view = target_views.weight_question(q.exercise, q.sets, q.options, q.nonce, q.units)
    await send_views(message, [view])
