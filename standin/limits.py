"""Flood control modelled on Telegram's documented bot limits."""

from __future__ import annotations

import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

# Methods Telegram counts towards the sending limits; edits, chat actions and callback
# answers do not count (they have their own, much looser, limits we do not model).
COUNTED_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})


@dataclass(frozen=True)
class FloodLimits:
    """Sending limits; set a field to None to disable that limit.

    per_chat_rate/per_chat_burst: a token bucket per chat, refilled at per_chat_rate
    messages per second and holding at most per_chat_burst, so a chat can take a short
    burst but not more than ~1 message per second sustained (Telegram's advice).
    global_per_second: at most this many messages in any sliding 1-second window over
    all chats (Telegram: "no more than 30 messages per second").
    group_per_minute: at most this many messages to one group chat (negative id) in any
    sliding 60-second window (Telegram: "no more than 20 messages per minute").
    """

    per_chat_rate: float | None = 1.0
    per_chat_burst: int = 3
    global_per_second: int | None = 30
    group_per_minute: int | None = 20

    @classmethod
    def disabled(cls) -> FloodLimits:
        """Return limits that never answer 429."""
        return cls(per_chat_rate=None, global_per_second=None, group_per_minute=None)


@dataclass
class FloodStats:
    """How often flood control said no, and why."""

    total: int = 0
    per_chat: int = 0
    group: int = 0
    global_: int = 0
    by_chat: Counter[int] = field(default_factory=Counter)


class FloodControl:
    """Decides whether a counted send may go through now, or how long to wait."""

    def __init__(self, limits: FloodLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.stats = FloodStats()
        self._clock = clock
        self._buckets: dict[int, tuple[float, float]] = {}  # chat -> (tokens, last refill)
        self._global: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}

    def reset(self, limits: FloodLimits | None = None) -> None:
        """Forget all history (and optionally switch limits); counters are kept."""
        if limits is not None:
            self.limits = limits
        self._buckets.clear()
        self._global.clear()
        self._groups.clear()

    def check(self, chat_id: int) -> int | None:
        """Record a send to chat_id and return None, or return retry_after seconds (>= 1)."""
        now = self._clock()
        waits: list[tuple[str, float]] = []
        limits = self.limits

        tokens = 0.0
        if limits.per_chat_rate is not None:
            burst = float(max(limits.per_chat_burst, 1))
            tokens, last = self._buckets.get(chat_id, (burst, now))
            tokens = min(burst, tokens + (now - last) * limits.per_chat_rate)
            if tokens < 1.0:
                waits.append(("per_chat", (1.0 - tokens) / limits.per_chat_rate))

        if limits.global_per_second is not None:
            _expire(self._global, now - 1.0)
            if len(self._global) >= limits.global_per_second:
                waits.append(("global", self._global[0] + 1.0 - now))

        group = None
        if limits.group_per_minute is not None and chat_id < 0:
            group = self._groups.setdefault(chat_id, deque())
            _expire(group, now - 60.0)
            if len(group) >= limits.group_per_minute:
                waits.append(("group", group[0] + 60.0 - now))

        if waits:
            self._count_rejection(chat_id, waits)
            return max(1, math.ceil(max(wait for _, wait in waits)))

        if limits.per_chat_rate is not None:
            self._buckets[chat_id] = (tokens - 1.0, now)
        # Windows are only kept while their limit is on, so a disabled limit costs nothing.
        if limits.global_per_second is not None:
            self._global.append(now)
        if group is not None and limits.group_per_minute is not None:
            group.append(now)
        return None

    def _count_rejection(self, chat_id: int, waits: list[tuple[str, float]]) -> None:
        self.stats.total += 1
        self.stats.by_chat[chat_id] += 1
        reason = max(waits, key=lambda w: w[1])[0]
        if reason == "per_chat":
            self.stats.per_chat += 1
        elif reason == "group":
            self.stats.group += 1
        else:
            self.stats.global_ += 1


def _expire(window: deque[float], cutoff: float) -> None:
    while window and window[0] <= cutoff:
        window.popleft()
