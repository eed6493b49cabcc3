"""Safety and coaching invariants of screening and generation, over every combination of answers."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_library
from bot.domain.models import (
    ConditionOutcome,
    DayKind,
    Equipment,
    Goal,
    Level,
    Library,
    Outcome,
    Pattern,
    Plan,
    Profile,
    SetKind,
)
from bot.domain.programs import build_plan
from bot.domain.screening import UnknownIdError

LIB = load_library()
CONDITION_SETS = [
    frozenset(c)
    for n in range(len(LIB.conditions) + 1)
    for c in itertools.combinations(sorted(LIB.conditions), n)
]
PULLUPS = [0, 1, 7, 8, 9, 13, 30]
HERNIA_FORBIDDEN = {
    "deadlift",
    "barbell-row-overhand",
    "barbell-row-underhand",
    "t-bar-row",
    "deadlift-to-row",
    "shrug-barbell",
    "pullup-weighted",
}


def every_profile() -> Iterator[tuple[Profile, int]]:
    """Every goal x level x pull-up bracket x condition combination, in every week that differs."""
    for goal, level, pullups, conds in itertools.product(Goal, Level, PULLUPS, CONDITION_SETS):
        weeks = range(1, 9) if level is Level.ADVANCED else (1,)
        for week in weeks:
            yield Profile(goal=goal, level=level, pullups=pullups, conditions=conds), week


ALL = [(p, w, build_plan(p, LIB, week=w)) for p, w in every_profile()]


def ids(plan: Plan) -> set[str]:
    return {p.exercise.id for d in plan.days for p in d.exercises}


def pullup_blocked(profile: Profile, lib: Library) -> bool:
    ex = lib.exercises[lib.rules.pullup_max_set.exercise]
    ruled = any(ex.properties & lib.conditions[c].rules_out for c in profile.conditions)
    return ruled or ex.id in profile.excluded


def check_invariants(profile: Profile, plan: Plan, lib: Library) -> None:
    """Everything that must hold for any profile; each failure names the broken rule."""
    refer = any(lib.conditions[c].outcome is ConditionOutcome.REFER for c in profile.conditions)
    if refer:
        assert plan.outcome is Outcome.REFER
        assert plan.days == [], "a referred profile must get no program"
        return
    expected = Outcome.RESTRICTED if profile.conditions else Outcome.CLEAR
    assert plan.outcome is expected
    assert [d.kind for d in plan.days] == [DayKind.UPPER, DayKind.LOWER]
    ruled_out = set().union(*(lib.conditions[c].rules_out for c in profile.conditions))
    for day in plan.days:
        exs = day.exercises
        assert exs[0].exercise.pattern is Pattern.WARMUP, "a session opens with a warm-up"
        assert exs[-1].exercise.pattern is Pattern.STRETCH, "a session ends with stretching"
        main = [p for p in exs if p.exercise.pattern not in (Pattern.WARMUP, Pattern.STRETCH)]
        if profile.equipment is None and not profile.excluded:
            assert main, "a day has training in it"
        if not main:
            assert any(r.code == "empty-day" for r in plan.reasons), "an empty day is explained"
        patterns = [p.exercise.pattern for p in exs]
        first_stretch = patterns.index(Pattern.STRETCH)
        assert all(pt is Pattern.STRETCH for pt in patterns[first_stretch:])
        last_warmup = max(i for i, pt in enumerate(patterns) if pt is Pattern.WARMUP)
        assert all(pt is Pattern.WARMUP for pt in patterns[: last_warmup + 1])
        ext = [i for i, p in enumerate(main) if p.exercise.pattern is Pattern.SPINAL_EXTENSION]
        assert ext == list(range(len(main) - len(ext), len(main))), "lower-back work comes last"
        for p in exs:
            ex = p.exercise
            clash = ex.properties & ruled_out
            assert not clash, f"{ex.id} has {clash}, ruled out by {sorted(profile.conditions)}"
            assert ex.id not in profile.excluded, f"excluded {ex.id} appears"
            assert ex.day in (None, day.kind), f"{ex.id} ({ex.day}) on the {day.kind} day"
            for s in p.sets:
                if s.kind is SetKind.WORKING:
                    assert s.reps_max is not None
                    assert lib.rules.working_reps_min <= s.reps_min <= s.reps_max
                    assert s.reps_max <= lib.rules.working_reps_max
                if s.kind is SetKind.WARMUP and ex.pattern not in (Pattern.WARMUP, Pattern.STRETCH):
                    assert (s.reps_min, s.reps_max) == (15, 20), "warm-up sets are light 15-20"
        if profile.equipment is not None:
            for p in exs:
                assert set(p.exercise.equipment) <= profile.equipment
    family = set(lib.rules.pullup_family)
    upper = plan.days[0]
    pull = [p for p in upper.exercises if p.exercise.id in family]
    assert profile.pullups is not None  # build_plan gives no program without it
    if profile.pullups < lib.rules.beginner_pullups:
        for day in plan.days:
            for p in day.exercises:
                if p.exercise.id in family:
                    assert all(s.kind is SetKind.MAX for s in p.sets), "no pull-up working sets"
        if not pullup_blocked(profile, lib) and profile.equipment is None:
            assert len(pull) == 1 and [(s.kind, s.count) for s in pull[0].sets] == [
                (SetKind.MAX, 1)
            ], "the beginner does one all-out set of pull-ups each upper day"
        vertical = [p for p in upper.exercises if p.exercise.pattern is Pattern.VERTICAL_PULL]
        if profile.equipment is None and not profile.excluded:
            assert any(p.exercise.id not in family for p in vertical), "pulldowns replace pull-ups"
    elif (
        plan.template != "spine-sparing"
        and not pullup_blocked(profile, lib)
        and profile.equipment is None
        and not profile.excluded & family
    ):
        sets = sum(s.count for p in pull for s in p.sets)
        assert sets >= 3, "8 or more pull-ups: the full complex with pull-up sets"


@pytest.mark.parametrize("chunk", range(8))
def test_invariants_hold_for_every_combination(chunk: int) -> None:
    for profile, _week, plan in ALL[chunk::8]:
        check_invariants(profile, plan, LIB)


def test_every_combination_was_covered() -> None:
    conds = {p.conditions for p, _, _ in ALL}
    assert len(conds) == 2 ** len(LIB.conditions)
    assert {(p.goal, p.level) for p, _, _ in ALL} == set(itertools.product(Goal, Level))
    assert {w for p, w, _ in ALL if p.level is Level.ADVANCED} == set(range(1, 9))


def test_hernia_never_gets_heavy_spinal_loading() -> None:
    hernia = [(p, plan) for p, _, plan in ALL if "hernia" in p.conditions]
    assert hernia
    for profile, plan in hernia:
        assert not ids(plan) & HERNIA_FORBIDDEN, (profile, ids(plan) & HERNIA_FORBIDDEN)


def test_hernia_alone_gets_the_spine_sparing_program_and_its_explanation() -> None:
    plan = build_plan(
        Profile(
            goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10, conditions=frozenset({"hernia"})
        ),
        LIB,
    )
    assert plan.outcome is Outcome.RESTRICTED
    assert plan.template == "spine-sparing"
    assert {"assisted-pullup", "seated-cable-row", "machine-row"} <= ids(plan)
    assert any(r.condition == "hernia" and r.code == "restrict" for r in plan.reasons)
    assert any(r.code == "template" for r in plan.reasons)


def test_referred_conditions_get_no_program() -> None:
    for cond in ("recent-injury", "exacerbation", "scoliosis-severe"):
        plan = build_plan(
            Profile(
                goal=Goal.HEALTH,
                level=Level.BEGINNER,
                pullups=0,
                conditions=frozenset({cond, "hernia"}),
            ),
            LIB,
        )
        assert plan.outcome is Outcome.REFER and plan.days == []
        assert [r.condition for r in plan.reasons] == [cond]


def test_standard_split_matches_the_articles() -> None:
    plan = build_plan(Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10), LIB)
    upper, lower = plan.days
    main_upper = [
        (p.exercise.id, [(s.kind.value, s.count, s.reps_min, s.reps_max) for s in p.sets])
        for p in upper.exercises
        if p.exercise.pattern not in (Pattern.WARMUP, Pattern.STRETCH)
    ]
    assert main_upper[:5] == [
        ("lat-pulldown-chest", [("warmup", 2, 15, 20)]),
        ("pullup-wide", [("working", 4, 6, 12)]),
        ("lat-pulldown-chest", [("working", 4, 6, 12)]),
        ("lat-pulldown-behind-head", [("working", 4, 6, 12)]),
        ("shrug-barbell", [("working", 4, 12, 15)]),
    ]
    main_lower = [
        p.exercise.id
        for p in lower.exercises
        if p.exercise.pattern not in (Pattern.WARMUP, Pattern.STRETCH)
    ]
    assert main_lower[:3] == ["deadlift", "barbell-row-overhand", "seated-cable-row"]


def test_beginner_path_drops_pullup_work_and_adds_one_max_set() -> None:
    plan = build_plan(Profile(goal=Goal.THICKNESS, level=Level.BEGINNER, pullups=3), LIB)
    upper = [p for p in plan.days[0].exercises if p.exercise.id == "pullup-wide"]
    assert len(upper) == 1 and upper[0].sets[0].kind is SetKind.MAX and upper[0].sets[0].count == 1
    assert any(r.code == "beginner-path" for r in plan.reasons)
    at_eight = build_plan(Profile(goal=Goal.THICKNESS, level=Level.BEGINNER, pullups=8), LIB)
    full = [p for p in at_eight.days[0].exercises if p.exercise.id == "pullup-wide"]
    assert [(s.kind, s.count) for s in full[0].sets] == [(SetKind.WORKING, 4)]


def test_strength_goal_makes_the_deadlift_heavy() -> None:
    plan = build_plan(Profile(goal=Goal.STRENGTH, level=Level.INTERMEDIATE, pullups=10), LIB)
    dl = next(p for p in plan.days[1].exercises if p.exercise.id == "deadlift")
    work = [s for s in dl.sets if s.kind is SetKind.WORKING]
    assert [(s.count, s.reps_min, s.reps_max) for s in work] == [(4, 4, 6)]


def test_health_goal_prefers_machines_and_back_extensions() -> None:
    plan = build_plan(Profile(goal=Goal.HEALTH, level=Level.INTERMEDIATE, pullups=10), LIB)
    got = ids(plan)
    assert "hyperextension" in got and "machine-row" in got
    assert not {"deadlift", "barbell-row-overhand", "shrug-barbell"} & got
    assert any(r.code == "dropped" and r.exercise == "deadlift" for r in plan.reasons)


def test_rotation_changes_weekly_and_repeats_after_four_weeks() -> None:
    prof = Profile(goal=Goal.WIDTH, level=Level.ADVANCED, pullups=15)
    plans = [build_plan(prof, LIB, week=w) for w in range(1, 9)]
    assert len({p.template for p in plans[:4]}) == 4
    for w in range(4):
        assert (plans[w].template, plans[w].days) == (plans[w + 4].template, plans[w + 4].days)


def test_same_profile_same_program() -> None:
    prof = Profile(
        goal=Goal.WIDTH,
        level=Level.BEGINNER,
        pullups=2,
        conditions=frozenset({"scoliosis-mild"}),
        excluded=frozenset({"shrug-dumbbell"}),
    )
    assert build_plan(prof, LIB) == build_plan(prof, LIB)


def test_unknown_ids_are_refused() -> None:
    with pytest.raises(UnknownIdError, match="valid:"):
        build_plan(
            Profile(
                goal=Goal.WIDTH, level=Level.BEGINNER, pullups=0, conditions=frozenset({"flu"})
            ),
            LIB,
        )
    with pytest.raises(UnknownIdError):
        build_plan(
            Profile(
                goal=Goal.WIDTH,
                level=Level.BEGINNER,
                pullups=0,
                excluded=frozenset({"bench-press"}),
            ),
            LIB,
        )


def test_every_swap_and_drop_is_explained() -> None:
    for profile, _, plan in ALL[::7]:
        for day in plan.days:
            for p in day.exercises:
                if p.replaces is not None:
                    assert any(r.exercise == p.replaces for r in plan.reasons), (
                        profile,
                        p.replaces,
                    )


TRAINING_IDS = sorted(e.id for e in LIB.exercises.values() if e.day is not None)


@settings(max_examples=300, deadline=None)
@given(
    goal=st.sampled_from(list(Goal)),
    level=st.sampled_from(list(Level)),
    pullups=st.integers(0, 40),
    conds=st.sets(st.sampled_from(sorted(LIB.conditions))),
    excluded=st.sets(st.sampled_from(TRAINING_IDS), max_size=12),
    equipment=st.none() | st.sets(st.sampled_from(list(Equipment))),
    week=st.integers(1, 8),
)
def test_invariants_hold_with_exclusions_and_equipment(
    goal: Goal,
    level: Level,
    pullups: int,
    conds: set[str],
    excluded: set[str],
    equipment: set[Equipment] | None,
    week: int,
) -> None:
    profile = Profile(
        goal=goal,
        level=level,
        pullups=pullups,
        conditions=frozenset(conds),
        excluded=frozenset(excluded),
        equipment=None if equipment is None else frozenset(equipment),
    )
    plan = build_plan(profile, LIB, week=week)
    check_invariants(profile, plan, LIB)
    assert build_plan(profile, LIB, week=week) == plan


def test_alternatives_keep_to_conditions_exclusions_and_the_beginner_path() -> None:
    from bot.domain.programs import allowed_alternatives

    for profile, _, _ in ALL[::50]:
        if any(LIB.conditions[c].outcome is ConditionOutcome.REFER for c in profile.conditions):
            continue
        ruled = set().union(*(LIB.conditions[c].rules_out for c in profile.conditions))
        assert profile.pullups is not None
        for ex_id in ("lat-pulldown-chest", "barbell-row-overhand", "deadlift", "shrug-barbell"):
            for alt in allowed_alternatives(ex_id, profile, LIB):
                assert not alt.properties & ruled
                assert alt.pattern is LIB.exercises[ex_id].pattern
                if profile.pullups < LIB.rules.beginner_pullups:
                    assert alt.id not in LIB.rules.pullup_family


def check_explanations(plan: Plan, lib: Library) -> None:
    """Every sentence agrees with the program; the summary fits a phone screen."""
    from bot.tg.render import plain_length
    from bot.tg.views import SCREENING_LIMIT, screening

    present = ids(plan)
    names_in = {p.exercise.name for d in plan.days for p in d.exercises}
    out = {r.exercise for r in plan.reasons if r.code in ("replaced", "dropped")}
    assert not out & present, f"named as left out or swapped, yet in the program: {out & present}"
    for r in plan.reasons:
        if r.code == "goal":
            named = {e.name for e in lib.exercises.values() if e.name in r.text}
            named = {n for n in named if not any(n != m and n in m for m in named)}
            assert named and named <= names_in, f"goal note names what is not there: {r.text}"
        if r.code == "beginner-path" and "all-out set" in r.text:
            assert any(p.exercise.id in lib.rules.pullup_family for p in plan.days[0].exercises), (
                "the all-out set is promised only when it is there"
            )
        for jargon in ("axial", "heavy-free-weight", "loaded-spinal-flexion", "added-load"):
            assert jargon not in r.text, f"jargon in: {r.text}"
    view = screening(plan, lib)
    assert plain_length(view.text) <= SCREENING_LIMIT, view.text


@pytest.mark.parametrize("chunk", range(8))
def test_explanations_agree_with_the_program(chunk: int) -> None:
    for _profile, _week, plan in ALL[chunk::8]:
        if plan.outcome is not Outcome.REFER:
            check_explanations(plan, LIB)
