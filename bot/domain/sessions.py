"""Planned training sessions as storage hands them back, and their life cycle."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import AwareDatetime

from bot.domain.models import DayKind, Frozen


class SessionStatus(StrEnum):
    """Where a planned session is in its life."""

    PLANNED = "planned"  # waiting for its reminder
    SENDING = "sending"  # claimed by the sender; never sent a second time
    REMINDED = "reminded"  # the reminder went out; waiting for the user
    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"
    MOVED = "moved"
    CANCELLED = "cancelled"


OPEN = (SessionStatus.PLANNED, SessionStatus.SENDING, SessionStatus.REMINDED)


class PauseReason(StrEnum):
    """Why a user's reminders are paused."""

    USER = "user"  # /pause
    BLOCKED = "blocked"  # Telegram said the user blocked the bot
    MEDICAL = "medical"  # a warning sign at a back check: paused until a doctor clears them


class Session(Frozen):
    """One planned session of one user."""

    id: int
    user_id: int
    chat_id: int
    program_id: int
    kind: DayKind
    on: date  # local date
    due_at: AwareDatetime
    expires_at: AwareDatetime
    status: SessionStatus
