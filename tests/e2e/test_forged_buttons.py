"""A forged button with an action outside the closed set gets the polite stale-button answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.conftest import Harness
from tests.e2e.flows import onboard

MON_18_BERLIN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "forged",
    ["r:{sid}:q", "r:{sid}:start", "w:1:0:z", "w:1:0:x", "b:z:{sid}", "x:maybe:deadlift"],
)
async def test_a_forged_action_is_answered_as_a_stale_button(harness: Harness, forged: str) -> None:
    await onboard(harness, 431)
    harness.clock.now = MON_18_BERLIN
    assert await harness.app.bot_data.runner.tick() == 1
    [reminder] = await harness.new_messages(431)
    start = reminder.buttons[0][0].callback_data
    assert start is not None and start.startswith("r:")
    sid = start.split(":")[1]
    reminder.reply_markup = {
        "inline_keyboard": [[{"text": "Evil", "callback_data": forged.format(sid=sid)}]]
    }
    query = harness.standin.press_button(431, reminder.message_id, "Evil")
    answer = await harness.standin.wait_for_callback_answer(query, timeout=10)
    assert "That button no longer works" in (answer.text or "")
    # Nothing changed: the real Snooze still works on the same reminder.
    reminder.reply_markup = {
        "inline_keyboard": [[{"text": "Snooze 1 h", "callback_data": f"r:{sid}:z"}]]
    }
    snooze = harness.standin.press_button(431, reminder.message_id, "Snooze 1 h")
    assert "remind you again in an hour" in (
        (await harness.standin.wait_for_callback_answer(snooze, timeout=10)).text or ""
    )
