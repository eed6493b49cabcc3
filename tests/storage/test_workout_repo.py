"""WorkoutRepo on real SQLite files: workouts, logged sets with their aims, and targets."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain import workouts as wk
from bot.domain.limits import MAX_SETS_PER_DAY, DailyLimit
from bot.domain.models import DayKind, Goal, Level, Library, Profile, SetKind
from bot.domain.programs import build_plan
from bot.domain.setlog import LoggedSet
from bot.domain.targets import SetAim, Target
from bot.domain.workouts import Workout, WorkoutStatus
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.userdata import UserData
from bot.storage.workouts import NewSet, Source, WorkoutRepo

NOW = datetime(2026, 11, 23, 17, 5, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


async def open_workout(db: Database, library: Library, user_id: int = 1) -> Workout:
    """A user with a program and an open upper-day workout."""
    repo = Repo(db)
    await repo.upsert_user(user_id, user_id, "Ann", NOW)
    profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10)
    plan = build_plan(profile, library)
    issued = await repo.issue_program(user_id, profile, plan, NOW)
    return await WorkoutRepo(db).create(
        user_id, issued.id, None, DayKind.UPPER, MONDAY, wk.items_from_day(plan.days[0]), NOW
    )


async def test_a_created_workout_is_active_and_one_per_user(db: Database, library: Library) -> None:
    workouts = WorkoutRepo(db)
    assert await workouts.active(1) is None and await workouts.get(1) is None
    workout = await open_workout(db, library)
    assert workout.status is WorkoutStatus.ACTIVE and workout.position == 0 and workout.items
    assert await workouts.active(1) == workout == await workouts.get(workout.id)
    assert await workouts.all_active() == [workout]
    with pytest.raises(sqlite3.IntegrityError):
        await workouts.create(1, workout.program_id, None, DayKind.LOWER, MONDAY, [], NOW)
    await workouts.save(workout.model_copy(update={"status": WorkoutStatus.FINISHED}), NOW)
    assert await workouts.active(1) is None
    assert [w.status for w in await workouts.recent(1)] == [WorkoutStatus.FINISHED]


async def test_saving_progress_stores_the_sets_with_their_aim_and_source(
    db: Database, library: Library
) -> None:
    workouts = WorkoutRepo(db)
    workout = await open_workout(db, library)
    item = workout.items[workout.position]
    sets = [LoggedSet(reps=8, weight_kg=60.0), LoggedSet(reps=7, weight_kg=60.0, rpe=9.0)]
    aim = SetAim(8, 12, 60.0)
    moved = wk.record_sets(workout, len(sets))
    source_id = await workouts.save(
        moved,
        NOW,
        [NewSet(item.exercise_id, SetKind.WORKING, s, aim) for s in sets],
        Source(update_id=5, chat_id=1, message_id=77, text="8, 7 @ 60 rpe 9", sent_at=1),
        workout.position,  # the item the sets belong to, before the workout moved on
    )
    assert source_id is not None
    assert await workouts.get(workout.id) == moved, "progress and sets saved together"
    entries = await workouts.workout_entries(workout.id)
    assert [e.set for e in entries] == sets
    assert {(e.source_id, e.item_index, e.workout_id) for e in entries} == {
        (source_id, workout.position, workout.id)
    }
    rows = await db.all("SELECT target_reps_min, target_reps_max, target_weight_kg FROM set_logs")
    assert [tuple(r) for r in rows] == [(8, 12, 60.0)] * 2
    # Saving with no sets stores no source.
    assert await workouts.save(moved, NOW, [], Source(update_id=6)) is None


async def test_sets_outside_a_workout_keep_their_kind_and_come_back_oldest_first(
    db: Database,
) -> None:
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    workouts = WorkoutRepo(db)
    await workouts.log_outside(
        1, "deadlift", [LoggedSet(reps=5, weight_kg=100.0)] * 3, SetAim(), NOW
    )
    await workouts.log_outside(
        1, "pullup-wide", [LoggedSet(reps=12, max_effort=True)], SetAim(), NOW
    )
    later = NOW + timedelta(days=2)
    await workouts.log_outside(1, "deadlift", [LoggedSet(reps=3, weight_kg=110.0)], SetAim(), later)
    entries = await workouts.entries(1, "deadlift")
    assert [(e.set.reps, e.logged_at) for e in entries] == [(5, NOW)] * 3 + [(3, later)]
    assert all(e.kind is SetKind.WORKING and e.workout_id is None for e in entries)
    [pullups] = await workouts.entries(1, "pullup-wide")
    assert pullups.kind is SetKind.MAX and pullups.set.max_effort
    assert [e.set.reps for e in await workouts.entries(1, "deadlift", limit=2)] == [5, 3]
    assert await workouts.entries(2, "deadlift") == []


async def test_over_the_daily_cap_neither_the_sets_nor_the_progress_are_saved(
    db: Database, library: Library
) -> None:
    workouts = WorkoutRepo(db)
    workout = await open_workout(db, library)
    many = [LoggedSet(reps=5, weight_kg=50.0)] * 100
    for _ in range(MAX_SETS_PER_DAY // 100):
        await workouts.log_outside(1, "deadlift", many, SetAim(), NOW)
    moved = wk.record_sets(workout, 1)
    one = [NewSet("deadlift", SetKind.WORKING, LoggedSet(reps=5, weight_kg=50.0), SetAim())]
    with pytest.raises(DailyLimit):
        await workouts.save(moved, NOW, one, Source(update_id=9))
    assert await workouts.get(workout.id) == workout, "the workout did not move on"
    assert len(await workouts.workout_entries(workout.id)) == 0
    count = await db.one("SELECT COUNT(*) FROM log_sources")
    assert count is not None and count[0] == 0, "no source row for refused sets"
    # A day later there is room again.
    await workouts.save(moved, NOW + timedelta(hours=25), one, Source(update_id=10))
    assert len(await workouts.workout_entries(workout.id)) == 1


async def test_a_target_is_none_until_set_and_is_replaced_whole(db: Database) -> None:
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    workouts = WorkoutRepo(db)
    assert await workouts.target(1, "deadlift") is None
    first = Target(60.0, 8, 12, 0, "Start here.", (8, 8, 8))
    await workouts.set_target(1, "deadlift", first, NOW)
    assert await workouts.target(1, "deadlift") == first
    second = Target(None, 5, None, 2, "As many as you can.")
    await workouts.set_target(1, "deadlift", second, NOW)
    assert await workouts.target(1, "deadlift") == second
    assert await workouts.target(1, "pullup-wide") is None
    assert first.aim() == SetAim(8, 12, 60.0)


async def test_workouts_and_sets_survive_a_reopen(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    workout = await open_workout(db, library)
    moved = wk.record_sets(workout, 1)
    one = [NewSet("deadlift", SetKind.WORKING, LoggedSet(reps=5, weight_kg=50.0), SetAim())]
    await WorkoutRepo(db).save(moved, NOW, one)
    await db.close()
    again = await Database.open(path)
    try:
        assert await WorkoutRepo(again).active(1) == moved
        [entry] = await WorkoutRepo(again).workout_entries(workout.id)
        assert entry.set == one[0].set and entry.logged_at == NOW
    finally:
        await again.close()


async def test_items_are_kept_compressed_and_rows_written_as_text_still_read(
    db: Database, library: Library
) -> None:
    workout = await open_workout(db, library)
    row = await db.one("SELECT items, LENGTH(items) FROM workouts WHERE id = ?", (workout.id,))
    assert row is not None and isinstance(row[0], bytes)
    as_json = json.dumps([i.model_dump(mode="json") for i in workout.items])
    assert row[1] < len(as_json) / 2
    # A row from before compression holds the JSON text itself.
    async with db.transaction() as conn:
        await conn.execute("UPDATE workouts SET items = ? WHERE id = ?", (as_json, workout.id))
    assert await WorkoutRepo(db).get(workout.id) == workout
    dumped = await UserData(db).dump(1)
    assert dumped["workouts"][0]["items"][0]["exercise_id"] == workout.items[0].exercise_id
