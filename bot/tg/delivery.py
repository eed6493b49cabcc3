"""What a failed send means for a reminder: retry, refused for good, or perhaps delivered.

Telegram has no idempotency key for sendMessage, so the only safe retry is one Telegram cannot
have accepted: the connection failed before the request was written, the server answered with
an error (5xx, 429), or the request never left the pool. A read timeout or a connection dropped
after the request was written is ambiguous: it may have arrived, so it is counted as delivered
(never sent twice), logged and counted.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiohttp
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)


class Outcome(enum.Enum):
    """How to treat a send that raised."""

    RETRY = "retry"  # Telegram cannot have accepted it: send again later
    AMBIGUOUS = "ambiguous"  # it may have arrived: count it delivered, log and count it
    BLOCKED = "blocked"  # the user blocked the bot (403)
    REFUSED = "refused"  # Telegram refused it for good (400): record it as missed


# Transport errors raised before the request was written (bot/tg/transport.py raises PTB's
# errors from these): no connection could be opened, or the URL was unusable. A connection that
# broke or went quiet later (ServerDisconnectedError, ClientOSError, a read timeout) may have
# carried the whole request, so it is not here.
_NOT_SENT = (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError, aiohttp.InvalidURL)


def classify(error: BaseException) -> Outcome:
    """Sort a send's exception into one of the four outcomes."""
    if isinstance(error, Forbidden):
        return Outcome.BLOCKED
    if isinstance(error, BadRequest):
        return Outcome.REFUSED
    if isinstance(error, RetryAfter):
        return Outcome.RETRY
    cause = error.__cause__
    if isinstance(cause, _NOT_SENT):
        return Outcome.RETRY
    if isinstance(error, TimedOut):
        # PTB says so in words for a pool timeout; anything else timed out after writing.
        return Outcome.RETRY if "not* sent" in str(error) else Outcome.AMBIGUOUS
    if isinstance(error, NetworkError) and (cause is None or isinstance(cause, TelegramError)):
        # PTB raises a NetworkError of its own (no httpx cause) for a 5xx answer: the server
        # answered that it failed.
        return Outcome.RETRY
    return Outcome.AMBIGUOUS


@dataclass
class Backoff:
    """Exponential pause after failed rounds, reset by a success; driven by the app's clock."""

    first: timedelta = timedelta(seconds=5)
    cap: timedelta = timedelta(minutes=5)
    failures: int = 0
    not_before: datetime | None = None
    history: list[timedelta] = field(default_factory=list)

    def ready(self, now: datetime) -> bool:
        """Whether sending may be tried now."""
        return self.not_before is None or now >= self.not_before

    def failed(self, now: datetime, at_least: timedelta = timedelta(0)) -> timedelta:
        """Record a failed round; return the pause before the next one."""
        self.failures += 1
        pause = min(self.cap, self.first * int(2 ** min(self.failures - 1, 16)))
        pause = max(pause, at_least)
        self.not_before = now + pause
        self.history.append(pause)
        return pause

    def succeeded(self) -> None:
        """A send went through: no more pause."""
        self.failures = 0
        self.not_before = None
