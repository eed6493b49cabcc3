"""The onboarding state machine: answers by tap or by text, Back, referral, schedule questions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.models import Goal, Level, Library
from bot.domain.onboarding import (
    Answers,
    Back,
    Event,
    Finish,
    NoneOfThese,
    Pick,
    Step,
    Typed,
    apply,
    start,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


CLEAR_TRIAGE: list[Event] = [
    NoneOfThese(Step.RED_FLAGS),
    Pick(Step.PAIN, "no"),
    NoneOfThese(Step.HEALTH),
]


def run(library: Library, events: list[Event], answers: Answers | None = None) -> Answers:
    if answers is None:
        answers = start("abc123", "Europe/Berlin")
        events = [*CLEAR_TRIAGE, *events]
    for event in events:
        result = apply(answers, event, library, NOW)
        assert result.problem is None, (event, result.problem)
        answers = result.answers
    return answers


TO_CONDITIONS: list[Event] = [Typed("wider"), Typed("beginner"), Typed("3 pull-ups")]


def test_typed_answers_are_understood(library: Library) -> None:
    answers = run(library, TO_CONDITIONS)
    assert (answers.goal, answers.level, answers.pullups) == (Goal.WIDTH, Level.BEGINNER, 3)
    assert answers.step is Step.CONDITIONS


def test_a_full_run_by_taps_gives_profile_and_schedule(library: Library) -> None:
    answers = run(
        library,
        [
            Pick(Step.GOAL, "strength"),
            Pick(Step.LEVEL, "advanced"),
            Pick(Step.PULLUPS, "12"),
            Pick(Step.CONDITIONS, "scoliosis-mild"),
            Finish(Step.CONDITIONS),
            Pick(Step.DISCOMFORT, "deadlift"),
            Finish(Step.DISCOMFORT),
            Pick(Step.EQUIPMENT, "t-bar"),
            Finish(Step.EQUIPMENT),
            Pick(Step.DAYS, "d1"),
            Pick(Step.DAYS, "d4"),
            Finish(Step.DAYS),
            Pick(Step.TIME, "0730"),
            Typed("Berlin"),
            Finish(Step.CONFIRM),
        ],
    )
    assert answers.step is Step.DONE
    profile = answers.profile()
    assert profile.conditions == {"scoliosis-mild"} and profile.excluded == {"deadlift"}
    assert profile.equipment is not None and "t-bar" not in profile.equipment
    schedule = answers.schedule()
    assert schedule.weekdays == {1, 4} and f"{schedule.time:%H:%M}" == "07:30"
    assert schedule.timezone == "Europe/Berlin"


def test_a_referring_condition_ends_the_set_up_at_once(library: Library) -> None:
    answers = run(
        library,
        [*TO_CONDITIONS, Pick(Step.CONDITIONS, "recent-injury"), Finish(Step.CONDITIONS)],
    )
    assert answers.step is Step.DONE and answers.timezone is None


def test_back_goes_to_the_previous_question_and_keeps_answers(library: Library) -> None:
    answers = run(library, [*TO_CONDITIONS, Back(Step.CONDITIONS)])
    assert answers.step is Step.PULLUPS and answers.goal is Goal.WIDTH
    first = start("abc123")
    result = apply(first, Back(Step.RED_FLAGS), library, NOW)
    assert result.problem and result.answers == first


@pytest.mark.parametrize(
    "events",
    [
        [Pick(Step.DAYS, "d0"), Pick(Step.DAYS, "d2"), Pick(Step.DAYS, "d4"), Finish(Step.DAYS)],
        [Typed("mon, wed, fri")],
        [Typed("every day")],
        [Pick(Step.DAYS, "d5"), Finish(Step.DAYS)],
        [Pick(Step.DAYS, "d0"), Pick(Step.DAYS, "d1"), Finish(Step.DAYS)],
    ],
)
def test_any_days_the_user_can_train_are_taken(library: Library, events: list[Event]) -> None:
    answers = run(library, events, start("abc123", schedule_only=True))
    assert answers.step is Step.TIME and answers.weekdays


def test_no_day_at_all_is_explained_and_often_is_a_toggle(library: Library) -> None:
    answers = start("abc123", schedule_only=True)
    result = apply(answers, Finish(Step.DAYS), library, NOW)
    assert result.problem and "at least one day" in result.problem
    assert result.answers.step is Step.DAYS
    ticked = run(library, [Pick(Step.DAYS, "often")], answers)
    assert ticked.often and not run(library, [Pick(Step.DAYS, "often")], ticked).often
    done = run(library, [Typed("every day"), Typed("6pm"), Typed("Berlin")], ticked)
    assert done.schedule().often and done.schedule().weekdays == frozenset(range(7))


def test_timezone_from_the_users_local_time_offers_matching_zones(library: Library) -> None:
    answers = start("abc123", schedule_only=True)
    answers = run(library, [Typed("mon, thu"), Typed("6pm")], answers)
    result = apply(answers, Typed("11:00"), library, NOW)  # 08:00 UTC now: UTC+3
    assert result.answers.step is Step.TIMEZONE and result.answers.tz_candidates
    assert "Europe/Moscow" in result.answers.tz_candidates
    idx = result.answers.tz_candidates.index("Europe/Moscow")
    done = apply(result.answers, Pick(Step.TIMEZONE, f"z{idx}"), library, NOW)
    assert done.answers.timezone == "Europe/Moscow" and done.answers.step is Step.CONFIRM


def test_a_button_for_another_question_is_stale(library: Library) -> None:
    answers = run(library, TO_CONDITIONS)
    result = apply(answers, Pick(Step.GOAL, "width"), library, NOW)
    assert result.stale and result.answers == answers


STEPS = list(Step)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(Typed, st.text(max_size=30)),
            st.builds(Pick, st.sampled_from(STEPS), st.text(max_size=12)),
            st.builds(Finish, st.sampled_from(STEPS)),
            st.builds(NoneOfThese, st.sampled_from(STEPS)),
            st.builds(Back, st.sampled_from(STEPS)),
        ),
        max_size=25,
    )
)
def test_no_input_crashes_the_conversation(library: Library, events: list[Event]) -> None:
    answers = start("abc123")
    for event in events:
        answers = apply(answers, event, library, NOW).answers
    assert answers.step in STEPS
