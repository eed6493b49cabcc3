"""The Russian content overlay: complete, keyed by id, and checked at start-up."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import DEFAULT_CONTENT_DIR, ContentError, load_library
from bot.content_locale import localize_plan, localized, translate
from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.domain.screening import screen
from bot.i18n import use_language


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(DEFAULT_CONTENT_DIR, tmp_path / "content")
    return tmp_path / "content"


def test_every_entry_has_russian_texts_and_keeps_its_numbers(library: Library) -> None:
    ru = translate(library, "ru")
    assert ru.exercises.keys() == library.exercises.keys()
    for i, ex in library.exercises.items():
        other = ru.exercises[i]
        assert other.name != ex.name and ex.name in other.aliases
        assert len(other.cues.setup) >= 1 and other.cues.breathing != ex.cues.breathing
        assert (other.load_step_kg, other.start_kg, other.properties, other.alternatives) == (
            ex.load_step_kg,
            ex.start_kg,
            ex.properties,
            ex.alternatives,
        )
    for i, cond in library.conditions.items():
        assert ru.conditions[i].explanation != cond.explanation
        assert ru.conditions[i].rules_out == cond.rules_out
    assert ru.safety.back_check.stiff_load == library.safety.back_check.stiff_load
    assert ru.rules.model_dump(exclude={"emphasis", "pullup_max_set", "stretch", "warmup"}) == (
        library.rules.model_dump(exclude={"emphasis", "pullup_max_set", "stretch", "warmup"})
    )


def test_screening_decides_the_same_in_both_languages(library: Library) -> None:
    both = localized(library)
    profile = Profile(conditions=frozenset({"hernia", "arthritis"}))
    with use_language("en"):
        english = screen(profile, both)
    with use_language("ru"):
        russian = screen(profile, both)
    assert english.outcome is russian.outcome
    assert [r.code for r in english.reasons] == [r.code for r in russian.reasons]
    assert any("грыжа или протрузия" in r.text for r in russian.reasons)
    assert any("hernia or protrusion" in r.text for r in english.reasons)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_missing_translation_names_the_file_and_the_entry(content: Path) -> None:
    english = load_library(content)
    path = content / "ru" / "exercises.toml"
    text = path.read_text()
    path.write_text(text[: text.index("[exercise.upper-trap-stretch]")])
    with pytest.raises(ContentError) as e:
        translate(english, "ru", content)
    assert e.value.file.endswith("ru/exercises.toml")
    assert e.value.problem == "missing: upper-trap-stretch"


def test_an_extra_entry_is_rejected(content: Path) -> None:
    english = load_library(content)
    with (content / "ru" / "conditions.toml").open("a") as f:
        f.write(
            '\n[condition.gout]\nname = "Подагра"\nshort = "x"\nsummary = "x"\n'
            'explanation = "x"\nadvice = "x"\n'
        )
    with pytest.raises(ContentError, match="not in the English content: gout"):
        translate(english, "ru", content)


def test_an_unknown_field_names_the_entry_and_field(content: Path) -> None:
    english = load_library(content)
    _edit(
        content / "ru" / "exercises.toml",
        'name = "Становая тяга"',
        'name = "Становая тяга"\nweight = 100',
    )
    with pytest.raises(ContentError) as e:
        translate(english, "ru", content)
    assert (e.value.entry, e.value.field) == ("deadlift", "weight")


def test_a_dropped_placeholder_fails(content: Path) -> None:
    english = load_library(content)
    _edit(content / "ru" / "programs.toml", "больше работы на широчайшие.", "без списка.")
    _edit(content / "ru" / "programs.toml", "добавлено: {exercises} —", "добавлено —")
    with pytest.raises(ContentError, match="placeholders"):
        translate(english, "ru", content)


def test_a_missing_safety_message_fails(content: Path) -> None:
    english = load_library(content)
    _edit(content / "ru" / "safety.toml", "checkin = ", "checkin_typo = ")
    with pytest.raises(ContentError, match="checkin"):
        translate(english, "ru", content)


def test_a_stored_plan_follows_the_language_it_is_shown_in(library: Library) -> None:
    both = localized(library)
    with use_language("en"):
        plan = build_plan(Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2), both)
    with use_language("ru"):
        shown = localize_plan(plan, both)
        back = build_plan(Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2), both)
    assert [p.exercise.name for d in shown.days for p in d.exercises] == [
        p.exercise.name for d in back.days for p in d.exercises
    ]
    assert [p.note for d in shown.days for p in d.exercises] == [
        p.note for d in back.days for p in d.exercises
    ]
    assert [p.sets for d in shown.days for p in d.exercises] == [
        p.sets for d in plan.days for p in d.exercises
    ]
    with use_language("en"):
        assert localize_plan(back, both).days == plan.days  # and back again


def test_a_translated_button_label_over_the_limit_fails(content: Path) -> None:
    english = load_library(content)
    _edit(
        content / "ru" / "safety.toml",
        'label = "Боль в груди"',
        'label = "Боль в груди, которая бывает при нагрузке и даже в покое"',
    )
    with pytest.raises(ContentError, match="40 characters"):
        translate(english, "ru", content)
