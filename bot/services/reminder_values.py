"""The values the reminder use cases take and return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from bot.domain.calendar import PlannedSession, Progress, Schedule
from bot.domain.models import Plan
from bot.domain.sessions import PauseReason, Session


@dataclass(frozen=True)
class ReminderSettings:
    """How reminders behave; all configurable."""

    tick_seconds: float = 10.0  # how often the database is asked what is due
    batch: int = 28  # reminders claimed at once: about one second of sending
    late_limit: timedelta = timedelta(hours=2)  # older than this after downtime: missed


class NotYours(LookupError):
    """The session does not exist, is not the user's, or is no longer open."""


Answer = Literal["snooze", "skip", "move", "move-to"]  # a reminder's buttons but Start


@dataclass(frozen=True)
class Answered:
    """What a reminder's answer did, in the user's timezone."""

    timezone: str
    next_session: Session | None = None  # skip, move-to: the session planned next
    snoozed_until: datetime | None = None  # snooze: local time of the next reminder
    options: list[date] = field(default_factory=list)  # move: the days it may move to


@dataclass(frozen=True)
class Due:
    """A claimed reminder with what its message shows."""

    session: Session
    plan: Plan
    timezone: str


@dataclass(frozen=True)
class OpenSession:
    """A user's session that still takes answers, with their schedule and progress."""

    session: Session
    schedule: Schedule
    progress: Progress


@dataclass(frozen=True)
class Calendar:
    """A user's schedule, the next two weeks of sessions, and whether reminders are paused."""

    schedule: Schedule
    sessions: list[PlannedSession]
    paused: PauseReason | None
