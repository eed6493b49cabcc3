"""A user over the daily set cap is told so plainly; nothing half-saved, other users unaffected."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.limits import MAX_SETS_PER_DAY
from tests.e2e.conftest import Harness
from tests.e2e.flows import onboard


async def sets_logged(h: Harness, user: int) -> int:
    row = await h.app.bot_data.db.one("SELECT COUNT(*) FROM set_logs WHERE user_id = ?", (user,))
    assert row is not None
    return int(row[0])


async def test_sets_beyond_the_daily_cap_are_refused_with_a_clear_reply(harness: Harness) -> None:
    h, u = harness, 901
    await onboard(h, u)
    per_message = 5
    for _ in range(MAX_SETS_PER_DAY // per_message):
        [ok] = await h.send(u, "deadlift 5x5 100")
        assert "(logged)" in ok.plain_text
    assert await sets_logged(h, u) == MAX_SETS_PER_DAY
    [refused] = await h.send(u, "deadlift 5x5 100")
    assert "my limit" in refused.plain_text and "didn't save" in refused.plain_text
    assert "went wrong" not in refused.plain_text
    assert await sets_logged(h, u) == MAX_SETS_PER_DAY, "nothing of the refused message saved"
    h.clock.now += timedelta(hours=24, minutes=1)
    [ok] = await h.send(u, "deadlift 5x5 100")
    assert "(logged)" in ok.plain_text, "the next day logging works again"
