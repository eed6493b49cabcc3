"""One user's flood never stalls another; a user's own messages keep their order."""

from __future__ import annotations

import time

import pytest

from bot.tg.processor import SLOW_DOWN, PerUserProcessor
from tests.e2e.conftest import Harness


@pytest.mark.real_limits
async def test_a_flood_from_one_user_does_not_delay_another_users_reply(
    harness: Harness,
) -> None:
    await harness.restart_with(max_backlog=5)
    flooder, other = 701, 702
    harness.standin.user(flooder)
    harness.standin.user(other)
    started = time.monotonic()
    for i in range(1000):
        harness.standin.send_text(flooder, f"hello {i}")
    flood_seconds = time.monotonic() - started
    assert flood_seconds < 1.0, "the flood is meant to arrive within one second"
    await harness.standin.wait_for(
        lambda: harness.standin.pending_updates == 0, timeout=10, what="the flood to be fetched"
    )
    asked = time.monotonic()
    harness.standin.send_command(other, "/help")
    [reply] = await harness.new_messages(other)
    waited = time.monotonic() - asked
    assert "What I can do" in reply.plain_text
    assert waited < 2.0, f"/help waited {waited:.1f} s behind another user's flood"

    processor = harness.app.update_processor
    assert isinstance(processor, PerUserProcessor)
    assert processor.backlog(flooder) <= 5, "one user's backlog stays capped"
    assert processor.dropped >= 990
    await harness.standin.wait_for(
        lambda: (
            sum(SLOW_DOWN in (m.plain_text or "") for m in harness.standin.messages(flooder)) == 1
        ),
        timeout=10,
        what="the one slow-down notice",
    )
    slow = [m for m in harness.standin.messages(flooder) if SLOW_DOWN in (m.plain_text or "")]
    assert len(slow) == 1, "the flooder is told to slow down once, not once per message"


async def test_one_users_messages_are_answered_in_the_order_sent(harness: Harness) -> None:
    user = 703
    harness.standin.user(user)
    for command in ("/units lb", "/units kg", "/units lb", "/units"):
        harness.standin.send_command(user, command)
    replies = [m.plain_text for m in await harness.new_messages(user, expect=4)]
    assert [r.split(".")[0] for r in replies[:3]] == [
        "Done: weights are now in lb",
        "Done: weights are now in kg",
        "Done: weights are now in lb",
    ]
    assert "You log weights in lb" in replies[3], "the last change, in order, is what stuck"
