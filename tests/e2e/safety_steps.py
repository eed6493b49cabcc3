"""Steps the safety end-to-end tests share: a reminder at a moment, tapping Done, counting rows."""

from __future__ import annotations

from datetime import UTC, datetime

from standin import SentMessage
from tests.e2e.conftest import Harness

MON_18_BERLIN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


async def reminder_at(h: Harness, user: int, moment: datetime) -> SentMessage:
    """Move the clock, run the reminder job, and return the reminder."""
    h.clock.now = moment
    assert await h.app.bot_data.runner.tick() == 1
    [msg] = await h.new_messages(user)
    assert "Time for your" in msg.plain_text
    return msg


async def tap_done(h: Harness, user: int, times: int) -> SentMessage:
    card: SentMessage | None = None
    for _ in range(times):
        [card] = await h.press(user, "Done")
    assert card is not None
    return card


async def rows(h: Harness, sql: str, *params: object) -> int:
    row = await h.app.bot_data.db.one(sql, params)
    assert row is not None
    return int(row[0])
