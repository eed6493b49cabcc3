"""Logging sets mid-workout through the use case, on a real SQLite file: what comes next."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.models import SetKind
from bot.domain.setlog import parse_sets
from bot.domain.targets import SetAim
from bot.services.cards import Card
from bot.services.logset import (
    FirstWeight,
    NoPlan,
    Repeated,
    Rest,
    RuledOut,
    SetLogged,
    TapDone,
    TickedOff,
    Unreadable,
    WeightNeeded,
)
from bot.services.summary import Summary
from tests.services.conftest import RoundTrips, World, counting

U = 7


async def _logged_rows(world: World, user_id: int = U) -> list[tuple[str, int, float | None]]:
    active = await world.workouts.active(user_id)
    assert active is not None
    entries = await world.workouts.workout_entries(active.id)
    return [(e.exercise_id, e.set.reps, e.set.weight_kg) for e in entries]


async def test_a_typed_set_is_saved_and_the_rest_timer_follows(world: World) -> None:
    await world.onboard(U)
    workout = await world.start(U)
    first = workout.current
    assert first is not None and first.exercise_id == "pullup-wide"
    result = await world.setlog.typed(U, "2x10 bw", world.message(U, "2x10 bw"))
    assert isinstance(result, SetLogged)
    assert [s.reps for s in result.logged.sets] == [10, 10]
    assert result.logged.source_id is not None, "the confirmation offers 'Edit'"
    assert isinstance(result.next, Rest)
    assert (result.next.logged, result.next.needed) == (2, first.needed)
    assert result.next.rest_s == first.rest_s
    assert await _logged_rows(world) == [("pullup-wide", 10, None)] * 2
    active = await world.workouts.active(U)
    assert active is not None and active.current is not None and active.current.logged == 2


async def test_a_set_log_reply_takes_at_most_three_database_round_trips(
    world: World, round_trips: RoundTrips
) -> None:
    await world.onboard(U)
    await world.start(U)
    for text, expect_next in (("2x10 bw", Rest), ("2x9 bw", Card)):
        round_trips.reset()
        result = await world.setlog.typed(U, text, world.message(U, text))
        assert isinstance(result, SetLogged) and isinstance(result.next, expect_next)
        print(f"{text!r}: {round_trips.count} round trips")
        assert round_trips.count <= 3, f"{text!r} took {round_trips.count} round trips"
    assert len(await _logged_rows(world)) == 4, "every set was committed"


async def test_the_last_sets_of_an_exercise_bring_the_next_card(world: World) -> None:
    await world.onboard(U)
    workout = await world.start(U)
    assert workout.current is not None
    needed = workout.current.needed
    result = await world.setlog.typed(U, f"{needed}x8 bw", world.message(U, "all"))
    assert isinstance(result, SetLogged) and isinstance(result.next, Card)
    card = result.next
    assert card.exercise.id != "pullup-wide"
    assert card.workout.position == workout.position + 1
    assert card.item.logged == 0 and not card.item.tick_off


async def test_the_next_card_shows_what_was_lifted_last_time(world: World) -> None:
    await world.onboard(U)
    workout = await world.start(U)
    assert workout.current is not None
    later = [i for i in workout.items[workout.position + 1 :] if not i.tick_off]
    second_id = later[0].exercise_id
    now = world.clock.now
    world.clock.now = now - timedelta(days=3)
    await world.workouts.log_outside(U, second_id, parse_sets("3x10 40"), SetAim(), world.clock())
    world.clock.now = now
    text = f"{workout.current.needed}x8 bw"
    result = await world.setlog.typed(U, text, world.message(U, text))
    assert isinstance(result, SetLogged) and isinstance(result.next, Card)
    assert result.next.exercise.id == second_id
    assert [(s.reps, s.weight_kg) for s in result.next.last_time] == [(10, 40.0)] * 3


async def test_a_line_the_parser_cannot_read_saves_nothing_and_says_why(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    result = await world.setlog.typed(U, "4x", world.message(U, "4x"))
    assert isinstance(result, Unreadable)
    assert result.problem and result.example
    assert result.current.id == "pullup-wide"
    assert await _logged_rows(world) == []


async def test_a_line_for_another_exercise_is_named_and_not_saved(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    result = await world.setlog.typed(U, "deadlift 5x5 100", world.message(U, "dl"))
    assert isinstance(result, Unreadable)
    assert result.other is not None and result.other.id == "deadlift"
    assert await _logged_rows(world) == []


async def test_the_same_message_delivered_twice_is_logged_once(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    source = world.message(U, "2x10 bw")
    assert isinstance(await world.setlog.typed(U, "2x10 bw", source), SetLogged)
    again = await world.setlog.typed(U, "2x10 bw", source)
    assert isinstance(again, Repeated)
    assert [s.reps for s in again.sets] == [10, 10]
    assert len(await _logged_rows(world)) == 2


async def test_sets_without_a_weight_on_a_loaded_lift_ask_for_it_then_log_at_it(
    world: World,
) -> None:
    await world.onboard(U)
    await world.start(U)
    await world.training.skip(U)
    asked = await world.setlog.typed(U, "3x10", world.message(U, "3x10"))
    assert isinstance(asked, WeightNeeded)
    assert [s.reps for s in asked.asked.sets] == [10, 10, 10]
    assert await _logged_rows(world) == [], "nothing is saved until the weight is named"
    question = await world.training.ask_weight(U, asked.asked, world.message(U, "3x10"))
    assert len(question.options) == 3, "never lifted: the first weights a card would offer"
    held = await world.repo.load_conversation(U)
    assert held is not None and held.state["nonce"] == question.nonce
    assert held.state["sets"] == "3x10 bw", "the sets wait, as typed, for their weight"
    done = await world.setlog.at_weight(U, asked.asked.sets, 40.0, world.message(U, "40"))
    assert isinstance(done, SetLogged)
    exercise = asked.asked.exercise.id
    assert await _logged_rows(world) == [(exercise, 10, 40.0)] * 3
    target = await world.workouts.target(U, exercise)
    assert target is not None and target.weight_kg == 40.0, "the first weight became the target"


async def test_done_as_planned_needs_a_plan_and_then_logs_the_targets(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    first = await world.setlog.as_planned(U, world.message(U, ""))
    assert isinstance(first, NoPlan), "the first time there are no rep numbers to plan from"
    assert await _logged_rows(world) == []


async def test_a_warm_up_is_ticked_off_by_text_and_other_text_points_at_the_buttons(
    world: World,
) -> None:
    await world.onboard(U)
    workout = await world.training.start(U)
    assert workout.current is not None and workout.current.tick_off
    assert isinstance(await world.setlog.typed(U, "hello", world.message(U, "hello")), TapDone)
    done = await world.setlog.typed(U, "done", world.message(U, "done"))
    assert isinstance(done, TickedOff)
    assert isinstance(done.next, Card) and done.next.workout.position == workout.position + 1


async def test_the_last_sets_of_the_workout_bring_its_summary(world: World) -> None:
    await world.onboard(U)
    workout = await world.start(U)
    while True:
        active = await world.workouts.active(U)
        assert active is not None
        later = [i for i in active.items[active.position + 1 :] if not i.tick_off]
        if not later:
            break
        await world.training.skip(U)
    active = await world.workouts.active(U)
    assert active is not None and active.current is not None
    item = active.current
    text = f"{item.needed}x10 30"
    typed = await world.setlog.typed(U, text, world.message(U, text))
    assert isinstance(typed, SetLogged)
    nxt = typed.next
    while isinstance(nxt, Card) and nxt.item.tick_off:  # stretches after the last lift
        ticked = await world.setlog.typed(U, "done", world.message(U, "done"))
        assert isinstance(ticked, TickedOff)
        nxt = ticked.next
    assert isinstance(nxt, Summary)
    assert nxt.workout.id == workout.id
    assert [line.exercise.id for line in nxt.lines] == [item.exercise_id]
    assert all(s.reps == 10 for s in nxt.lines[0].sets)
    assert await world.workouts.active(U) is None, "the workout is closed"
    entries = await world.workouts.workout_entries(workout.id)
    assert {e.kind for e in entries} <= {SetKind.WORKING, SetKind.MAX}


async def test_a_lone_weight_on_a_first_time_card_becomes_its_target(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    workout = await world.training.skip(U)  # to a loaded lift never done before
    card = await world.training.card(workout)
    assert card is not None and card.target_weight_kg is None
    assert card.starts, "the card offers first weights to pick from"
    result = await world.setlog.typed(U, "40", world.message(U, "40"))
    assert isinstance(result, FirstWeight)
    assert result.card.target_weight_kg == 40.0 and not result.card.starts
    assert result.card.warmup, "a warm-up ramp leads up to the new weight"
    target = await world.workouts.target(U, result.card.exercise.id)
    assert target is not None and target.weight_kg == 40.0
    assert await _logged_rows(world) == [], "a weight alone logs no sets"
    again = await world.training.card(workout)
    assert again is not None and again.target_weight_kg == 40.0, "the stored card agrees"


async def test_sets_for_a_lift_the_new_answers_rule_out_are_not_logged(world: World) -> None:
    await world.onboard(U)
    await world.start(U)
    program = await world.repo.current_program(U)
    assert program is not None
    sore = program.profile.model_copy(update={"excluded": frozenset({"pullup-wide"})})
    await world.repo.issue_program(U, sore, program.plan, world.clock())  # /settings, mid-session
    result = await world.setlog.typed(U, "2x10 bw", world.message(U, "2x10 bw"))
    assert isinstance(result, RuledOut)
    assert [c.exercise.id for c in result.dropped] == ["pullup-wide"]
    assert all(not c.allowed and c.reason for c in result.dropped)
    assert isinstance(result.next, Card) and result.next.exercise.id != "pullup-wide"
    assert await _logged_rows(world) == [], "the sets were meant for the lift taken out"
    again = await world.training.drop_ruled_out(result.next.workout)
    assert again.checks == [] and again.workout == result.next.workout, "taken out once"


async def test_reaching_eight_pull_ups_mid_workout_issues_the_full_program_in_the_same_commit(
    world: World,
) -> None:
    await world.onboard(U, pullups=3)
    before = await world.repo.current_program(U)
    assert before is not None and before.profile.pullups == 3
    await world.start(U)
    with counting() as commits:
        result = await world.logfixes.in_workout(U, "1x9 bw", world.message(U, "1x9 bw"))
    assert isinstance(result, SetLogged) and result.logged.graduated
    assert commits.count == 1, "the sets and the new program version are one commit"
    after = await world.repo.current_program(U)
    assert after is not None and after.version == before.version + 1
    assert after.profile.pullups == 9
