"""Free log lines: the exercise is matched loosely; ambiguity is reported, not guessed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.accounts import Units
from bot.domain.lognames import explain_log_line, match_exercise, other_exercise, read_log_line
from bot.domain.models import Library


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("deadlift", ["deadlift"]),
        ("Deadlift", ["deadlift"]),
        ("t-bar row", ["t-bar-row"]),
        ("tbar row", ["t-bar-row"]),
        ("seated cable row", ["seated-cable-row"]),
        ("hyperextensions", ["hyperextension"]),
        ("chin ups", ["pullup-underhand"]),
        ("deadlfit", ["deadlift"]),
    ],
)
def test_names_are_matched_loosely(library: Library, name: str, expected: list[str]) -> None:
    assert match_exercise(name, list(library.exercises.values()))[:1] == expected


def test_an_ambiguous_name_gives_several_candidates(library: Library) -> None:
    found = match_exercise("row", list(library.exercises.values()))
    assert len(found) > 1


def test_a_log_line_splits_into_exercise_and_sets(library: Library) -> None:
    line = read_log_line("deadlift 5x5 100", list(library.exercises.values()), Units.KG)
    assert line is not None and line.candidates == ["deadlift"]
    assert [(s.reps, s.weight_kg) for s in line.sets] == [(5, 100.0)] * 5


def test_text_that_is_not_a_log_line(library: Library) -> None:
    assert read_log_line("hello there", list(library.exercises.values()), Units.KG) is None


def test_a_log_line_without_a_load_says_so(library: Library) -> None:
    line = read_log_line("lat pulldown 3x10", list(library.exercises.values()), Units.KG)
    assert line is not None and not line.weighed
    line = read_log_line("deadlift 4x10x50", list(library.exercises.values()), Units.KG)
    assert line is not None and line.weighed and len(line.sets) == 4


@pytest.mark.parametrize(
    ("text", "problem", "example"),
    [
        ("deadlift 5x5 fifty", "'fifty'", "deadlift 4x10 @ 50 kg"),
        ("deadlift", "no sets after it", "deadlift 5x5 100"),
        ("4x10 50", "Which exercise", "deadlift 5x5 100"),
        ("hello coach", "couldn't find an exercise", "deadlift 5x5 100"),
    ],
)
def test_a_bad_line_is_explained_with_an_example(
    library: Library, text: str, problem: str, example: str
) -> None:
    error = explain_log_line(text, list(library.exercises.values()), Units.KG)
    assert problem in error.problem and error.example.startswith(example)


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=40))
def test_any_line_reads_or_is_explained_without_raising(library: Library, text: str) -> None:
    exercises = list(library.exercises.values())
    line = read_log_line(text, exercises, Units.KG)
    if line is None:
        error = explain_log_line(text, exercises, Units.KG)
        assert error.problem and error.example


def test_a_line_for_another_exercise_is_named(library: Library) -> None:
    exercises = list(library.exercises.values())
    assert other_exercise("deadlift 5x5 100", exercises, Units.KG, "pullup-wide") == "deadlift"
    assert other_exercise("deadlift 5x5 100", exercises, Units.KG, "deadlift") is None
    assert other_exercise("4x10 fifty", exercises, Units.KG, "pullup-wide") is None
