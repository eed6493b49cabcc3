"""Progression: double progression with concrete numbers, pull-ups by reps, ramps and records."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.accounts import Units
from bot.domain.models import Exercise, Library, LoadKind, SetKind, SetSpec
from bot.domain.progression import (
    BAR_KG,
    ProgressionError,
    check_graduation,
    first_weight,
    graduation_message,
    step_kg,
    suggest,
    working_sets,
)
from bot.domain.records import estimated_1rm, new_records
from bot.domain.setlog import LoggedSet
from bot.domain.warmup import warmup_ramp
from bot.domain.weights import KG_PER_LB

KG, LB = Units.KG, Units.LB
LB_KG = float(KG_PER_LB)


def spec(count: int, low: int, high: int | None, kind: SetKind = SetKind.WORKING) -> SetSpec:
    return SetSpec(kind=kind, count=count, reps_min=low, reps_max=high)


def at(weight: float | None, *reps: int, added: bool = False) -> list[LoggedSet]:
    return [LoggedSet(reps=r, weight_kg=weight, added=added) for r in reps]


ROW = [spec(4, 8, 12)]


@pytest.fixture(scope="module")
def ex(library: Library) -> dict[str, Exercise]:
    return library.exercises


# --- double progression ---------------------------------------------------------------------


def test_up_only_when_every_working_set_hit_the_top(ex: dict[str, Exercise]) -> None:
    row = ex["barbell-row-overhand"]  # barbell, 2.5 kg steps
    s = suggest(row, ROW, 50, [at(50, 12, 12, 12, 12)])
    assert (s.weight_kg, s.change, s.sets, s.reps_min, s.reps_max) == (52.5, "up", 4, 8, 12)
    assert s.explanation == "All 4 sets hit 12 reps, so add 2.5 kg: 52.5 kg next time."


@pytest.mark.parametrize(
    "last",
    [
        at(50, 12, 12, 12, 11),  # one set short of the top
        at(50, 12, 12, 12),  # a prescribed set not logged
        at(47.5, 12, 12, 12, 12),  # lighter than the working weight
        [*at(50, 12, 12, 12), *at(None, 12)],  # one set without the weight
    ],
)
def test_the_weight_stays_otherwise(ex: dict[str, Exercise], last: list[LoggedSet]) -> None:
    s = suggest(ex["barbell-row-overhand"], ROW, 50, [last])
    assert (s.weight_kg, s.change, s.below_streak) == (50, "same", 0)
    assert "of 4 sets hit 12 reps at 50 kg" in s.explanation


def test_down_after_exactly_two_sessions_in_a_row_below(ex: dict[str, Exercise]) -> None:
    row = ex["barbell-row-overhand"]
    below1, below2 = at(50, 9, 8, 7, 6), at(50, 8, 8, 8, 7)
    one = suggest(row, ROW, 50, [below1])
    assert (one.weight_kg, one.change, one.below_streak) == (50, "same", 1)
    assert "under 8 reps" in one.explanation and "comes down 2.5 kg" in one.explanation
    two = suggest(row, ROW, 50, [below1, below2])
    assert (two.weight_kg, two.change, two.below_streak) == (47.5, "down", 0)
    assert two.explanation == (
        "Two sessions in a row had a set under 8 reps (last time 7), so drop 2.5 kg: "
        "47.5 kg next time."
    )


def test_one_bad_session_then_a_good_one_does_not_go_down(ex: dict[str, Exercise]) -> None:
    row = ex["barbell-row-overhand"]
    bad, good = at(50, 9, 8, 7, 6), at(50, 10, 9, 9, 8)
    assert suggest(row, ROW, 50, [bad, good]).change == "same"
    again = suggest(row, ROW, 50, [bad, good, bad])
    assert (again.change, again.below_streak) == ("same", 1)


def test_one_bad_session_right_after_a_drop_does_not_drop_again(ex: dict[str, Exercise]) -> None:
    row = ex["barbell-row-overhand"]
    history = [at(50, 8, 7, 7, 6), at(50, 8, 7, 6, 6), at(47.5, 9, 8, 8, 7)]
    s = suggest(row, ROW, 47.5, history)
    assert (s.weight_kg, s.change, s.below_streak) == (47.5, "same", 1)


def test_warm_up_sets_never_count(ex: dict[str, Exercise]) -> None:
    deadlift = ex["deadlift"]  # barbell, 5 kg steps
    specs = [spec(1, 15, 20, SetKind.WARMUP), spec(4, 6, 12)]
    full = [*at(40, 15), *at(100, 12, 12, 12, 12)]  # a light warm-up, then the working sets
    assert working_sets(specs, full) == at(100, 12, 12, 12, 12)
    assert working_sets(specs, at(100, 12, 12, 12)) == at(100, 12, 12, 12)  # only working sets
    s = suggest(deadlift, specs, 100, [working_sets(specs, full)])
    assert (s.weight_kg, s.change, s.sets, s.reps_min) == (105, "up", 4, 6)
    # a warm-up's reps are never judged against the working range
    warm_below = [spec(2, 1, 1, SetKind.WARMUP), *ROW]
    assert suggest(deadlift, warm_below, 100, [at(100, 12, 12, 12, 12)]).change == "up"


def test_pull_ups_progress_by_reps_then_take_added_weight_past_12(
    ex: dict[str, Exercise],
) -> None:
    pullup = ex["pullup-wide"]  # bodyweight, 2.5 kg steps
    specs = [spec(4, 6, 12)]
    s = suggest(pullup, specs, None, [at(None, 8, 7, 6, 6)])
    assert (s.weight_kg, s.change, s.reps_min, s.reps_max) == (None, "reps", 7, 12)
    assert "lowest set was 6 reps" in s.explanation and "aim for 7" in s.explanation
    s = suggest(pullup, specs, 0, [at(None, 12, 12, 12, 11)])
    assert (s.change, s.reps_min) == ("reps", 12)
    s = suggest(pullup, specs, None, [at(None, 12, 12, 12, 12)])
    assert (s.weight_kg, s.change, s.reps_min, s.reps_max) == (2.5, "add-weight", 6, 12)
    assert "All 4 sets reached 12 reps" in s.explanation and "+2.5 kg" in s.explanation
    # added weight then follows double progression
    s = suggest(pullup, specs, 2.5, [at(2.5, 12, 12, 12, 12, added=True)])
    assert (s.weight_kg, s.change) == (5, "up")
    assert "+5 kg next time" in s.explanation
    below = at(2.5, 6, 5, 5, 4, added=True)
    s = suggest(pullup, specs, 2.5, [below, below])
    assert (s.weight_kg, s.change) == (None, "down")
    assert "bodyweight only" in s.explanation


def test_a_bodyweight_range_above_12_takes_weight_at_its_top(ex: dict[str, Exercise]) -> None:
    back = ex["hyperextension"]  # bodyweight, 12-15 reps
    specs = [spec(3, 12, 15)]
    s = suggest(back, specs, None, [at(None, 12, 12, 12)])
    assert (s.change, s.reps_min, s.reps_max) == ("reps", 13, 15)
    s = suggest(back, specs, None, [at(None, 15, 15, 15)])
    assert (s.change, s.weight_kg, s.reps_min) == ("add-weight", 2.5, 12)


def test_a_bodyweight_max_set_aims_one_rep_higher(ex: dict[str, Exercise]) -> None:
    s = suggest(ex["pullup-wide"], [spec(1, 1, None, SetKind.MAX)], None, [at(None, 5)])
    assert (s.change, s.reps_min, s.reps_max, s.weight_kg) == ("reps", 6, None, None)


@pytest.mark.parametrize(
    ("exercise", "weight", "expected", "change"),
    [
        ("shrug-barbell", 20, 20, "same"),  # the empty bar is the floor
        ("shrug-barbell", 22.5, 20, "down"),
        ("deadlift", 22.5, 22.5, "same"),  # 5 kg less would be 17.5: below the bar
        ("seated-cable-row", 5, 5, "same"),  # one step is the lightest setting
        ("seated-cable-row", 10, 5, "down"),
        ("dumbbell-row-one-arm", 4, 2, "down"),
    ],
)
def test_floors(
    ex: dict[str, Exercise], exercise: str, weight: float, expected: float, change: str
) -> None:
    below = at(weight, 5, 5, 5, 5)
    s = suggest(ex[exercise], ROW, weight, [below, below])
    assert (s.weight_kg, s.change) == (expected, change)
    if change == "same":
        assert "is the lightest" in s.explanation


def test_lb_users_move_in_lb_plates(ex: dict[str, Exercise]) -> None:
    row = ex["barbell-row-overhand"]
    assert math.isclose(step_kg(row, LB), 5 * LB_KG)
    assert math.isclose(step_kg(ex["seated-cable-row"], LB), 10 * LB_KG)
    assert math.isclose(step_kg(ex["dumbbell-row-one-arm"], LB), 5 * LB_KG)
    s = suggest(row, ROW, 135 * LB_KG, [at(135 * LB_KG, 12, 12, 12, 12)], LB)
    assert s.explanation == "All 4 sets hit 12 reps, so add 5 lb: 140 lb next time."
    below = at(45 * LB_KG, 5, 5, 5, 5)
    assert suggest(row, ROW, 45 * LB_KG, [below, below], LB).change == "same"


def test_first_weight_and_other_starts(ex: dict[str, Exercise]) -> None:
    s = suggest(ex["deadlift"], ROW, None, [])
    assert s == first_weight(ex["deadlift"], ROW)
    assert (s.weight_kg, s.change) == (None, "start")
    assert "12 reps with good form" in s.explanation and "20 kg" in s.explanation
    cable = first_weight(ex["seated-cable-row"], ROW)
    assert "pick a weight you can lift for 12 reps" in cable.explanation
    assert "bodyweight only" in first_weight(ex["pullup-wide"], ROW).explanation
    max_set = first_weight(ex["pullup-wide"], [spec(1, 1, None, SetKind.MAX)])
    assert "as many clean reps" in max_set.explanation
    known = suggest(ex["deadlift"], ROW, 60, [])
    assert (known.weight_kg, known.change) == (60, "same")
    assert "60 kg" in known.explanation
    # no weight given: the last session's heaviest set stands in
    inferred = suggest(ex["deadlift"], ROW, None, [at(60, 12, 12, 12, 12)])
    assert (inferred.weight_kg, inferred.change) == (65, "up")
    none = suggest(ex["cat-cow"], ROW, None, [at(None, 10)])
    assert (none.weight_kg, none.change) == (None, "same")


def test_bad_inputs_raise_progression_error(ex: dict[str, Exercise]) -> None:
    with pytest.raises(ProgressionError):
        suggest(ex["deadlift"], [spec(1, 10, 10, SetKind.WARMUP)], 60, [])
    with pytest.raises(ProgressionError):
        suggest(ex["deadlift"], ROW, -5, [])
    with pytest.raises(ProgressionError):
        estimated_1rm(100, 0)


def test_graduation() -> None:
    assert not check_graduation(7)
    assert check_graduation(8)
    assert check_graduation(5, threshold=5)
    assert "8" in graduation_message(8)


# --- warm-up ramps ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exercise", "weight", "units", "ramp"),
    [
        ("deadlift", 100, KG, [(20, 10), (50, 8), (70, 5), (85, 3)]),
        ("seated-cable-row", 40, KG, [(20, 10), (30, 6)]),
        ("dumbbell-row-one-arm", 24, KG, [(12, 10), (18, 6)]),
        ("shrug-barbell", 22.5, KG, [(20, 10)]),
        ("shrug-barbell", 20, KG, []),  # the bar alone: nothing lighter
        ("dumbbell-row-one-arm", 8, KG, [(4, 10)]),  # light: one warm-up set
        ("seated-cable-row", 10, KG, [(5, 10)]),
        ("pullup-wide", 20, KG, [(None, 5), (10, 3)]),
        ("pullup-wide", 2.5, KG, [(None, 5)]),
        ("pullup-wide", None, KG, []),
        ("cat-cow", None, KG, []),
        ("deadlift", 225 * LB_KG, LB, [(45, 10), (110, 8), (155, 5), (190, 3)]),
    ],
)
def test_warmup_ramps(
    ex: dict[str, Exercise],
    exercise: str,
    weight: float | None,
    units: Units,
    ramp: list[tuple[float | None, int]],
) -> None:
    got = warmup_ramp(ex[exercise], weight, units)
    unit = LB_KG if units is LB else 1.0
    shown = [(None if w is None else round(w / unit, 2), reps) for w, reps in got]
    assert shown == ramp


def test_warmups_climb_and_stay_under_the_working_weight(ex: dict[str, Exercise]) -> None:
    for exercise in ex.values():
        if exercise.assisted:
            continue  # more help is the easier set: tests/domain/test_targets.py
        for weight in (2.5, 10, 22.5, 37.5, 61, 100, 180):
            ramp = [w for w, _ in warmup_ramp(exercise, weight) if w is not None]
            assert ramp == sorted(set(ramp)) and all(0 < w < weight for w in ramp)


# --- records ------------------------------------------------------------------------------


def test_estimated_1rm() -> None:
    assert estimated_1rm(100, 1) == 100
    assert math.isclose(estimated_1rm(100, 10), 133.333, rel_tol=1e-4)
    assert math.isclose(estimated_1rm(60, 5), 70)


def test_records_by_e1rm_and_reps_at_weight() -> None:
    history = at(50, 10, 9) + at(55, 6)  # best e1RM 66.7 (50 x 10)
    assert new_records([], at(80, 10)) == []  # nothing to beat yet
    assert new_records(history, at(50, 10)) == []
    (e1rm,) = new_records(history, at(57.5, 6))  # 69 kg e1RM; nothing that heavy before
    assert (e1rm.kind, e1rm.value, e1rm.reps) == ("e1rm", 69.0, 6)
    assert e1rm.text == "New best estimated 1-rep max: 69 kg (57.5 kg x 6)."
    e1rm, reps = new_records(history, at(50, 12))
    assert (e1rm.kind, e1rm.value) == ("e1rm", 70.0)
    assert (reps.kind, reps.value, reps.weight_kg) == ("reps-at-weight", 12, 50)
    assert reps.text == (
        "Record: 12 reps at 50 kg, more than ever at that weight or heavier (before: 10)."
    )
    (lighter,) = new_records(history, at(45, 11))  # more reps than ever at 45 kg or heavier
    assert (lighter.kind, lighter.value) == ("reps-at-weight", 11)
    e1rm, heaviest = new_records(history, at(50, 11) + at(55, 7))  # the heaviest one is told
    assert (e1rm.kind, e1rm.reps, heaviest.weight_kg, heaviest.reps) == ("e1rm", 11, 55, 7)


def test_bodyweight_and_added_weight_records_count_by_reps() -> None:
    history = at(None, 8) + at(10, 5, added=True)
    (bw,) = new_records(history, at(None, 9))
    assert (bw.kind, bw.value, bw.weight_kg) == ("reps-at-weight", 9, None)
    assert "9 reps at bodyweight" in bw.text and "before: 8" in bw.text
    (added,) = new_records(history, at(10, 6, added=True))
    assert added.added and "with +10 kg" in added.text and "before: 5" in added.text
    assert [r.kind for r in new_records(history, at(5, 6, added=True))] == ["reps-at-weight"]
    assert new_records(history, at(20, 3, added=True)) == []  # never that heavy: no comparison
    assert new_records(history, at(None, 8)) == []


def test_records_speak_the_users_unit() -> None:
    e1rm, reps = new_records(at(100 * LB_KG, 5), at(100 * LB_KG, 6), LB)
    assert "(100 lb x 6)" in e1rm.text and "6 reps at 100 lb" in reps.text


# --- property -----------------------------------------------------------------------------

LOADED = [
    "deadlift",
    "barbell-row-overhand",
    "shrug-barbell",
    "seated-cable-row",
    "one-arm-cable-row",
    "dumbbell-row-one-arm",
    "machine-row",
    "pullup-wide",
    "hyperextension",
]


@st.composite
def cases(
    draw: st.DrawFn,
) -> tuple[str, list[SetSpec], float | None, list[list[LoggedSet]], Units]:
    name = draw(st.sampled_from(LOADED))
    specs = []
    for _ in range(draw(st.integers(1, 2))):
        low = draw(st.integers(1, 12))
        high = draw(st.one_of(st.none(), st.integers(low, 15)))
        kind = SetKind.MAX if high is None else SetKind.WORKING
        specs.append(SetSpec(kind=kind, count=draw(st.integers(1, 6)), reps_min=low, reps_max=high))
    positive = st.integers(1, 400).map(lambda h: h / 2)
    weight = draw(st.one_of(st.sampled_from([None, 0.0]), positive, positive))
    tops = [x.reps_max for x in specs if x.reps_max] or [12]
    reps = st.one_of(st.integers(1, 20), st.sampled_from([max(tops), 12]))  # often at the top
    at_weight = st.just(weight) if weight else st.none()  # mostly at the working weight
    loads = st.one_of(at_weight, at_weight, st.none(), st.integers(1, 420).map(lambda h: h / 2))
    logged = st.builds(lambda r, w: LoggedSet(reps=r, weight_kg=w), reps, loads)
    n = sum(x.count for x in specs)
    session = st.one_of(st.lists(logged, max_size=8), logged.map(lambda one: [one] * n))
    history = draw(st.lists(session, max_size=4))
    return name, specs, weight, history, draw(st.sampled_from([KG, LB]))


@settings(deadline=None, max_examples=300)
@given(case=cases())
def test_the_weight_moves_by_at_most_one_step_and_never_below_zero(
    ex: dict[str, Exercise],
    case: tuple[str, list[SetSpec], float | None, list[list[LoggedSet]], Units],
) -> None:
    name, specs, weight, history, units = case
    exercise = ex[name]
    s = suggest(exercise, specs, weight, history, units)
    assert s.explanation and s.sets == sum(x.count for x in specs)
    new = s.weight_kg or 0.0
    assert new >= 0
    if not weight and exercise.load is not LoadKind.BODYWEIGHT:
        return  # the weight comes from the history or from the lifter
    same, step = weight or 0.0, step_kg(exercise, units)
    assert any(math.isclose(new, w, abs_tol=1e-6) for w in (same, same + step, same - step))
    if exercise.load is LoadKind.BARBELL and same >= BAR_KG:
        assert new >= BAR_KG - 1e-6 or units is LB
