"""Views render valid Telegram HTML under the length limit; callback data round-trips safely."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.onboarding import ORDER, Answers, Back, Event, Finish, NoneOfThese, Pick
from bot.domain.programs import build_plan
from bot.tg import callbacks, question_views, views
from bot.tg.render import MAX_TEXT, split_message
from standin.entities import parse_html


def assert_sendable(view: views.View) -> None:
    for part in split_message(view.text):
        assert len(part) <= MAX_TEXT
        parse_html(part)  # raises like Telegram would on bad markup
    if view.keyboard is not None:
        for row in view.keyboard.inline_keyboard:
            for button in row:
                assert button.callback_data is not None
                assert len(str(button.callback_data).encode()) <= 64


@pytest.mark.parametrize(
    "conditions", [(), ("hernia",), ("recent-injury",), ("scoliosis-mild", "arthritis")]
)
def test_outcome_and_program_views_are_valid(library: Library, conditions: tuple[str, ...]) -> None:
    for goal, level in itertools.product(Goal, Level):
        plan = build_plan(
            Profile(goal=goal, level=level, pullups=5, conditions=frozenset(conditions)), library
        )
        for view in [views.screening(plan, library), *views.program(plan)]:
            assert_sendable(view)


def test_every_technique_and_library_view_is_valid(library: Library) -> None:
    for ex in library.exercises.values():
        assert_sendable(views.technique(ex))
    for view in views.library_views(library):
        assert_sendable(view)


def test_every_question_is_valid(library: Library) -> None:
    for step in ORDER:
        answers = Answers(
            nonce="abc123",
            step=step,
            weekdays=(0, 3),
            reminder_time="18:00",
            timezone="Europe/Berlin",
            tz_candidates=("Europe/Berlin", "Etc/GMT-1"),
            day_suggestions=("s03", "s14"),
        )
        view = question_views.question(answers, library)
        assert_sendable(view)
        assert view.keyboard is not None


def test_callback_data_round_trips(library: Library) -> None:
    for step in ORDER:
        pairs: list[tuple[str, Event]] = [
            (callbacks.pick("abc123", step, "deadlift"), Pick(step, "deadlift")),
            (callbacks.finish("abc123", step), Finish(step)),
            (callbacks.none_of_these("abc123", step), NoneOfThese(step)),
            (callbacks.back("abc123", step), Back(step)),
        ]
        for data, event in pairs:
            assert callbacks.decode(data) == callbacks.OnboardingButton("abc123", event)
    for ex in library.exercises:
        assert callbacks.decode(callbacks.technique(ex)) == callbacks.TechniqueButton(ex)


@given(st.text(max_size=80))
def test_decoding_anything_never_raises(data: str) -> None:
    callbacks.decode(data)


@pytest.mark.parametrize(
    "data",
    [
        "",
        "o:abc123:g:p",
        "o:abc123:q:p:width",
        "t:../x",
        "o:ABC123:g:p:width",
        "x" * 65,
        "o:abc123:g:f:extra",
    ],
)
def test_malformed_callback_data_is_rejected(data: str) -> None:
    assert callbacks.decode(data) is None
