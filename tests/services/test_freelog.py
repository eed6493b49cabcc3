"""Logging outside a workout through the use cases, on a real SQLite file: each commits once.

The update journal marks an update 'committed' in the same transaction as its first write, and
a replay after a crash never runs it again; so a use case that committed twice could be cut off
between its commits and would never be finished. Each test counts both the COMMITs SQLite ran
(Database.commits) and the units counted for the update (as the update processor does).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.logged import Source
from bot.domain.models import Outcome
from bot.domain.safety import Block
from bot.domain.starts import needs_weight
from bot.domain.workouts import Workout
from bot.i18n import reset_language, set_language
from bot.services.bootstrap import Services
from bot.services.cards import Card
from bot.services.freelog import (
    AlreadyLogged,
    AskWeight,
    AskWhich,
    Closed,
    Elsewhere,
    FreeLogged,
    InWorkout,
    NoProgram,
    NotALog,
    Route,
    Unreadable,
)
from bot.services.logfix import BadLine, Kept, Refused, Retyped, Stale, Started
from bot.services.logset import FirstWeight, Rest, SetLogged
from bot.storage.db import Database
from tests.services.conftest import ANN, RoundTrips, World, counting, onboarded

U = 7
T = TypeVar("T")


@dataclass
class Counted:
    """COMMITs run and units counted for one use case call."""

    commits: int = 0
    counted: int = 0


@asynccontextmanager
async def one_update(db: Database) -> AsyncIterator[Counted]:
    """Count what one call commits, as the update processor counts it per update."""
    out = Counted()
    before = db.commits
    with counting() as commits:
        yield out
    out.commits, out.counted = db.commits - before, commits.count


async def once(db: Database, call: Awaitable[T]) -> T:
    """Await a use case and check it committed exactly once."""
    async with one_update(db) as counted:
        result = await call
    assert (counted.commits, counted.counted) == (1, 1), counted
    return result


async def _rows(world: World, user_id: int = U) -> list[tuple[str, int, float | None]]:
    found = await world.db.all(
        "SELECT exercise_id, reps, weight_kg FROM set_logs WHERE user_id = ? ORDER BY id",
        (user_id,),
    )
    return [(r[0], r[1], r[2]) for r in found]


async def _flow(world: World, user_id: int = U) -> str | None:
    saved = await world.repo.load_conversation(user_id)
    return saved.flow if saved is not None else None


async def test_a_line_typed_outside_a_workout_is_logged_in_one_commit_and_one_round_trip(
    world: World, round_trips: RoundTrips
) -> None:
    await world.onboard(U)
    text = "deadlift 5x5 100"
    round_trips.reset()
    result = await once(world.db, world.freelog.typed(U, text, world.message(U, text)))
    assert round_trips.count == 1, "read, decide, write and COMMIT travel in one call"
    assert isinstance(result, FreeLogged)
    assert result.exercise.id == "deadlift" and result.source_id is not None
    assert result.caution.block is None and result.caution.check is not None
    assert result.caution.check.allowed
    assert await _rows(world) == [("deadlift", 5, 100.0)] * 5


async def test_the_same_message_delivered_again_is_not_logged_twice(world: World) -> None:
    await world.onboard(U)
    source = world.message(U, "deadlift 5x5 100")
    await world.freelog.typed(U, source.text, source)
    async with one_update(world.db) as counted:
        again = await world.freelog.typed(U, source.text, source)
    assert isinstance(again, AlreadyLogged) and len(again.sets) == 5
    assert counted.counted == 0, "a repeat writes nothing, so nothing marks it committed"
    assert len(await _rows(world)) == 5


async def test_a_line_for_several_exercises_asks_and_the_pick_logs_it_in_one_commit(
    world: World,
) -> None:
    await world.onboard(U)
    text = "row 3x10 60"
    asked = await once(world.db, world.freelog.typed(U, text, world.message(U, text)))
    assert isinstance(asked, AskWhich) and "machine-row" in asked.candidates
    assert await _flow(world) == "log"
    logged = await once(world.db, world.freelog.pick(U, "machine-row"))
    assert isinstance(logged, FreeLogged) and logged.exercise.id == "machine-row"
    assert await _rows(world) == [("machine-row", 10, 60.0)] * 3
    assert await _flow(world) is None, "the question closed with the same commit"
    async with one_update(world.db) as counted:
        assert isinstance(await world.freelog.pick(U, "machine-row"), Closed)
    assert counted.counted == 0
    assert len(await _rows(world)) == 3


async def test_sets_without_a_weight_wait_and_the_typed_weight_logs_them_in_one_commit(
    world: World,
) -> None:
    await world.onboard(U)
    text = "deadlift 5x5"
    asked = await once(world.db, world.freelog.typed(U, text, world.message(U, text)))
    assert isinstance(asked, AskWeight) and asked.question.exercise.id == "deadlift"
    assert asked.question.options, "a first weight to pick from"
    assert await _rows(world) == []
    logged = await once(world.db, world.freelog.typed(U, "90", world.message(U, "90")))
    assert isinstance(logged, FreeLogged) and [s.weight_kg for s in logged.sets] == [90.0] * 5
    assert await _rows(world) == [("deadlift", 5, 90.0)] * 5
    assert await _flow(world) is None


async def test_a_tapped_weight_logs_the_waiting_sets_in_one_commit(world: World) -> None:
    await world.onboard(U)
    asked = await world.freelog.typed(U, "deadlift 3x5", world.message(U, "deadlift 3x5"))
    assert isinstance(asked, AskWeight)
    wrong = await world.freelog.weight_tapped(U, "not-it", 80.0)
    assert isinstance(wrong, Closed)
    logged = await once(world.db, world.freelog.weight_tapped(U, asked.question.nonce, 80.0))
    assert isinstance(logged, FreeLogged)
    assert await _rows(world) == [("deadlift", 5, 80.0)] * 3
    assert isinstance(await world.freelog.weight_tapped(U, asked.question.nonce, 80.0), Closed)
    assert len(await _rows(world)) == 3


async def test_a_new_line_instead_of_the_weight_drops_the_question_and_logs_in_one_commit(
    world: World,
) -> None:
    await world.onboard(U)
    await world.freelog.typed(U, "deadlift 3x5", world.message(U, "deadlift 3x5"))
    text = "deadlift 2x3 120"
    logged = await once(world.db, world.freelog.typed(U, text, world.message(U, text)))
    assert isinstance(logged, FreeLogged)
    assert await _rows(world) == [("deadlift", 3, 120.0)] * 2
    assert await _flow(world) is None


async def test_text_that_logs_nothing_writes_nothing_and_counts_no_commit(world: World) -> None:
    await world.onboard(U)
    for text, kind in (("hello coach", NotALog), ("deadlift 5x", Unreadable)):
        async with one_update(world.db) as counted:
            result = await world.freelog.typed(U, text, world.message(U, text))
        assert isinstance(result, kind), result
        assert counted.counted == 0, "the update stays unmarked: a crash would replay it"
    assert await _rows(world) == []


async def test_a_user_without_a_program_is_sent_to_start(world: World) -> None:
    text = "deadlift 5x5 100"
    assert isinstance(await world.freelog.typed(U, text, world.message(U, text)), NoProgram)
    assert await _rows(world) == []


async def test_a_set_typed_in_a_workout_is_logged_in_the_same_single_round_trip(
    world: World, round_trips: RoundTrips
) -> None:
    await world.onboard(U)
    await world.start(U)
    round_trips.reset()
    result = await once(world.db, world.freelog.typed(U, "2x10 bw", world.message(U, "2x10 bw")))
    assert round_trips.count == 1, "routed, read, decided, written and committed in one call"
    assert isinstance(result, InWorkout) and isinstance(result.result, SetLogged)
    assert isinstance(result.result.next, Rest) and result.result.next.logged == 2
    assert await _rows(world) == [("pullup-wide", 10, None)] * 2
    async with one_update(world.db) as counted:
        undo = await world.freelog.typed(U, "undo", world.message(U, "undo"))
        unreadable = await world.freelog.typed(U, "2x", world.message(U, "2x"))
    assert isinstance(undo, Elsewhere) and undo.route is Route.UNDO
    assert isinstance(unreadable, Elsewhere) and unreadable.route is Route.WORKOUT
    assert counted.counted == 0, "what the async path takes is routed without a write"


async def test_a_set_typed_while_the_answers_rule_the_workout_out_is_left_to_the_gate(
    world: World,
) -> None:
    await world.onboard(U)
    await world.start(U)
    program = await world.repo.current_program(U)
    assert program is not None
    referred = program.plan.model_copy(update={"outcome": Outcome.REFER})
    await world.repo.issue_program(U, program.profile, referred, world.clock())
    async with one_update(world.db) as counted:
        result = await world.freelog.typed(U, "2x10 bw", world.message(U, "2x10 bw"))
    assert isinstance(result, Elsewhere) and result.route is Route.WORKOUT
    assert counted.counted == 0 and await _rows(world) == []
    refused = await world.logfixes.in_workout(U, "2x10 bw", world.message(U, "2x10 bw"))
    assert isinstance(refused, Refused) and await _rows(world) == []


async def test_a_line_logged_during_a_medical_pause_is_kept_with_the_pause_noted(
    services: Services,
) -> None:
    await onboarded(services)
    await services.db.write(
        "UPDATE schedules SET paused = 'medical' WHERE user_id = ?", (ANN.user_id,)
    )
    text = "deadlift 5x5 100"
    result = await once(
        services.db, services.freelog.typed(ANN.user_id, text, _message(ANN.user_id, text))
    )
    assert isinstance(result, FreeLogged)
    assert result.caution.block is Block.MEDICAL_PAUSE


async def test_a_reply_to_a_reminder_logs_against_that_sessions_exercises_in_one_commit(
    services: Services,
) -> None:
    await onboarded(services)
    session = await services.schedules.open_session(ANN.user_id)
    assert session is not None
    text = "3x10 60"  # no exercise named: the reminder's session says which
    result = await once(
        services.db,
        services.freelog.typed(ANN.user_id, text, _message(ANN.user_id, text), session.id),
    )
    assert isinstance(result, AskWhich | FreeLogged)
    if isinstance(result, AskWhich):
        program = await services.repo.program(session.program_id)
        assert program is not None
        day = next(d for d in program.plan.days if d.kind is session.kind)
        assert set(result.candidates) <= {p.exercise.id for p in day.exercises}
    stranger = await services.freelog.typed(999, text, _message(999, text), session.id)
    assert isinstance(stranger, NotALog | Unreadable), "someone else's reminder reads as nothing"


async def test_the_corrected_line_after_edit_replaces_the_old_one_in_one_commit(
    world: World,
) -> None:
    await world.onboard(U)
    text = "deadlift 5x5 100"
    logged = await world.freelog.typed(U, text, world.message(U, text))
    assert isinstance(logged, FreeLogged) and logged.source_id is not None
    asked = await once(world.db, world.logfixes.ask_retype(U, logged.source_id))
    assert asked is not None and await _flow(world) == "retype"
    routed = await world.freelog.typed(U, "deadlift 3x5 110", world.message(U, "x"))
    assert isinstance(routed, Elsewhere) and routed.route is Route.RETYPE
    bad = await world.logfixes.retype(U, routed.state, "deadlift 3x")
    assert isinstance(bad, BadLine) and await _flow(world) == "retype"
    done = await once(world.db, world.logfixes.retype(U, routed.state, "deadlift 3x5 110"))
    assert isinstance(done, Retyped)
    assert await _rows(world) == [("deadlift", 5, 110.0)] * 3
    assert await _flow(world) is None
    await world.logfixes.ask_retype(U, logged.source_id)
    assert isinstance(await world.logfixes.retype(U, routed.state, "cancel"), Kept)


async def test_undo_closes_an_open_weight_question_in_the_same_commit(world: World) -> None:
    await world.onboard(U)
    text = "deadlift 5x5 100"
    await world.freelog.typed(U, text, world.message(U, text))
    await world.freelog.typed(U, "deadlift 3x5", world.message(U, "deadlift 3x5"))
    assert await _flow(world) == "weight"
    undone = await once(world.db, world.logfixes.undo(U))
    assert undone.done is not None and len(undone.done.sets) == 5
    assert await _rows(world) == [] and await _flow(world) is None


def _message(user_id: int, text: str) -> Source:
    return Source(user_id * 1000 + len(text), user_id, user_id * 1000 + len(text), text, 1)


async def test_a_first_weight_typed_in_a_workout_is_explained_in_the_users_language(
    world: World,
) -> None:
    await world.onboard(U)
    workout = await _at_a_loaded_exercise(world)
    assert workout.current is not None
    token = set_language("ru")
    try:
        result = await once(world.db, world.freelog.typed(U, "40", world.message(U, "40")))
    finally:
        reset_language(token)
    assert isinstance(result, InWorkout) and isinstance(result.result, FirstWeight)
    assert result.result.card.target_weight_kg == 40
    assert result.result.card.target_note.startswith("Первый раз"), result.result.card.target_note
    stored = await world.workouts.target(U, workout.current.exercise_id)
    assert stored is not None and stored.explanation.startswith("Первый раз")


def routed_to(workout: Workout) -> str:
    assert workout.current is not None
    return workout.current.exercise_id


async def _at_a_loaded_exercise(world: World) -> Workout:
    workout = await world.start(U)
    while workout.current is not None and not needs_weight(
        world.library.exercises[workout.current.exercise_id]
    ):
        workout = await world.training.skip(U)
    assert workout.current is not None, "the day has a loaded exercise"
    return workout


async def test_a_first_weight_tapped_on_a_card_sets_the_target_in_one_commit(
    world: World,
) -> None:
    await world.onboard(U)
    workout = await _at_a_loaded_exercise(world)
    assert workout.current is not None
    started = await once(
        world.db, world.logfixes.start_weight(U, workout.id, workout.position, 40.0)
    )
    assert isinstance(started, Started) and isinstance(started.next, Card)
    assert started.next.target_weight_kg == 40
    stored = await world.workouts.target(U, workout.current.exercise_id)
    assert stored is not None and stored.weight_kg == 40
    stale = await world.logfixes.start_weight(U, workout.id, workout.position + 1, 50.0)
    assert isinstance(stale, Stale)


async def test_sets_typed_in_a_workout_without_a_weight_are_logged_at_it_in_one_commit(
    world: World,
) -> None:
    await world.onboard(U)
    workout = await _at_a_loaded_exercise(world)
    assert workout.current is not None
    source = world.message(U, "2x10")
    routed = await world.freelog.typed(U, "2x10", source)
    assert isinstance(routed, Elsewhere) and routed.route is Route.WORKOUT
    asked = await once(world.db, world.logfixes.in_workout(U, "2x10", source))
    assert isinstance(asked, AskWeight) and asked.question.exercise.id == routed_to(workout)
    assert await _flow(world) == "weight" and await _rows(world) == []
    answer = await world.freelog.typed(U, "35", world.message(U, "35"))
    assert isinstance(answer, Elsewhere) and answer.route is Route.WEIGHT_IN_WORKOUT
    assert answer.weight_kg == 35
    logged = await once(world.db, world.logfixes.weight_in_workout(U, answer.state, 35))
    assert isinstance(logged, SetLogged) and [s.weight_kg for s in logged.logged.sets] == [35] * 2
    assert await _rows(world) == [(workout.current.exercise_id, 10, 35.0)] * 2
    assert await _flow(world) is None, "the question closed in the same commit"


async def test_new_sets_instead_of_the_weight_drop_the_question_and_ask_again_in_one_commit(
    world: World,
) -> None:
    await world.onboard(U)
    await _at_a_loaded_exercise(world)
    first = await world.logfixes.in_workout(U, "2x10", world.message(U, "2x10"))
    assert isinstance(first, AskWeight)
    source = world.message(U, "3x8")
    routed = await world.freelog.typed(U, "3x8", source)
    assert isinstance(routed, Elsewhere) and routed.route is Route.WORKOUT
    assert routed.drop_question, "3x8 is no weight: the open question goes"
    again = await once(world.db, world.logfixes.in_workout(U, "3x8", source, True))
    assert isinstance(again, AskWeight) and again.question.nonce != first.question.nonce
    assert [s.reps for s in again.question.sets] == [8] * 3
    assert await _flow(world) == "weight" and await _rows(world) == []
