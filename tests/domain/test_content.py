"""The content library loads, and a broken file is reported with its file, entry and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import DEFAULT_CONTENT_DIR, ContentError, load_library
from bot.domain.models import DayKind, Library, Pattern

ARTICLE_EXERCISES = {
    "pullup-wide",
    "pullup-underhand",
    "pullup-weighted",
    "assisted-pullup",
    "lat-pulldown-chest",
    "lat-pulldown-behind-head",
    "one-arm-pulldown",
    "seated-cable-row",
    "machine-row",
    "barbell-row-overhand",
    "barbell-row-underhand",
    "dumbbell-row-one-arm",
    "t-bar-row",
    "deadlift",
    "deadlift-to-row",
    "shrug-barbell",
    "shrug-dumbbell",
    "shrug-lying",
    "straight-arm-pulldown",
    "dumbbell-pullover",
    "hyperextension",
    "reverse-hyperextension",
    "rear-delt-fly",
}


def test_library_loads_with_every_exercise_the_articles_name(library: Library) -> None:
    assert set(library.exercises) >= ARTICLE_EXERCISES
    patterns = {e.pattern for e in library.exercises.values()}
    assert {Pattern.WARMUP, Pattern.STRETCH} <= patterns
    for ex in library.exercises.values():
        assert ex.cues.setup and ex.cues.movement and ex.cues.mistakes and ex.cues.breathing


def test_conditions_and_their_outcomes(library: Library) -> None:
    outcomes = {c.id: c.outcome.value for c in library.conditions.values()}
    assert outcomes == {
        "recent-injury": "refer",
        "exacerbation": "refer",
        "scoliosis-severe": "refer",
        "hernia": "restrict",
        "scoliosis-mild": "restrict",
        "arthritis": "restrict",
    }
    for c in library.conditions.values():
        assert c.explanation and c.advice and c.short


def test_upper_and_lower_patterns_do_not_mix(library: Library) -> None:
    by_day: dict[DayKind, set[Pattern]] = {DayKind.UPPER: set(), DayKind.LOWER: set()}
    for ex in library.exercises.values():
        if ex.day is not None:
            by_day[ex.day].add(ex.pattern)
    assert not by_day[DayKind.UPPER] & by_day[DayKind.LOWER]


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, dest)
    return dest


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "entry", "field"),
    [
        (
            "exercises.toml",
            'id = "deadlift"\n',
            'id = "deadlift"\nmystery = 1\n',
            "deadlift",
            "mystery",
        ),
        ("exercises.toml", 'pattern = "hinge"', 'pattern = "hinges"', "deadlift", "pattern"),
        ("conditions.toml", 'outcome = "restrict"', 'outcome = "maybe"', "hernia", "outcome"),
        (
            "programs.toml",
            'exercise = "deadlift"\n',
            'exercise = "deadlfit"\n',
            "split-standard",
            "days.lower.slots",
        ),
        (
            "programs.toml",
            "reps_min = 6, reps_max = 12",
            "reps_min = 12, reps_max = 6",
            "[rules]",
            "beginner_pullup_replacement.sets.0",
        ),
    ],
)
def test_broken_content_names_file_entry_and_field(
    content_copy: Path, file: str, old: str, new: str, entry: str, field: str
) -> None:
    _break(content_copy / file, old, new)
    with pytest.raises(ContentError) as err:
        load_library(content_copy)
    msg = str(err.value)
    assert file in msg and entry in msg and field in msg, msg


def test_invalid_toml_names_the_file(content_copy: Path) -> None:
    (content_copy / "conditions.toml").write_text("[[condition]\nid = ")
    with pytest.raises(ContentError, match=r"conditions\.toml.*not valid TOML"):
        load_library(content_copy)
