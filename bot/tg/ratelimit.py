"""Paces every message the bot sends under Telegram's flood limits, evenly, for all callers.

Why not PTB's AIORateLimiter alone: as of 22.8 it lets a burst through after an idle moment
(a leaky bucket that starts full), has no limit per private chat, and a concurrent request
can end its pause after a 429 early (PTB issue #5338). Here each send reserves a start time
under one lock (the generic cell rate algorithm, GCRA): globally evenly spaced at `per_second`,
per chat at `per_chat_per_second` with a small burst, and a 429 pauses everybody until its
retry_after, after which every waiting send takes a fresh slot.

It also caps the requests in flight at once (`Limits.in_flight`, also the size of the HTTP
connection pool, bot/tg/transport.py): queued here they cost one semaphore wait each, and the
pool never holds more connections than can be busy. (Under httpx, which the bot used before,
every request added or finished rescanned every pooled connection: with PTB's default pool of
256, a third of the bot's CPU in a burst of 300 users.)
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

# Methods that deliver a message and count against Telegram's flood limits.
PACED = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendPoll",
        "copyMessage",
        "forwardMessage",
    }
)
_PRUNE_EVERY = 10_000
# Awaited right before a paced request really leaves (after its turn came): a reminder marks
# its send as attempted here, so a crash while it waited for its turn proves it never left.
BEFORE_SEND: ContextVar[Callable[[], Awaitable[None]] | None] = ContextVar(
    "BEFORE_SEND", default=None
)


@dataclass(frozen=True)
class Limits:
    """The pace to keep; the defaults stay just under Telegram's documented ceilings."""

    per_second: float = 28.0  # all chats together (Telegram: 30/s)
    # One private chat (Telegram: about 1/s); a hair under, so network jitter between two
    # requests cannot tip the second one over the line.
    per_chat_per_second: float = 0.95
    per_chat_burst: int = 3  # a short reply of a few messages may go out at once
    group_per_minute: float = 19.0  # one group chat (Telegram: 20/min)
    max_retries: int = 5
    # Requests in flight at once, every method but getUpdates (which has its own connection).
    # The cap must cover Telegram's real latency: the 28 paced sends a second plus the unpaced
    # answers and edits need about 6 in flight at 150 ms a call. Eight carry 53 calls/s at
    # 150 ms and 27 at 300 ms; four would fall below the reminder pace whenever Telegram is
    # slower than about 140 ms. (Under httpx, each one in flight made the others dearer: 1.6 ms
    # of CPU per sendMessage at 4, 2.2 ms at 8; through aiohttp about 0.4 ms at 1 and at 8.)
    in_flight: int = 8


class PacedRateLimiter(BaseRateLimiter[int]):
    """A BaseRateLimiter that spaces sends evenly and shares every 429 pause."""

    def __init__(self, limits: Limits = Limits(), clock: Callable[[], float] = time.monotonic):
        self.limits = limits
        self._clock = clock
        self._lock = asyncio.Lock()
        self._global_tat = 0.0  # theoretical arrival time of the next global slot
        self._chat_tat: dict[int | str, float] = {}
        self._paused_until = 0.0
        self._epoch = 0  # bumped by every 429; a waiting send re-reserves after one
        self._reservations = 0
        self._sent: deque[float] = deque()  # actual send times within the last second
        self._gate = asyncio.Lock()
        self._flight = asyncio.Semaphore(max(1, limits.in_flight))
        self.retries = 0  # 429s seen (for tests and benchmarks)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for this send's slot, send, and on a 429 pause everybody and try again."""
        if endpoint not in PACED:
            async with self._flight:
                return await callback(*args, **kwargs)
        chat_id = data.get("chat_id")
        retries = self.limits.max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            await self._wait_turn(chat_id)
            try:
                async with self._flight:
                    # Inside the cap, so a send marked as leaving is not left waiting here.
                    hook = BEFORE_SEND.get()
                    if hook is not None:
                        await hook()
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.retries += 1
                await self._pause(_seconds(exc))
                if attempt == retries:
                    raise
                log.info("flood limit hit; everybody waits %.1f s", _seconds(exc))
        raise AssertionError("unreachable")

    async def _wait_turn(self, chat_id: object) -> None:
        """Reserve a start time and sleep until it; reserve again if a 429 came meanwhile."""
        while True:
            async with self._lock:
                now = self._clock()
                epoch = self._epoch
                start = self._reserve(_chat_key(chat_id), now)
            if start > now:
                await asyncio.sleep(start - now)
            if epoch == self._epoch:
                await self._window_guard()
                return

    async def _window_guard(self) -> None:
        """Never more than per_second sends in any 1-second window of actual send times.

        Slots are evenly spaced, but a busy event loop can wake several late sleepers at
        once; without this guard they would go out together and bunch into one second.
        The gate is a FIFO lock taken in wake-up order (which is slot order), so sends leave
        in the order they were queued, at least half a slot apart.
        """
        cap = max(1, int(self.limits.per_second))
        min_gap = 0.5 / self.limits.per_second
        async with self._gate:
            while True:
                now = self._clock()
                while self._sent and self._sent[0] <= now - 1.0:
                    self._sent.popleft()
                wait = 0.0
                if len(self._sent) >= cap:
                    wait = self._sent[0] + 1.0 - now
                elif self._sent:
                    wait = self._sent[-1] + min_gap - now
                if wait <= 0:
                    self._sent.append(now)
                    return
                await asyncio.sleep(wait)

    def _reserve(self, chat: int | str | None, now: float) -> float:
        limits = self.limits
        step = 1.0 / limits.per_second
        slot = max(now, self._global_tat, self._paused_until)
        start = slot
        if chat is not None:
            group = isinstance(chat, str) or chat < 0
            chat_step = (
                60.0 / limits.group_per_minute if group else 1.0 / limits.per_chat_per_second
            )
            burst = 1 if group else max(1, limits.per_chat_burst)
            tat = self._chat_tat.get(chat, 0.0)
            # GCRA: allowed once the chat's theoretical arrival time is within the burst.
            start = max(start, tat - (burst - 1) * chat_step)
            self._chat_tat[chat] = max(tat, start) + chat_step
        # The global slot is taken where it was free, not where this chat's own pace puts the
        # send: a reply waiting for its chat must not push every other chat back (the window
        # guard still caps actual sends per second).
        self._global_tat = slot + step
        self._reservations += 1
        if self._reservations % _PRUNE_EVERY == 0:
            self._chat_tat = {k: v for k, v in self._chat_tat.items() if v > now}
        return start

    async def _pause(self, seconds: float) -> None:
        async with self._lock:
            until = self._clock() + seconds
            if until > self._paused_until:
                self._paused_until = until
            self._global_tat = max(self._global_tat, self._paused_until)
            self._epoch += 1


def _chat_key(chat_id: object) -> int | str | None:
    if chat_id is None:
        return None
    try:
        return int(str(chat_id))
    except ValueError:
        return str(chat_id)  # @channelusername


def _seconds(exc: RetryAfter) -> float:
    # PTB 22 keeps a timedelta privately and warns on the public int; read the exact one.
    value: Any = getattr(exc, "_retry_after", None)
    if value is None:
        value = exc.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value)
