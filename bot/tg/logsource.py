"""Where logged sets come from (message or tap), and asking for a weight that was left out."""

from __future__ import annotations

import secrets

from telegram import Message, Update

from bot.domain.logged import Source
from bot.domain.setlog import render_sets
from bot.domain.starts import starting_weights
from bot.services.logged import NeedsWeight
from bot.services.workouts import Workouts
from bot.tg import target_views
from bot.tg.context import Context
from bot.tg.send import send_views

WEIGHT_FLOW = "weight"  # sets came without a weight: waiting for it


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
    data = context.bot_data
    units = await svc.units(user_id)
    active = await data.workouts.active(user_id)
    nonce = secrets.token_hex(3)
    state = {
        "nonce": nonce,
        "exercise_id": asked.exercise.id,
        "sets": render_sets(asked.sets, units),
        "workout_id": active.id if active is not None else None,
        "position": active.position if active is not None else None,
        "update_id": source.update_id,
        "chat_id": source.chat_id,
        "message_id": source.message_id,
        "text": source.text,
        "sent_at": source.sent_at,
    }
    await data.repo.save_conversation(user_id, WEIGHT_FLOW, state, data.clock())
    options = [asked.known] if asked.known is not None else []
    check = await data.safety.check(user_id, asked.exercise.id)
    allowed = check is None or check.allowed  # never suggest weights for a ruled-out lift
    if not options and allowed:  # never lifted: offer the first weights a card would
        program = await svc.program(user_id)
        if program is not None:
            options = starting_weights(asked.exercise, program.profile.level, units)
    view = target_views.weight_question(asked.exercise, asked.sets, options, nonce, units)
    await send_views(message, [view])
