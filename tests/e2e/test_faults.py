"""Telegram faults between the bot and the stand-in: no reminder lost or doubled, no set lost.

A fault-injecting proxy (standin/faults.py) sits between the real Application and the
stand-in. For each fault, 30 reminders come due while a user logs sets; then the fault heals
and the bot must recover by itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.domain.models import Library
from bot.domain.sessions import PauseReason
from bot.tg.ratelimit import Limits
from standin import FloodLimits, StandIn
from standin.faults import Fault, FaultProxy
from tests.e2e.conftest import START, Harness
from tests.e2e.flows import onboard
from tests.e2e.test_reminders import MON_18_BERLIN, many_users

LOGGER = 950
SET_TEXTS = ("deadlift 5x5 100", "deadlift 5x3 110", "deadlift 5x1 120")


@pytest.fixture
async def faulty(tmp_path: Path, library: Library) -> AsyncIterator[Harness]:
    """A running bot that talks to the stand-in through a fault-injecting proxy."""
    async with (
        StandIn(limits=FloodLimits(per_chat_rate=None)) as standin,
        FaultProxy(standin.port) as proxy,
    ):
        limits = Limits(per_chat_per_second=100, per_chat_burst=100, max_retries=1)
        h = Harness(standin, library, FakeClock(START), tmp_path / "bot.sqlite3", limits)
        h.via = proxy
        await h.start()
        try:
            yield h
        finally:
            await proxy.inject(None)
            await h.stop()


def reminders_in(h: Harness, user: int) -> int:
    return sum("Time for your" in (m.plain_text or "") for m in h.standin.messages(user))


async def sets_logged(h: Harness, user: int) -> int:
    row = await h.app.bot_data.db.one("SELECT COUNT(*) FROM set_logs WHERE user_id = ?", (user,))
    assert row is not None
    return int(row[0])


FAULTS = {
    "500 for a while": Fault("500"),
    "502 outage page": Fault("502"),
    "connection resets": Fault("reset", count=3),
    "hangs": Fault("hang", count=2),
    "429 longer than the limiter's retries": Fault("429", retry_after=2),
    "full outage": Fault("outage", methods=frozenset()),
}


@pytest.mark.parametrize("name", list(FAULTS))
async def test_reminders_and_sets_survive_a_fault(faulty: Harness, name: str) -> None:
    h = faulty
    proxy = h.via
    assert proxy is not None
    await onboard(h, LOGGER)
    users = [LOGGER, *await many_users(h, 30)]
    fault = FAULTS[name]
    fault = Fault(fault.kind, fault.methods, fault.count, fault.retry_after)  # a fresh copy
    await proxy.inject(fault)
    # Users log sets while Telegram misbehaves (their updates still arrive, except in an
    # outage, when they wait at Telegram until it ends).
    for text in SET_TEXTS:
        h.standin.send_text(LOGGER, text)
    h.clock.now = MON_18_BERLIN
    runner = h.app.bot_data.runner
    await runner.tick()
    counts = await h.app.bot_data.schedules.count_by_status()
    assert "sending" not in counts, "nothing is left claimed while the bot runs"
    await proxy.inject(None)  # Telegram is back
    for _ in range(20):  # the bot recovers by itself: later ticks send what is left
        if all(reminders_in(h, u) for u in users) or (
            sum(1 for u in users if not reminders_in(h, u)) <= runner.ambiguous
            and not (await h.app.bot_data.schedules.count_by_status()).get("planned")
        ):
            break
        h.clock.now += timedelta(minutes=1)
        await runner.tick()
    await h.standin.wait_for(
        lambda: len(h.standin.messages(LOGGER)) > 0, timeout=5, what="replies to the logger"
    )
    per_user = {u: reminders_in(h, u) for u in users}
    doubled = [u for u, n in per_user.items() if n > 1]
    missing = [u for u, n in per_user.items() if n == 0]
    assert not doubled, f"reminders sent twice: {doubled}"
    assert len(missing) <= runner.ambiguous, (
        f"{len(missing)} reminders lost, only {runner.ambiguous} logged as ambiguous"
    )
    if fault.kind in ("500", "502", "429", "outage"):
        assert not missing and runner.retried > 0, "a clear failure is retried until it arrives"
    counts = await h.app.bot_data.schedules.count_by_status()
    assert counts.get("reminded") == len(users) and "sending" not in counts, counts
    print(
        f"fault {name!r}: {len(users)} reminders due, "
        f"{sum(1 for n in per_user.values() if n == 1)} delivered once, 0 twice, "
        f"{len(missing)} lost, {runner.ambiguous} logged as ambiguous, "
        f"{runner.retried} failed sends retried"
    )
    # Every set the user sent is in the database, whatever happened to the replies.
    await asyncio.wait_for(_until_sets(h, 15), timeout=15)
    h.standin.send_command(LOGGER, "/help")
    await h.standin.wait_for(
        lambda: "What I can do" in (h.last(LOGGER).plain_text or ""),
        timeout=10,
        what="the bot to answer again",
    )


async def _until_sets(h: Harness, expected: int) -> None:
    while await sets_logged(h, LOGGER) < expected:
        await asyncio.sleep(0.1)
    assert await sets_logged(h, LOGGER) == expected, "no set logged twice"


async def test_a_403_pauses_that_user_and_the_others_get_theirs(faulty: Harness) -> None:
    h = faulty
    proxy = h.via
    assert proxy is not None
    users = await many_users(h, 30)
    await proxy.inject(Fault("403", count=1))
    h.clock.now = MON_18_BERLIN
    sent = await h.app.bot_data.runner.tick()
    assert sent == 29
    blocked = [u for u in users if not reminders_in(h, u)]
    assert len(blocked) == 1
    saved = await h.app.bot_data.schedules.schedule(blocked[0])
    assert saved is not None and saved.paused is PauseReason.BLOCKED
    assert all(reminders_in(h, u) == 1 for u in users if u not in blocked)
    counts = await h.app.bot_data.schedules.count_by_status()
    assert "sending" not in counts and counts.get("reminded") == 29
