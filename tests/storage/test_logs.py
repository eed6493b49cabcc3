"""The log's sources on a real SQLite file: one message logs once, edits replace, undo removes."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.models import SetKind
from bot.domain.setlog import LoggedSet, parse_sets
from bot.storage.db import Database
from bot.storage.logs import LogRepo
from bot.storage.repo import Repo
from bot.storage.workouts import Source, WorkoutRepo

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
NO_TARGET: tuple[int | None, int | None, float | None] = (None, None, None)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    await Repo(database).upsert_user(1, 1, "Ann", NOW)
    yield database
    await database.close()


async def test_a_message_logs_once_and_an_edit_replaces_its_sets(db: Database) -> None:
    workouts, logs = WorkoutRepo(db), LogRepo(db)
    source = Source(update_id=10, chat_id=1, message_id=5, text="deadlift 5x5 100")
    sid = await workouts.log_outside(1, "deadlift", parse_sets("5x5 100"), NO_TARGET, NOW, source)
    assert sid is not None
    with pytest.raises(sqlite3.IntegrityError):  # the same message cannot log a second time
        await workouts.log_outside(1, "deadlift", parse_sets("5x5 100"), NO_TARGET, NOW, source)
    found = await logs.by_message(1, 5)
    assert found is not None and found.id == sid and (await logs.by_update(10)) == found
    new = [("deadlift", SetKind.WORKING, s, NO_TARGET) for s in parse_sets("3x5 110 rpe 9")]
    await logs.replace(found, new, None, None, NOW)
    entries = await logs.entries_of(sid)
    assert [(e.set.reps, e.set.weight_kg, e.set.rpe) for e in entries] == [(5, 110, 9)] * 3
    assert all(e.source_id == sid for e in entries)


async def test_undo_outside_takes_the_newest_line_and_history_keeps_old_rows(
    db: Database,
) -> None:
    workouts, logs = WorkoutRepo(db), LogRepo(db)
    await workouts.log_outside(1, "deadlift", [LoggedSet(reps=5, weight_kg=90)], NO_TARGET, NOW)
    for n, text in enumerate(("5x5 100", "3x8 60")):
        await workouts.log_outside(
            1,
            "deadlift",
            parse_sets(text),
            NO_TARGET,
            NOW + timedelta(minutes=n),
            Source(update_id=20 + n, chat_id=1, message_id=30 + n, text=text),
        )
    last = await logs.last_outside(1)
    assert last is not None and last.text == "3x8 60"
    await logs.remove(1, [e.id for e in await logs.entries_of(last.id)], None, NOW)
    after = await logs.last_outside(1)
    assert after is not None and after.text == "5x5 100", "the next undo takes the line before"
    history = await logs.outside(1)
    assert [e.set.weight_kg for e in history] == [90.0] + [100.0] * 5, "a row without a source"
