"""Per-user caps: one user cannot grow the database without bound; others are unaffected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.limits import MAX_PROGRAM_VERSIONS, ProgramVersionLimit
from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.storage.db import Database
from bot.storage.repo import Repo

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


async def counts(db: Database, user_id: int) -> tuple[int, int, int]:
    """(program versions, stored answers, stored plans) of the database."""
    row = await db.one(
        "SELECT (SELECT COUNT(*) FROM programs WHERE user_id = ?),"
        " (SELECT COUNT(*) FROM profiles WHERE user_id = ?), (SELECT COUNT(*) FROM plans)",
        (user_id, user_id),
    )
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


async def test_repeating_the_same_set_up_issues_no_new_version_and_stores_nothing(
    db: Database, library: Library
) -> None:
    repo = Repo(db)
    await repo.upsert_user(7, 7, "Bo", NOW)
    profile = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    plan = build_plan(profile, library)
    first = await repo.issue_program(7, profile, plan, NOW)
    for i in range(50):
        again = await repo.issue_program(7, profile, plan, NOW + timedelta(minutes=i))
        assert (again.id, again.version) == (first.id, 1)
    assert await repo.program_versions(7) == [1]
    assert await counts(db, 7) == (1, 1, 1)
    changed = profile.model_copy(update={"pullups": 3})
    second = await repo.issue_program(7, changed, build_plan(changed, library), NOW)
    assert second.version == 2, "a real change is a new version"


async def test_program_versions_are_capped_in_total_and_the_set_up_stays_open(
    db: Database, library: Library
) -> None:
    repo = Repo(db)
    await repo.upsert_user(7, 7, "Bo", NOW)
    plan = build_plan(Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2), library)
    distinct = [
        Profile(goal=goal, level=level, pullups=n)
        for goal in Goal
        for level in Level
        for n in range(101)
    ][: MAX_PROGRAM_VERSIONS + 1]
    for i, profile in enumerate(distinct[:MAX_PROGRAM_VERSIONS]):
        await repo.issue_program(7, profile, plan, NOW + timedelta(minutes=i))
    assert await counts(db, 7) == (MAX_PROGRAM_VERSIONS, MAX_PROGRAM_VERSIONS, 1)
    await repo.save_conversation(7, "onboarding", {"step": "last"}, NOW)
    for later in (timedelta(hours=1), timedelta(days=30)):  # not a daily cap: it stays
        with pytest.raises(ProgramVersionLimit) as caught:
            await repo.issue_program(7, distinct[-1], plan, NOW + later, end_conversation=True)
        assert f"{MAX_PROGRAM_VERSIONS} versions" in caught.value.reply()
        assert "kept your current program" in caught.value.reply()
    assert await counts(db, 7) == (MAX_PROGRAM_VERSIONS, MAX_PROGRAM_VERSIONS, 1)
    assert await repo.load_conversation(7) is not None, "the refused set-up is not lost"
    current = await repo.current_program(7)
    assert current is not None and current.profile == distinct[MAX_PROGRAM_VERSIONS - 1]
    first_id = await db.one("SELECT MIN(id) FROM programs")
    assert first_id is not None
    oldest = await repo.program(int(first_id[0]))
    assert oldest is not None and oldest.profile == distinct[0] and oldest.plan == plan
    # Repeating the current set-up is still answered with the current program.
    same = await repo.issue_program(7, distinct[MAX_PROGRAM_VERSIONS - 1], plan, NOW)
    assert same.version == MAX_PROGRAM_VERSIONS
