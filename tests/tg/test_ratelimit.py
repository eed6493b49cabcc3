"""The pacer's reservations, on a fake clock: even global spacing, per-chat pace, shared pauses."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.tg.ratelimit import Limits, PacedRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def window_max(starts: list[float], width: float = 1.0) -> int:
    """The most starts inside any half-open window of `width` seconds."""
    starts = sorted(starts)
    best, lo = 0, 0
    for hi, t in enumerate(starts):
        while t - starts[lo] >= width:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def test_global_sends_are_evenly_spaced_even_after_an_idle_moment() -> None:
    clock = Clock()
    limiter = PacedRateLimiter(Limits(per_second=28), clock=clock)
    starts = [limiter._reserve(chat, clock.now) for chat in range(1, 301)]
    gaps = {round(b - a, 9) for a, b in itertools.pairwise(starts)}
    assert gaps == {round(1 / 28, 9)}, "no burst at the start: every gap is 1/28 s"
    assert window_max(starts) <= 28


def test_one_chat_gets_a_small_burst_then_its_pace() -> None:
    clock = Clock()
    limiter = PacedRateLimiter(Limits(per_chat_per_second=1, per_chat_burst=3), clock=clock)
    starts = [limiter._reserve(7, clock.now) - clock.now for _ in range(6)]
    assert starts[:3] == pytest.approx([0, 1 / 28, 2 / 28])
    assert starts[3:] == pytest.approx([1.0, 2.0, 3.0])
    assert window_max([s + clock.now for s in starts], width=1.0 - 1e-9) <= 3


def test_a_chat_waiting_for_its_own_pace_does_not_hold_up_other_chats() -> None:
    clock = Clock()
    limiter = PacedRateLimiter(Limits(per_chat_per_second=1, per_chat_burst=1), clock=clock)
    busy = [limiter._reserve(7, clock.now) for _ in range(20)]  # one chat's backlog
    assert busy[-1] - clock.now == pytest.approx(19.0)
    other = limiter._reserve(8, clock.now)
    assert other - clock.now < 1.0, "another chat's reply goes out now, not in 20 s"


def test_groups_get_twenty_a_minute() -> None:
    clock = Clock()
    limiter = PacedRateLimiter(Limits(group_per_minute=20), clock=clock)
    starts = [limiter._reserve(-100, clock.now) for _ in range(21)]
    assert starts[-1] - starts[0] == pytest.approx(60.0)


async def test_a_429_pauses_everybody_and_waiters_take_fresh_slots() -> None:
    limiter = PacedRateLimiter(Limits(per_second=1000, max_retries=2))
    calls: list[tuple[int, float]] = []
    loop = asyncio.get_running_loop()
    failed = False

    async def send(chat: int) -> dict[str, Any]:
        nonlocal failed
        calls.append((chat, loop.time()))
        if chat == 1 and not failed:
            failed = True
            raise RetryAfter(1)
        return {"ok": True}

    t0 = loop.time()
    results = await asyncio.gather(
        *[
            limiter.process_request(send, (c,), {}, "sendMessage", {"chat_id": c}, None)
            for c in range(1, 6)
        ]
    )
    assert all(r == {"ok": True} for r in results)
    assert limiter.retries == 1
    after = [t - t0 for c, t in calls[1:] if t - t0 > 0.5]
    # Everything that had not gone out before the 429 waited the full second.
    assert len(after) >= 1 and min(after) >= 0.99


async def test_unpaced_methods_go_straight_through() -> None:
    limiter = PacedRateLimiter(Limits(per_second=0.001))

    async def answer() -> bool:
        return True

    assert await asyncio.wait_for(
        limiter.process_request(answer, (), {}, "answerCallbackQuery", {}, None), timeout=1
    )


async def test_no_more_requests_in_flight_than_the_cap_and_all_of_them_complete() -> None:
    # Above the cap, requests wait their turn instead of crowding the HTTP connection pool.
    limiter = PacedRateLimiter(Limits(per_second=1e6, per_chat_per_second=1e6, in_flight=3))
    flying, most = 0, 0

    async def call(n: int) -> dict[str, Any]:
        nonlocal flying, most
        flying += 1
        most = max(most, flying)
        await asyncio.sleep(0.01)
        flying -= 1
        return {"n": n}

    requests = [
        limiter.process_request(call, (n,), {}, method, {"chat_id": n}, None)
        for n, method in enumerate(["sendMessage", "answerCallbackQuery"] * 10)
    ]
    results = await asyncio.wait_for(asyncio.gather(*requests), timeout=5)
    assert [r["n"] for r in results if isinstance(r, dict)] == list(range(20))
    assert most == 3, "paced and unpaced calls share the cap"
