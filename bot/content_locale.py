"""Content in other languages: `content/<lang>/` overlays the English texts, keyed by id.

An overlay holds only texts (names, cues, explanations, notes, safety wording); every number
and rule stays in the English files. It is validated at start-up like the rest of content/:
an entry the English files lack, an English entry the overlay misses, an unknown field, or a
text that drops a {placeholder} stops the bot with the file and the entry named.
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from bot.content import DEFAULT_CONTENT_DIR, ContentError, _read_toml, _validate
from bot.domain.models import (
    CoachingRules,
    Exercise,
    Flag,
    Library,
    Plan,
    PlannedExercise,
    Property,
    SafetyContent,
    Slot,
    Template,
)
from bot.i18n import DEFAULT_LANGUAGE, SUPPORTED, current_language

M = TypeVar("M", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CuesText(_Strict):
    """An exercise's technique cues."""

    setup: list[str]
    movement: list[str]
    mistakes: list[str]
    breathing: str


class ExerciseText(_Strict):
    """An exercise's texts, and the names people type for it."""

    name: str
    aliases: list[str] = []
    summary: str
    primary_muscles: list[str]
    secondary_muscles: list[str] = []
    cues: CuesText


class ConditionText(_Strict):
    """A condition's texts."""

    name: str
    short: str
    summary: str
    explanation: str
    advice: str


class TemplateText(_Strict):
    """A program template's name and description."""

    name: str
    description: str


class FlagText(_Strict):
    """A triage item's label and line."""

    label: str
    text: str


class BackCheckText(_Strict):
    """The back check's wording."""

    question: str
    warning_signs: str
    fine: str
    stiff: str
    hurts: str
    red_flag: str
    stiff_note: str
    hurts_note: str
    hurts_moved: str
    hurts_twice: str
    red_flag_note: str


class SafetyText(_Strict):
    """Everything worded in safety.toml."""

    red_flag: dict[str, FlagText]
    health_check: dict[str, FlagText]
    messages: dict[str, str]
    back_check: BackCheckText
    property_words: dict[Property, str]


class ProgramsText(_Strict):
    """Template texts by id, goal explanations by goal, and slot notes by their English text."""

    template: dict[str, TemplateText]
    emphasis: dict[str, str]
    notes: dict[str, str]


def _check_keys(path: Path, entry: str, field: str, english: set[str], given: set[str]) -> None:
    missing, extra = sorted(english - given), sorted(given - english)
    problems = [f"missing: {', '.join(missing)}"] if missing else []
    problems += [f"not in the English content: {', '.join(extra)}"] if extra else []
    if problems:
        raise ContentError(path, entry, field, "; ".join(problems))


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}


def _same_fields(path: Path, entry: str, field: str, english: str, translated: str) -> str:
    if _fields(english) != _fields(translated):
        raise ContentError(path, entry, field, f"must keep the placeholders of: {english!r}")
    return translated


def _table(path: Path, data: dict[str, Any], key: str) -> dict[str, Any]:
    raw = data.get(key)
    if not isinstance(raw, dict):
        raise ContentError(path, "-", key, f"expected a [{key}] table keyed by id")
    return raw


def _entries(
    model: type[M], path: Path, data: dict[str, Any], key: str, english: set[str]
) -> dict[str, M]:
    raw = _table(path, data, key)
    _check_keys(path, f"[{key}]", "ids", english, set(raw))
    return {i: _validate(model, value, path, i) for i, value in raw.items()}


def _exercise(en: Exercise, t: ExerciseText) -> Exercise:
    """The translated exercise; the English names stay as aliases."""
    return en.model_copy(
        update={
            **t.model_dump(exclude={"cues", "aliases"}),
            "cues": en.cues.model_copy(update=t.cues.model_dump()),
            "aliases": [en.name, *en.aliases, *t.aliases],
        }
    )


def _slot(slot: Slot, notes: dict[str, str]) -> Slot:
    return slot if slot.note is None else slot.model_copy(update={"note": notes[slot.note]})


def _all_notes(library: Library) -> list[str]:
    """Every slot note in a fixed order, so two languages' lists line up note for note."""
    rules = library.rules
    slots = [rules.pullup_max_set, rules.beginner_pullup_replacement, *rules.stretch]
    slots += [s for day in sorted(rules.warmup) for s in rules.warmup[day]]
    slots += [s for e in rules.emphasis for day in sorted(e.extra) for s in e.extra[day]]
    slots += [
        s for i in sorted(library.templates) for d in library.templates[i].days for s in d.slots
    ]
    return [s.note or "" for s in slots]


def _slot_notes(library: Library) -> set[str]:
    rules = library.rules
    slots = [rules.pullup_max_set, rules.beginner_pullup_replacement, *rules.stretch]
    slots += [s for day in rules.warmup.values() for s in day]
    slots += [s for e in rules.emphasis for day in e.extra.values() for s in day]
    slots += [s for t in library.templates.values() for d in t.days for s in d.slots]
    return {s.note for s in slots if s.note is not None}


def _rules(rules: CoachingRules, text: ProgramsText, path: Path) -> CoachingRules:
    def slots(items: list[Slot]) -> list[Slot]:
        return [_slot(s, text.notes) for s in items]

    emphasis = [
        e.model_copy(
            update={
                "explanation": _same_fields(
                    path, "[emphasis]", e.goal.value, e.explanation, text.emphasis[e.goal.value]
                ),
                "extra": {k: slots(v) for k, v in e.extra.items()},
            }
        )
        for e in rules.emphasis
    ]
    return rules.model_copy(
        update={
            "pullup_max_set": _slot(rules.pullup_max_set, text.notes),
            "beginner_pullup_replacement": _slot(rules.beginner_pullup_replacement, text.notes),
            "warmup": {k: slots(v) for k, v in rules.warmup.items()},
            "stretch": slots(rules.stretch),
            "emphasis": emphasis,
        }
    )


def _template(t: Template, text: TemplateText, notes: dict[str, str]) -> Template:
    days = [d.model_copy(update={"slots": [_slot(s, notes) for s in d.slots]}) for d in t.days]
    return t.model_copy(update={"name": text.name, "description": text.description, "days": days})


def _flags(flags: list[Flag], text: dict[str, FlagText]) -> list[Flag]:
    return [f.model_copy(update=text[f.id].model_dump()) for f in flags]


def _safety(safety: SafetyContent, text: SafetyText, path: Path) -> SafetyContent:
    _check_keys(path, "[red_flag]", "ids", {f.id for f in safety.red_flag}, set(text.red_flag))
    _check_keys(
        path, "[health_check]", "ids", {f.id for f in safety.health_check}, set(text.health_check)
    )
    _check_keys(
        path, "[messages]", "keys", set(type(safety.messages).model_fields), set(text.messages)
    )
    _check_keys(
        path, "[property_words]", "keys", set(safety.property_words), set(text.property_words)
    )
    return safety.model_copy(
        update={
            "red_flag": _flags(safety.red_flag, text.red_flag),
            "health_check": _flags(safety.health_check, text.health_check),
            "messages": safety.messages.model_copy(update=text.messages),
            "back_check": safety.back_check.model_copy(update=text.back_check.model_dump()),
            "property_words": dict(text.property_words),
        }
    )


def translate(library: Library, lang: str, content_dir: Path = DEFAULT_CONTENT_DIR) -> Library:
    """The library with the texts of content/<lang>/ (ContentError naming what is wrong)."""
    folder = content_dir / lang
    ex_path, cond_path = folder / "exercises.toml", folder / "conditions.toml"
    prog_path, safety_path = folder / "programs.toml", folder / "safety.toml"
    ex_text = _entries(
        ExerciseText, ex_path, _read_toml(ex_path), "exercise", set(library.exercises)
    )
    cond_text = _entries(
        ConditionText, cond_path, _read_toml(cond_path), "condition", set(library.conditions)
    )
    prog = _read_toml(prog_path)
    programs = _validate(ProgramsText, prog, prog_path, "-")
    _check_keys(prog_path, "[template]", "ids", set(library.templates), set(programs.template))
    goals = {e.goal.value for e in library.rules.emphasis}
    _check_keys(prog_path, "[emphasis]", "goals", goals, set(programs.emphasis))
    _check_keys(prog_path, "[notes]", "notes", _slot_notes(library), set(programs.notes))
    safety_text = _validate(SafetyText, _read_toml(safety_path), safety_path, "-")

    exercises = {i: _exercise(e, ex_text[i]) for i, e in library.exercises.items()}
    conditions = {
        i: c.model_copy(update=cond_text[i].model_dump()) for i, c in library.conditions.items()
    }
    templates = {
        i: _template(t, programs.template[i], programs.notes) for i, t in library.templates.items()
    }
    translated = Library(
        exercises=exercises,
        conditions=conditions,
        templates=templates,
        rules=_rules(library.rules, programs, prog_path),
        safety=_safety(library.safety, safety_text, safety_path),
    )
    # model_copy does not validate: check the translated texts against the same limits (a
    # button label of at most 40 characters, no empty text) as the English ones.
    return _validate(Library, translated.model_dump(), folder, "-")


def with_other_names(library: Library, translations: dict[str, Library]) -> Library:
    """The English library, knowing every translated exercise name as an alias."""
    exercises = dict(library.exercises)
    for other in translations.values():
        for i, ex in other.exercises.items():
            own = exercises[i]
            extra = [n for n in [ex.name, *ex.aliases] if n not in (own.name, *own.aliases)]
            exercises[i] = own.model_copy(update={"aliases": [*own.aliases, *extra]})
    return library.model_copy(update={"exercises": exercises})


class LocalizedLibrary:
    """Stands in for a Library: every attribute comes from the current language's library.

    Services keep one library for the app's life; this lets them speak each user's language
    without knowing it. Ids, numbers and rules are the same in every language.
    """

    def __init__(self, by_language: dict[str, Library], default: str = DEFAULT_LANGUAGE) -> None:
        self.by_language = by_language
        self.default = default

    def current(self) -> Library:
        """The library of the current language."""
        return self.by_language.get(current_language()) or self.by_language[self.default]

    def notes(self) -> dict[str, str]:
        """Every language's slot notes to the current language's."""
        here = _all_notes(self.current())
        out: dict[str, str] = {}
        for other in self.by_language.values():
            out.update(zip(_all_notes(other), here, strict=True))
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self.current(), name)


# Translations per (content folder, English library): tests build many apps on one library.
_TRANSLATED: dict[tuple[Path, int], tuple[Library, dict[str, Library]]] = {}


def _translations(content_dir: Path, english: Library) -> dict[str, Library]:
    key = (content_dir, id(english))
    found = _TRANSLATED.get(key)
    if found is None or found[0] is not english:
        others = {
            lang: translate(english, lang, content_dir)
            for lang in SUPPORTED
            if lang != DEFAULT_LANGUAGE
        }
        found = _TRANSLATED[key] = (english, others)
    return found[1]


def localized(library: Library, content_dir: Path = DEFAULT_CONTENT_DIR) -> Library:
    """A library that follows the current language (typed as a Library for the code using it)."""
    if isinstance(library, LocalizedLibrary):
        return library
    others = _translations(content_dir, library)
    by_language = {DEFAULT_LANGUAGE: with_other_names(library, others), **others}
    return cast(Library, LocalizedLibrary(by_language))


def localize_plan(plan: Plan, library: Library) -> Plan:
    """A stored plan with the current language's exercise texts and notes.

    Plans are stored frozen, in the language they were made in; after /language the program
    and the reminders show the new language's names and notes. Reasons stay as written.
    """
    if not isinstance(library, LocalizedLibrary):
        return plan
    notes = library.notes()
    days = [
        d.model_copy(
            update={"exercises": [_localize_planned(p, library, notes) for p in d.exercises]}
        )
        for d in plan.days
    ]
    return plan.model_copy(update={"days": days})


def _localize_planned(
    planned: PlannedExercise, library: LocalizedLibrary, notes: dict[str, str]
) -> PlannedExercise:
    current = library.current().exercises.get(planned.exercise.id, planned.exercise)
    note = notes.get(planned.note, planned.note) if planned.note is not None else None
    return planned.model_copy(update={"exercise": current, "note": note})
