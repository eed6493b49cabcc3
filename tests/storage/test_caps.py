"""Per-user caps: one user cannot grow the database without bound; others are unaffected."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.limits import MAX_PROGRAM_VERSIONS_PER_DAY, DailyLimit
from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.storage.db import Database
from bot.storage.repo import Repo

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


async def test_new_program_versions_are_capped_per_day_and_the_set_up_stays_open(
    db: Database, library: Library
) -> None:
    repo = Repo(db)
    await repo.upsert_user(7, 7, "Bo", NOW)
    profile = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    plan = build_plan(profile, library)
    for i in range(MAX_PROGRAM_VERSIONS_PER_DAY):
        await repo.issue_program(7, profile, plan, NOW + timedelta(minutes=i))
    await repo.save_conversation(7, "onboarding", {"step": "last"}, NOW)
    with pytest.raises(DailyLimit) as caught:
        await repo.issue_program(7, profile, plan, NOW + timedelta(hours=1), end_conversation=True)
    assert "Try again tomorrow" in caught.value.reply()
    assert len(await repo.program_versions(7)) == MAX_PROGRAM_VERSIONS_PER_DAY
    assert await repo.load_conversation(7) is not None, "the refused set-up is not lost"
    # A day later the user may change their program again.
    later = await repo.issue_program(7, profile, plan, NOW + timedelta(hours=25))
    assert later.version == MAX_PROGRAM_VERSIONS_PER_DAY + 1
