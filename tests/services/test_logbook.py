"""Fixing and reading the log through the use cases: undo, edit, history, progress, export."""

from __future__ import annotations

import json

import pytest

from bot.domain.logged import Source
from bot.domain.setlog import SetLogError
from bot.services.logbook import Edited, NotLogged
from bot.services.logset import SetLogged
from tests.services.conftest import World

U = 7


async def _typed(world: World, text: str) -> SetLogged:
    return await _typed_from(world, text, world.message(U, text))


async def _typed_from(world: World, text: str, source: Source) -> SetLogged:
    result = await world.setlog.typed(U, text, source)
    assert isinstance(result, SetLogged)
    return result


async def _edit(world: World, typed: str, corrected: str) -> Edited:
    """Log a typed line, then edit its message to read `corrected`."""
    source = world.message(U, typed)
    await _typed_from(world, typed, source)
    assert source.sent_at is not None and source.chat_id is not None
    assert source.message_id is not None
    return await world.logbook.edit(source.sent_at, U, source.chat_id, source.message_id, corrected)


async def test_undo_removes_the_last_set_and_the_workout_counts_it_back(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    await _typed(world, "2x10 bw")
    undone = await world.logbook.undo(U)
    assert undone is not None and undone.exercise.id == "pullup-wide"
    assert [s.reps for s in undone.sets] == [10]
    assert undone.workout is not None and undone.workout.current is not None
    assert undone.workout.current.logged == 1
    active = await world.workouts.active(U)
    assert active is not None
    assert len(await world.workouts.workout_entries(active.id)) == 1


async def test_undo_with_nothing_logged_changes_nothing(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    assert await world.logbook.undo(U) is None


async def test_an_edited_message_replaces_what_it_logged(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    edited = await _edit(world, "2x10 bw", "3x8 bw")
    assert [s.reps for s in edited.before] == [10, 10]
    assert [s.reps for s in edited.after] == [8, 8, 8]
    assert edited.workout is not None and edited.workout.current is not None
    assert edited.workout.current.logged == 3, "the workout counts the corrected sets"
    active = await world.workouts.active(U)
    assert active is not None
    reps = [e.set.reps for e in await world.workouts.workout_entries(active.id)]
    assert reps == [8, 8, 8]


async def test_an_edit_that_cannot_be_read_keeps_the_line_as_it_was(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    with pytest.raises(SetLogError):
        await _edit(world, "2x10 bw", "3x")
    active = await world.workouts.active(U)
    assert active is not None
    assert [e.set.reps for e in await world.workouts.workout_entries(active.id)] == [10, 10]


async def test_editing_a_message_that_logged_nothing_says_so(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    with pytest.raises(NotLogged):
        await world.logbook.edit(1, U, U, 999, "3x8 bw")


async def test_history_and_records_show_a_finished_workout(world: World) -> None:
    await world.onboard(U)
    workout = await world.start(U)
    await _typed(world, "2x10 bw")
    await world.training.end(U, workout.id, early=True)
    [day] = await world.logbook.history(U)
    assert day.ended_early and day.on == workout.on
    assert [(line.name, [s.reps for s in line.sets]) for line in day.lines] == [
        ("Wide-grip pull-up", [10, 10])
    ]
    [records] = await world.logbook.records(U)
    assert records.name == "Wide-grip pull-up" and records.lines


async def test_progress_and_export_see_the_logged_sets(world: World) -> None:
    await world.onboard(U)
    workout = await world.start(U)
    await _typed(world, "2x10 bw")
    await world.training.end(U, workout.id, early=False)
    assert await world.progress.logged_exercises(U) == ["pullup-wide"]
    assert [s.set.reps for s in await world.progress.sets(U)] == [10, 10]
    csv, count = await world.own.strong_csv(U)
    assert count == 2 and "Wide-grip pull-up" in csv
    dump = json.loads(await world.own.json_dump(U))
    assert dump["user_id"] == U and len(dump["tables"]["set_logs"]) == 2
