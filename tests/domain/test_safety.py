"""Safety invariants over every combination of answers: triage, the gate, exercise rules and
'Train now' (the back check and the lighter stiff-day weights: test_back_check.py)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_library
from bot.domain.calendar import MIN_GAP_DAYS
from bot.domain.models import (
    ConditionOutcome,
    DayKind,
    Goal,
    Level,
    Outcome,
    Pattern,
    Profile,
    Property,
    Triage,
)
from bot.domain.onboarding import TRIAGE_ORDER, Event, NoneOfThese, Pick, Step, Typed, apply, start
from bot.domain.programs import allowed_alternatives, build_plan, pain_alternatives
from bot.domain.safety import (
    Block,
    check_exercise,
    gate,
    train_today,
)
from bot.domain.sessions import PauseReason
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
