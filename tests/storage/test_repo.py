"""Storage against real SQLite files: schema, versioned programs, conversation state, restarts."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS
from bot.storage.repo import Conversation, Repo

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "data" / "bot.sqlite3")
    yield database
    await database.close()


async def test_open_creates_schema_with_wal_and_foreign_keys(db: Database) -> None:
    assert await db.schema_version() == len(MIGRATIONS)
    mode = await db.one("PRAGMA journal_mode")
    fk = await db.one("PRAGMA foreign_keys")
    assert mode is not None and mode[0] == "wal"
    assert fk is not None and fk[0] == 1
    tables = {r[0] for r in await db.all("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "profiles", "programs", "conversations"} <= tables


async def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = await Database.open(path)
    await Repo(first).upsert_user(1, 1, "Ann", NOW)
    await first.close()
    again = await Database.open(path)
    try:
        assert await again.schema_version() == len(MIGRATIONS)
        user = await Repo(again).get_user(1)
        assert user is not None and user.first_name == "Ann"
    finally:
        await again.close()


async def test_a_database_from_newer_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version={len(MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="newer than this code"):
        await Database.open(path)


async def test_changed_answers_issue_a_new_version_and_old_ones_stay(
    db: Database, library: Library
) -> None:
    repo = Repo(db)
    await repo.upsert_user(7, 7, "Bo", NOW)
    first = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    second = first.model_copy(update={"conditions": frozenset({"hernia"})})
    v1 = await repo.issue_program(7, first, build_plan(first, library), NOW)
    v2 = await repo.issue_program(7, second, build_plan(second, library), NOW + timedelta(days=1))
    assert (v1.version, v2.version) == (1, 2)
    current = await repo.current_program(7)
    assert current is not None and current.id == v2.id and current.plan.template == "spine-sparing"
    old = await repo.program(v1.id)
    assert old is not None and old.profile == first and old.plan == build_plan(first, library)
    assert await repo.program_versions(7) == [1, 2]


async def test_programs_need_a_known_user(db: Database, library: Library) -> None:
    prof = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    with pytest.raises(sqlite3.IntegrityError):
        await Repo(db).issue_program(99, prof, build_plan(prof, library), NOW)
    assert await Repo(db).current_program(99) is None


async def test_conversation_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = await Database.open(path)
    repo = Repo(first)
    await repo.upsert_user(5, 5, "Cy", NOW)
    await repo.save_conversation(5, "onboarding", {"step": "pullups", "goal": "width"}, NOW)
    await first.close()
    again = await Database.open(path)
    try:
        assert await Repo(again).load_conversation(5) == Conversation(
            "onboarding",
            {"step": "pullups", "goal": "width"},
        )
        await Repo(again).clear_conversation(5)
        assert await Repo(again).load_conversation(5) is None
    finally:
        await again.close()


async def test_times_are_stored_in_utc_and_naive_ones_refused(db: Database) -> None:
    repo = Repo(db)
    moscow = timezone(timedelta(hours=3))
    user = await repo.upsert_user(3, 3, "Di", NOW.astimezone(moscow))
    assert user.created_at == NOW and user.created_at.tzinfo is not None
    with pytest.raises(ValueError, match="naive"):
        await repo.upsert_user(4, 4, "Ed", datetime(2026, 1, 1))  # noqa: DTZ001


async def test_a_group_is_told_once(db: Database) -> None:
    repo = Repo(db)
    assert await repo.mark_group_told(-100, NOW) is True
    assert await repo.mark_group_told(-100, NOW) is False


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    repo = Repo(db)
    await repo.upsert_user(8, 8, "Flo", NOW)
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("UPDATE users SET first_name = 'X' WHERE id = 8")
            raise RuntimeError("boom")
    user = await repo.get_user(8)
    assert user is not None and user.first_name == "Flo"


async def test_nested_transactions_commit_together_or_not_at_all(db: Database) -> None:
    """A use case's writes are one unit of work: a failure after the first rolls back both."""
    repo = Repo(db)
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await repo.upsert_user(1, 1, "Ann", NOW)
            await repo.set_timezone(1, "Europe/Moscow", NOW)
            raise RuntimeError("cut between two writes")
    assert await repo.get_user(1) is None
    async with db.transaction():
        await repo.upsert_user(1, 1, "Ann", NOW)
        await repo.set_timezone(1, "Europe/Moscow", NOW)
    user = await repo.get_user(1)
    assert user is not None and user.timezone == "Europe/Moscow"
