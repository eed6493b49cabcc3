"""A user over a cap (sets a day, program versions kept) is told so plainly; nothing half-saved."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.limits import MAX_PROGRAM_VERSIONS, MAX_SETS_PER_DAY
from tests.e2e.conftest import Harness
from tests.e2e.flows import clear_triage, onboard


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


async def test_beyond_the_kept_program_versions_a_new_set_up_is_refused_clearly(
    harness: Harness,
) -> None:
    h, u = harness, 902
    await onboard(h, u)
    repo = h.app.bot_data.repo
    current = await repo.current_program(u)
    assert current is not None
    # Years of changes: distinct versions up to the cap (each differs from the one before).
    for n in range(MAX_PROGRAM_VERSIONS - 1):
        changed = current.profile.model_copy(update={"pullups": n % 2})
        await repo.issue_program(u, changed, current.plan, h.clock.now)
    last = await repo.current_program(u)
    assert last is not None and last.version == MAX_PROGRAM_VERSIONS
    await h.send(u, "/settings", expect=2)
    await clear_triage(h, u)
    await h.answer(u, "Wider back")
    await h.answer(u, "Intermediate (1-3 years)")
    await h.answer(u, "10")
    await h.answer(u, "None of these")
    await h.answer(u, "None, skip this")
    await h.answer(u, "Full gym")
    for day in ("Mon", "Thu"):
        await h.tick(u, f"▫️ {day}")
    await h.answer(u, "Done")
    await h.answer(u, "18:00")
    await h.send(u, "Berlin")
    [refused] = await h.press(u, "Looks good")
    assert f"{MAX_PROGRAM_VERSIONS} versions" in refused.plain_text
    assert "kept your current program" in refused.plain_text
    assert "went wrong" not in refused.plain_text
    assert await repo.program_versions(u) == list(range(1, MAX_PROGRAM_VERSIONS + 1))
    now = await repo.current_program(u)
    assert now is not None and now.id == last.id, "the current program stays"
