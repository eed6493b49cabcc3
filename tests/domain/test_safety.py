"""Safety invariants over every combination of answers: triage, the gate, exercise rules,
'Train now', the back check and the lighter stiff-day weights."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_library
from bot.domain.accounts import Units
from bot.domain.calendar import MIN_GAP_DAYS
from bot.domain.models import (
    ConditionOutcome,
    DayKind,
    Goal,
    Level,
    LoadKind,
    Outcome,
    Pattern,
    Profile,
    Property,
    Triage,
)
from bot.domain.onboarding import TRIAGE_ORDER, Event, NoneOfThese, Pick, Step, Typed, apply, start
from bot.domain.programs import allowed_alternatives, build_plan, pain_alternatives
from bot.domain.progression import BAR_LB, step_kg
from bot.domain.safety import (
    BAR_KG,
    BackFeeling,
    Block,
    check_exercise,
    decide,
    gate,
    light_weight,
    train_today,
    worst_per_day,
)
from bot.domain.sessions import PauseReason
from bot.domain.weights import KG_PER_LB
from tests.domain.test_onboarding import NOW

LIB = load_library()
RED_FLAGS = [f.id for f in LIB.safety.red_flag]
HEALTH = [f.id for f in LIB.safety.health_check]
CONDITION_SETS = [
    frozenset(c)
    for n in range(len(LIB.conditions) + 1)
    for c in itertools.combinations(sorted(LIB.conditions), n)
]
PULLUPS = [0, 7, 8, 30]


def subsets(items: list[str]) -> list[frozenset[str]]:
    return [frozenset(c) for n in range(len(items) + 1) for c in itertools.combinations(items, n)]


EVERY_TRIAGE = [
    Triage(red_flags=r, pain_now=p, health_flags=h)
    for r, p, h in itertools.product(subsets(RED_FLAGS), (False, True), subsets(HEALTH))
]


def referring(profile: Profile) -> bool:
    t = profile.triage
    conds = any(LIB.conditions[c].outcome is ConditionOutcome.REFER for c in profile.conditions)
    return bool(t.red_flags or t.pain_now or t.health_flags or conds)


def test_every_triage_answer_is_covered_and_only_all_clear_gets_a_program() -> None:
    assert len(EVERY_TRIAGE) == 2 ** len(RED_FLAGS) * 2 * 2 ** len(HEALTH)
    base = Profile(goal=Goal.STRENGTH, level=Level.ADVANCED, pullups=12)
    for triage in EVERY_TRIAGE:
        profile = base.model_copy(update={"triage": triage})
        plan = build_plan(profile, LIB)
        g = gate(plan, None, LIB)
        if referring(profile):
            assert plan.outcome is Outcome.REFER and plan.days == []
            assert not g.open and "/start" in g.text, "a referral says how to come back"
            if triage.red_flags:
                assert g.block is Block.URGENT and LIB.safety.messages.urgent in g.text
        else:
            assert plan.days and g.open


@pytest.mark.parametrize("level", list(Level))
def test_triage_refers_whatever_else_was_answered(level: Level) -> None:
    """Each kind of triage answer, with every goal, pull-up bracket and condition set."""
    kinds = [
        Triage(red_flags=frozenset({RED_FLAGS[0]})),
        Triage(pain_now=True),
        Triage(health_flags=frozenset({HEALTH[-1]})),
    ]
    for triage, goal, pullups, conds in itertools.product(kinds, Goal, PULLUPS, CONDITION_SETS):
        profile = Profile(triage=triage, goal=goal, level=level, pullups=pullups, conditions=conds)
        plan = build_plan(profile, LIB)
        assert plan.outcome is Outcome.REFER and plan.days == []
        assert not gate(plan, None, LIB).open


def test_a_triage_referral_needs_no_goal_and_keeps_none() -> None:
    plan = build_plan(Profile(triage=Triage(pain_now=True)), LIB)
    assert plan.outcome is Outcome.REFER and plan.days == []
    with pytest.raises(ValueError):
        build_plan(Profile(), LIB)  # not referred, and nothing answered: no program


@pytest.mark.parametrize("step", TRIAGE_ORDER)
def test_a_referring_triage_answer_ends_onboarding_at_once(step: Step) -> None:
    answers = start("abc123")
    clear: dict[Step, Event] = {
        Step.RED_FLAGS: NoneOfThese(Step.RED_FLAGS),
        Step.PAIN: Pick(Step.PAIN, "no"),
        Step.HEALTH: NoneOfThese(Step.HEALTH),
    }
    for before in TRIAGE_ORDER[: TRIAGE_ORDER.index(step)]:
        answers = apply(answers, clear[before], LIB, NOW).answers
    assert answers.step is step
    if step is Step.PAIN:
        answers = apply(answers, Typed("yes"), LIB, NOW).answers
    else:
        flag = (RED_FLAGS if step is Step.RED_FLAGS else HEALTH)[0]
        answers = apply(answers, Pick(step, flag), LIB, NOW).answers
        answers = apply(answers, Typed("done"), LIB, NOW).answers
    assert answers.step is Step.DONE and answers.goal is None, "nothing more is asked"
    assert build_plan(answers.profile(), LIB).outcome is Outcome.REFER


def test_done_without_a_tick_is_not_taken_for_none() -> None:
    result = apply(start("abc123"), Typed("done"), LIB, NOW)
    assert result.problem and result.answers.step is Step.RED_FLAGS


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(
                Pick,
                st.sampled_from(TRIAGE_ORDER),
                st.sampled_from([*RED_FLAGS, *HEALTH, "yes", "no", "x"]),
            ),
            st.builds(NoneOfThese, st.sampled_from(TRIAGE_ORDER)),
            st.builds(Typed, st.sampled_from(["none", "yes", "no", "done", "wider", "?"])),
        ),
        max_size=12,
    )
)
def test_no_sequence_of_triage_answers_skips_a_referral(events: list[Event]) -> None:
    answers = start("abc123")
    for event in events:
        answers = apply(answers, event, LIB, NOW).answers
    profile = answers.profile()
    if answers.step not in TRIAGE_ORDER and answers.step is not Step.DONE:
        assert not referring(profile), "a referred user is never asked about their goal"
    if answers.step is Step.DONE:
        assert referring(profile)


# --- exercise rules on every path ----------------------------------------------------------


def _profiles() -> list[Profile]:
    return [
        Profile(goal=g, level=lv, pullups=p, conditions=c)
        for g, lv, p, c in itertools.product(Goal, Level, PULLUPS, CONDITION_SETS)
        if not any(LIB.conditions[x].outcome is ConditionOutcome.REFER for x in c)
    ]


PROFILES = _profiles()
AFTER_PAIN = frozenset(
    {
        Property.AXIAL_LOAD,
        Property.HEAVY_FREE_WEIGHT,
        Property.LOADED_SPINAL_FLEXION,
        Property.EXPLOSIVE,
        Property.TWISTING,
        Property.JUMPING,
        Property.ADDED_LOAD,
    }
)


def goal_avoid(profile: Profile) -> frozenset[Property]:
    return next((e.avoid for e in LIB.rules.emphasis if e.goal is profile.goal), frozenset())


@pytest.mark.parametrize("chunk", range(4))
def test_no_path_offers_a_ruled_out_exercise(chunk: int) -> None:
    """Program, swaps and pain swaps only ever hold exercises the answers allow."""
    training = [e for e in LIB.exercises.values() if e.day is not None]
    for profile in PROFILES[chunk::4]:
        plan = build_plan(profile, LIB)
        checks = {e.id: check_exercise(e, profile, LIB) for e in LIB.exercises.values()}
        in_plan = {p.exercise.id for d in plan.days for p in d.exercises}
        assert all(checks[i].allowed for i in in_plan)
        for ex in training:
            for alt in allowed_alternatives(ex.id, profile, LIB):
                assert checks[alt.id].allowed, (profile, ex.id, alt.id)
            for alt in pain_alternatives(ex.id, profile, LIB, frozenset(in_plan)):
                assert checks[alt.id].allowed and alt.pattern is not ex.pattern
                assert alt.id not in in_plan
                assert not alt.properties & AFTER_PAIN, "nothing hard on the spine after pain"
                assert alt.pattern not in (Pattern.HINGE, Pattern.SPINAL_EXTENSION)
                assert not alt.properties & goal_avoid(profile)
                if (profile.pullups or 0) < LIB.rules.beginner_pullups:
                    assert alt.id not in LIB.rules.pullup_family
        for check in checks.values():
            if check.ruled_out:
                assert check.reason and "with " in check.reason
                jargon = [p.value for p in Property if "-" in p.value] + ["axial"]
                assert not any(j in check.reason for j in jargon), "plain words only"


def test_hernia_rules_out_the_deadlift_in_plain_words() -> None:
    profile = Profile(
        goal=Goal.STRENGTH, level=Level.INTERMEDIATE, pullups=10, conditions=frozenset({"hernia"})
    )
    check = check_exercise(LIB.exercises["deadlift"], profile, LIB)
    assert not check.allowed
    assert "weight pressing down through your spine" in check.reason
    assert "disc hernia" in check.reason and "axial" not in check.reason


# --- the gate ---------------------------------------------------------------------------------


def test_the_gate_blocks_a_medical_pause_and_a_missing_program() -> None:
    plan = build_plan(Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=3), LIB)
    assert gate(plan, None, LIB).open
    assert gate(plan, PauseReason.USER, LIB).open, "a pause of reminders is not a health block"
    paused = gate(plan, PauseReason.MEDICAL, LIB)
    assert paused.block is Block.MEDICAL_PAUSE and "/resume" in paused.text
    assert gate(None, None, LIB).block is Block.NO_PROGRAM


# --- Train now keeps the rest rule ------------------------------------------------------------


@given(
    st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 1, 1))),
    st.sampled_from(list(DayKind)),
    st.dates(date(2026, 1, 1), date(2027, 1, 1)),
)
def test_train_now_never_breaks_the_rest_rule(last: date | None, nxt: DayKind, today: date) -> None:
    fits = train_today(last, nxt, today)
    if last is None or (today - last).days >= MIN_GAP_DAYS:
        assert fits.kind is nxt and not fits.why
    else:
        assert fits.kind is None and fits.why, "nothing fits today, and the user is told why"


def test_train_now_the_day_after_a_session_names_the_first_free_day() -> None:
    fits = train_today(date(2026, 11, 23), DayKind.LOWER, date(2026, 11, 24))
    assert fits.kind is None and "Thursday 26 November" in fits.why
    assert train_today(date(2026, 11, 23), DayKind.LOWER, date(2026, 11, 26)).kind is DayKind.LOWER


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
