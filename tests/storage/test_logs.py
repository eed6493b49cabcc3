"""The log's sources on a real SQLite file: one message logs once, edits replace, undo removes."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.models import Goal, Level, Library, Profile, SetKind
from bot.domain.programs import build_plan
from bot.domain.setlog import LoggedSet, parse_sets
from bot.domain.targets import SetAim
from bot.domain.workouts import items_from_day
from bot.storage.db import Database
from bot.storage.logs import LogRepo
from bot.storage.repo import Repo
from bot.storage.workouts import NewSet, Source, WorkoutRepo

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
NO_TARGET = SetAim()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    await Repo(database).upsert_user(1, 1, "Ann", NOW)
    yield database
    await database.close()


async def test_a_message_logs_once_and_an_edit_replaces_its_sets(db: Database) -> None:
    workouts, logs = WorkoutRepo(db), LogRepo(db)
    source = Source(10, 1, 5, "deadlift 5x5 100", sent_at=1_796_300_000)
    sid = await workouts.log_outside(1, "deadlift", parse_sets("5x5 100"), NO_TARGET, NOW, source)
    assert sid is not None
    with pytest.raises(sqlite3.IntegrityError):  # the same message cannot log a second time
        await workouts.log_outside(1, "deadlift", parse_sets("5x5 100"), NO_TARGET, NOW, source)
    found = await logs.by_message(1, 5, 1_796_300_000)
    assert found is not None and found.id == sid and (await logs.by_update(10)) == found
    assert await logs.by_message(1, 5, 1_796_399_999) is None, "same id, another message"
    new = [NewSet("deadlift", SetKind.WORKING, s, NO_TARGET) for s in parse_sets("3x5 110 rpe 9")]
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


async def test_undo_after_an_edit_still_takes_the_last_line(db: Database, library: Library) -> None:
    profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10)
    program = await Repo(db).issue_program(1, profile, build_plan(profile, library), NOW)
    workouts, logs = WorkoutRepo(db), LogRepo(db)
    day = program.plan.days[0]
    workout = await workouts.create(
        1, program.id, None, day.kind, NOW.date(), items_from_day(day), NOW
    )
    for n, text in enumerate(("2x10 bw", "1x9 bw")):
        logs_in = [NewSet("pullup-wide", SetKind.WORKING, s, NO_TARGET) for s in parse_sets(text)]
        await workouts.save(workout, NOW, logs_in, Source(40 + n, 1, 50 + n, text), 3)
    first = await logs.by_message(1, 50)
    assert first is not None
    again = [NewSet("pullup-wide", SetKind.WORKING, s, NO_TARGET) for s in parse_sets("2x11 bw")]
    await logs.replace(first, again, 3, None, NOW)
    last = await logs.last_in_workout(workout.id)
    assert last is not None and last.set.reps == 9, "the edit did not make the first line newest"


async def test_a_source_by_id_its_failed_mark_and_the_newest_sets_oldest_first(
    db: Database,
) -> None:
    workouts, logs = WorkoutRepo(db), LogRepo(db)
    assert await logs.by_id(1) is None and await logs.by_update(1) is None
    assert await logs.last_source(1) is None and await logs.everything(1) == []
    for n, text in enumerate(("5x5 100", "3x3 120")):
        await workouts.log_outside(
            1, "deadlift", parse_sets(text), NO_TARGET, NOW, Source(update_id=60 + n, text=text)
        )
    newest = await logs.last_source(1)
    assert newest is not None and newest.text == "3x3 120" and not newest.failed
    await logs.set_failed(newest.id, True)
    marked = await logs.by_id(newest.id)
    assert marked is not None and marked.failed, "a retry of the same text is not logged"
    assert [e.set.reps for e in await logs.everything(1)] == [5] * 5 + [3] * 3
    assert [e.set.reps for e in await logs.everything(1, limit=4)] == [5, 3, 3, 3]
