"""The back check: each answer decides the session, pain streaks, and what a stiff day changes."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_library
from bot.domain.accounts import Units
from bot.domain.models import (
    DayKind,
    Goal,
    Level,
    LoadKind,
    Pattern,
    Profile,
    Property,
    Triage,
)
from bot.domain.programs import build_plan
from bot.domain.progression import BAR_LB, step_kg
from bot.domain.safety import (
    BAR_KG,
    BackFeeling,
    decide,
    light_weight,
    worst_per_day,
)
from bot.domain.weights import KG_PER_LB

LIB = load_library()


# --- the back check ---------------------------------------------------------------------------

FEELINGS = list(BackFeeling)


@pytest.mark.parametrize(
    ("today", "train", "light", "postpone", "pause"),
    [
        (BackFeeling.FINE, True, False, False, False),
        (BackFeeling.STIFF, True, True, False, False),
        (BackFeeling.HURTS, False, False, True, False),
        (BackFeeling.RED_FLAG, False, False, True, True),
    ],
)
def test_each_back_check_answer_decides_the_session(
    today: BackFeeling, train: bool, light: bool, postpone: bool, pause: bool
) -> None:
    for earlier in ([], [BackFeeling.HURTS, BackFeeling.HURTS], [BackFeeling.FINE] * 3):
        d = decide(today, earlier)
        assert (d.train, d.light, d.postpone, d.pause) == (train, light, postpone, pause)


def test_one_painful_day_counts_once_however_often_it_was_answered() -> None:
    mon, tue, thu = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 26)
    hurts, fine, stiff = BackFeeling.HURTS, BackFeeling.FINE, BackFeeling.STIFF
    answers = [(mon, fine), (tue, hurts), (tue, hurts), (tue, fine), (thu, stiff)]
    assert worst_per_day(answers, thu) == [fine, hurts], "today's own answers are not history"
    assert not decide(hurts, worst_per_day([(thu, hurts), (thu, hurts)], thu)).see_doctor
    assert decide(hurts, worst_per_day(answers, date(2026, 11, 27))).see_doctor


def test_pain_on_two_of_the_last_three_checks_suggests_a_doctor() -> None:
    fine, hurts = BackFeeling.FINE, BackFeeling.HURTS
    assert decide(hurts, [hurts, fine]).see_doctor
    assert not decide(hurts, [hurts, fine, fine]).see_doctor, "only the last three count"
    assert not decide(hurts, [fine, fine]).see_doctor


LOADED = [e for e in LIB.exercises.values() if e.load is not LoadKind.NONE]


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(LOADED),
    st.floats(min_value=0.5, max_value=400, allow_nan=False),
    st.sampled_from(list(Units)),
)
def test_a_stiff_day_is_never_heavier_and_stays_on_the_plates(
    exercise: object, usual: float, units: Units
) -> None:
    from bot.domain.models import Exercise

    assert isinstance(exercise, Exercise)
    share = LIB.safety.back_check.stiff_load
    light = light_weight(exercise, usual, share, units)
    if light is None:
        assert exercise.load is LoadKind.BODYWEIGHT, "only added weight may go to none"
        return
    step = step_kg(exercise, units)
    if exercise.assisted:
        assert light >= usual - 1e-6, "on an assisted machine, a lighter day means more help"
        return
    assert light <= usual + 1e-6, "a stiff day is never heavier"
    bar = BAR_KG if units is Units.KG else BAR_LB * float(KG_PER_LB)
    if exercise.load is LoadKind.BARBELL:
        assert light >= min(bar, usual) - 1e-6, "never below the empty bar"
    axial = Property.AXIAL_LOAD in exercise.properties
    cap = usual * (0.5 if axial else share)
    floor = bar if exercise.load is LoadKind.BARBELL else step
    assert light <= max(cap, min(floor, usual)) + 1e-6, "warm-up weight under spinal load"
    if light > floor + 1e-6 and exercise.load is not LoadKind.BODYWEIGHT:
        assert abs(light / step - round(light / step)) < 1e-6, "a weight the plates can make"


def test_a_stiff_deadlift_day_is_warm_up_weight() -> None:
    deadlift = LIB.exercises["deadlift"]
    assert light_weight(deadlift, 100, 0.8) == 50
    assert light_weight(deadlift, 30, 0.8) == 20, "not below the empty bar"
    pulldown = LIB.exercises["lat-pulldown-chest"]
    assert light_weight(pulldown, 50, 0.8) == 40
    assisted = LIB.exercises["assisted-pullup"]
    assert light_weight(assisted, 30, 0.8) == 40, "more counterweight: more help"


def test_every_week_of_a_referral_is_still_a_referral() -> None:
    for week in range(1, 9):
        plan = build_plan(Profile(triage=Triage(pain_now=True)), LIB, week=week)
        assert plan.days == []


def test_a_stiff_day_for_a_pound_user_keeps_the_45_lb_bar() -> None:
    deadlift = LIB.exercises["deadlift"]
    bar = BAR_LB * float(KG_PER_LB)
    assert light_weight(deadlift, bar + 0.1, 0.8, Units.LB) == pytest.approx(bar, abs=1e-5)


def test_a_stiff_day_leaves_out_back_extensions_and_stops_all_out_sets_short() -> None:
    from bot.domain.workouts import STIFF_DAY_NOTE, ItemStatus, items_from_day

    for goal in Goal:
        plan = build_plan(Profile(goal=goal, level=Level.BEGINNER, pullups=3), LIB)
        for day in plan.days:
            normal, light = items_from_day(day), items_from_day(day, light=True)
            assert [i.exercise_id for i in normal] == [i.exercise_id for i in light]
            for item, p in zip(light, day.exercises, strict=True):
                if p.exercise.pattern is Pattern.SPINAL_EXTENSION:
                    assert item.status is ItemStatus.SKIPPED
                elif any(s.kind.value == "max" for s in p.sets):
                    assert item.note and STIFF_DAY_NOTE in item.note
                else:
                    assert item.status is ItemStatus.PENDING and item.note == p.note
    health = build_plan(Profile(goal=Goal.HEALTH, level=Level.BEGINNER, pullups=3), LIB)
    assert any(
        p.exercise.pattern is Pattern.SPINAL_EXTENSION for d in health.days for p in d.exercises
    ), "the test above saw a back extension"


def test_a_stand_in_after_pain_keeps_the_sets_but_not_the_other_exercises_note() -> None:
    from bot.domain.workouts import ItemStatus, Workout, items_from_day, replace_hurt, stop_hurt

    plan = build_plan(
        Profile(
            goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10, conditions=frozenset({"hernia"})
        ),
        LIB,
    )
    items = items_from_day(plan.days[0])
    at = next(i for i, item in enumerate(items) if item.exercise_id == "assisted-pullup")
    assert items[at].note, "the assisted pull-up carries a program note"
    workout = Workout(
        id=1,
        user_id=1,
        program_id=1,
        session_id=None,
        kind=DayKind.UPPER,
        on=date(2026, 12, 3),
        status="active",
        items=items,
        position=at,
    )
    stopped = stop_hurt(workout)
    assert stopped.items[at].status is ItemStatus.HURT and stopped.position == at + 1
    swapped = replace_hurt(stopped, at, "straight-arm-pulldown")
    new = swapped.items[at + 1]
    assert swapped.position == at + 1 and new.exercise_id == "straight-arm-pulldown"
    assert new.sets == items[at].sets and new.note is None and new.logged == 0


def test_the_last_session_is_the_newer_of_the_plan_and_the_last_workout() -> None:
    from bot.domain.safety import last_session

    mon, fri = date(2026, 11, 23), date(2026, 11, 27)
    assert last_session(None, DayKind.UPPER, None) == (None, DayKind.UPPER)
    assert last_session(mon, DayKind.LOWER, None) == (mon, DayKind.LOWER)
    assert last_session(mon, DayKind.LOWER, (fri, DayKind.LOWER)) == (fri, DayKind.UPPER)
    assert last_session(fri, DayKind.UPPER, (mon, DayKind.UPPER)) == (fri, DayKind.UPPER)
