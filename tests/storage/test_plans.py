"""Plans stored once per distinct content: shared by users, migrated from old rows, readable."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.domain.models import Goal, Level, Library, Plan, Profile
from bot.domain.programs import build_plan
from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS
from bot.storage.repo import Repo
from bot.storage.userdata import UserData

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


PROFILE = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)


async def issued_to(db: Database, library: Library, users: range) -> Plan:
    """Each user gets PROFILE's program; the plan."""
    repo, plan = Repo(db), build_plan(PROFILE, library)
    for user in users:
        await repo.upsert_user(user, user, "U", NOW)
        await repo.issue_program(user, PROFILE, plan, NOW)
    return plan


async def test_users_with_the_same_answers_share_one_stored_plan(
    db: Database, library: Library
) -> None:
    repo = Repo(db)
    plan = await issued_to(db, library, range(1, 11))
    other = Profile(goal=Goal.THICKNESS, level=Level.ADVANCED, pullups=15)
    await repo.upsert_user(11, 11, "V", NOW)
    await repo.issue_program(11, other, build_plan(other, library), NOW)
    plans = await db.one("SELECT COUNT(*), SUM(LENGTH(body)) FROM plans")
    assert plans is not None and plans[0] == 2
    assert plans[1] < len(plan.model_dump_json()) / 2, "kept compressed"
    for user in (1, 10):
        issued = await repo.current_program(user)
        assert issued is not None and issued.plan == plan and issued.profile == PROFILE
    again = await repo.current_program(11)
    assert again is not None and again.plan == build_plan(other, library)
    # Deleting every user of a plan removes it; a plan others still use stays.
    await UserData(db).delete(11)
    await UserData(db).delete(1)
    left = await db.one("SELECT COUNT(*) FROM plans")
    assert left is not None and left[0] == 1
    issued = await repo.current_program(2)
    assert issued is not None and issued.plan == plan


async def test_the_json_export_shows_the_plan_in_its_program_row(
    db: Database, library: Library
) -> None:
    plan = await issued_to(db, library, range(1, 2))
    dumped = await UserData(db).dump(1)
    [program] = dumped["programs"]
    assert program["plan"]["template"] == plan.template
    assert len(program["plan"]["days"]) == len(plan.days)
    assert "plan_key" not in program


async def test_programs_stored_before_the_plans_table_move_there_and_stay_readable(
    tmp_path: Path, library: Library
) -> None:
    path = tmp_path / "bot.sqlite3"
    first = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    second = Profile(goal=Goal.THICKNESS, level=Level.INTERMEDIATE, pullups=9)
    plans = [build_plan(first, library), build_plan(second, library)]
    # A database as schema 8 left it: every program row holds its whole plan.
    with sqlite3.connect(path) as raw:
        for script in MIGRATIONS[:8]:
            raw.executescript(script)
        raw.execute("PRAGMA user_version=8")
        raw.execute(
            "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (1, 1, ?, ?)",
            (NOW.isoformat(), NOW.isoformat()),
        )
        for version, (profile, plan) in enumerate(
            zip([first, second, first], [*plans, plans[0]], strict=True), 1
        ):
            cur = raw.execute(
                "INSERT INTO profiles (user_id, answers, created_at) VALUES (1, ?, ?)",
                (profile.model_dump_json(), NOW.isoformat()),
            )
            raw.execute(
                "INSERT INTO programs (user_id, version, profile_id, outcome, plan, created_at)"
                " VALUES (1, ?, ?, ?, ?, ?)",
                (
                    version,
                    cur.lastrowid,
                    plan.outcome.value,
                    plan.model_dump_json(),
                    NOW.isoformat(),
                ),
            )
    raw.close()
    db = await Database.open(path)
    try:
        assert await db.schema_version() == len(MIGRATIONS)
        repo = Repo(db)
        assert await repo.program_versions(1) == [1, 2, 3]
        rows = await db.all("SELECT id, plan FROM programs ORDER BY version")
        assert [r["plan"] for r in rows] == ["", "", ""], "the old copies are gone"
        stored = await db.one("SELECT COUNT(*) FROM plans")
        assert stored is not None and stored[0] == 2, "two distinct plans, stored once each"
        for row, profile, plan in zip(
            rows, [first, second, first], [*plans, plans[0]], strict=True
        ):
            issued = await repo.program(int(row["id"]))
            assert issued is not None and issued.profile == profile and issued.plan == plan
        # A row written the old way (a whole plan, no key) is still read from its own column.
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO programs (user_id, version, profile_id, outcome, plan, created_at)"
                " VALUES (1, 4, 1, ?, ?, ?)",
                (plans[1].outcome.value, plans[1].model_dump_json(), NOW.isoformat()),
            )
        current = await repo.current_program(1)
        assert current is not None and current.version == 4 and current.plan == plans[1]
    finally:
        await db.close()
