"""A workout's items on disk: compressed against a preset dictionary, every older way still read."""

from __future__ import annotations

import json
import sqlite3
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.domain import workouts as wk
from bot.domain.models import DayKind, Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.storage import db as db_module
from bot.storage.db import Database
from bot.storage.items import DICTIONARY_V1, items_json, items_text
from bot.storage.migrations import MIGRATIONS
from bot.storage.repo import Repo
from bot.storage.workouts import WorkoutRepo

NOW = datetime(2026, 11, 23, 17, 5, tzinfo=UTC)
# Stored rows name their dictionary by this checksum: changing DICTIONARY_V1 would make every
# row packed with it unreadable. A new dictionary goes beside it instead.
DICTIONARY_V1_ADLER32 = 0xE651507D


def typical_items(library: Library, goal: Goal, level: Level, pullups: int, week: int) -> str:
    plan = build_plan(Profile(goal=goal, level=level, pullups=pullups), library, week=week)
    return json.dumps([i.model_dump(mode="json") for i in wk.items_from_day(plan.days[0])])


def test_the_dictionary_never_changes() -> None:
    assert zlib.adler32(DICTIONARY_V1) == DICTIONARY_V1_ADLER32


@pytest.mark.parametrize(
    ("goal", "level", "pullups", "week"),
    [
        (Goal.WIDTH, Level.BEGINNER, 2, 1),
        (Goal.THICKNESS, Level.INTERMEDIATE, 9, 4),
        (Goal.STRENGTH, Level.ADVANCED, 15, 7),
    ],
)
def test_a_workout_takes_a_fraction_of_what_zlib_alone_stores(
    library: Library, goal: Goal, level: Level, pullups: int, week: int
) -> None:
    text = typical_items(library, goal, level, pullups, week)
    plan = build_plan(Profile(goal=goal, level=level, pullups=pullups), library, week=week)
    stored = items_json(wk.items_from_day(plan.days[0]))
    assert items_text(stored) == text
    assert len(stored) < len(zlib.compress(text.encode())) / 3


def test_rows_written_before_the_dictionary_stay_readable(library: Library) -> None:
    text = typical_items(library, Goal.WIDTH, Level.BEGINNER, 2, 1)
    assert items_text(text) == text  # before compression: the JSON itself
    assert items_text(zlib.compress(text.encode())) == text  # schema 10: zlib alone


async def test_migration_compresses_the_workouts_of_a_schema_10_file(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    # A file as schema 10 left it: one workout's items zlib-compressed alone, one as text.
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS[:10])
    old = await Database.open(path)
    repo, workouts = Repo(old), WorkoutRepo(old)
    plan = build_plan(Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2), library)
    made = []
    for user, day in ((1, 0), (2, 1)):
        await repo.upsert_user(user, user, "Ann", NOW)
        issued = await repo.issue_program(
            user, Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2), plan, NOW
        )
        kind = plan.days[day].kind
        items = wk.items_from_day(plan.days[day])
        made.append(
            await workouts.create(user, issued.id, None, kind, date(2026, 11, 23), items, NOW)
        )
    assert await old.schema_version() == 10
    await old.close()
    first_text = json.dumps([i.model_dump(mode="json") for i in made[0].items])
    second_text = json.dumps([i.model_dump(mode="json") for i in made[1].items])
    with sqlite3.connect(path) as raw:
        raw.execute(
            "UPDATE workouts SET items = ? WHERE id = ?",
            (zlib.compress(first_text.encode()), made[0].id),
        )
        raw.execute("UPDATE workouts SET items = ? WHERE id = ?", (second_text, made[1].id))
    raw.close()
    monkeypatch.setattr(db_module, "MIGRATIONS", MIGRATIONS)

    db = await Database.open(path)
    try:
        assert await db.schema_version() == len(MIGRATIONS)
        rows = await db.all("SELECT id, items FROM workouts ORDER BY id")
        assert all(isinstance(r["items"], bytes) and r["items"][1] & 0x20 for r in rows)
        assert len(rows[0]["items"]) < len(zlib.compress(first_text.encode())) / 3
        for workout in made:
            again = await WorkoutRepo(db).get(workout.id)
            assert again is not None and again.items == workout.items
        # SQL reads them too (the set-log path asks for a workout's exercises this way).
        ids = await db.all(
            "SELECT json_extract(i.value, '$.exercise_id') AS e"
            " FROM workouts AS w, json_each(workout_items(w.items)) AS i WHERE w.id = ?",
            (made[1].id,),
        )
        assert [r["e"] for r in ids] == [i.exercise_id for i in made[1].items]
        assert made[1].kind is DayKind.LOWER
    finally:
        await db.close()
