"""Loads content/ into domain models, validating every entry and every cross-reference once.

The validated library is not cached between runs: the safety rules come from these files, and
reading them again at every start (about 20 ms) is cheaper than any doubt about a stale copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.domain.models import (
    CoachingRules,
    Condition,
    Exercise,
    Level,
    Library,
    Pattern,
    SafetyContent,
    Slot,
    Template,
)

DEFAULT_CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
CONTENT_FILES = ("exercises.toml", "conditions.toml", "programs.toml", "safety.toml")

M = TypeVar("M", bound=BaseModel)


class ContentError(Exception):
    """A content file is broken; the message names the file, the entry and the field."""

    def __init__(self, file: Path | str, entry: str, field: str, problem: str) -> None:
        self.file, self.entry, self.field, self.problem = str(file), entry, field, problem
        super().__init__(f"{self.file}: entry {entry}: field '{field}': {problem}")


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ContentError(path, "-", "-", "file is missing") from None
    except tomllib.TOMLDecodeError as e:
        raise ContentError(path, "-", "-", f"not valid TOML: {e}") from None


def _entry_name(index: int, raw: Any) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
        return f"#{index + 1} ({raw['id']})"
    return f"#{index + 1}"


def _validate(model: type[M], raw: Any, path: Path, entry: str) -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        err = e.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "-"
        raise ContentError(path, entry, field, err["msg"]) from None


def _entries(model: type[M], path: Path, key: str) -> list[tuple[str, M]]:
    data = _read_toml(path)
    raw_list = data.get(key)
    if not isinstance(raw_list, list) or not raw_list:
        raise ContentError(path, "-", key, f"expected one or more [[{key}]] tables")
    out: list[tuple[str, M]] = []
    for i, raw in enumerate(raw_list):
        name = _entry_name(i, raw)
        out.append((name, _validate(model, raw, path, name)))
    return out


def _unique(items: Iterable[tuple[str, Any]], path: Path) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for name, item in items:
        if item.id in seen:
            raise ContentError(path, name, "id", f"duplicate id '{item.id}'")
        seen[item.id] = item
    return seen


def load_library(content_dir: Path = DEFAULT_CONTENT_DIR) -> Library:
    """Load and cross-check exercises, conditions, templates and rules from a content folder."""
    ex_path, cond_path, prog_path, safety_path = (content_dir / n for n in CONTENT_FILES)

    exercises: dict[str, Exercise] = _unique(_entries(Exercise, ex_path, "exercise"), ex_path)
    conditions: dict[str, Condition] = _unique(
        _entries(Condition, cond_path, "condition"), cond_path
    )
    templates: dict[str, Template] = _unique(_entries(Template, prog_path, "template"), prog_path)
    rules = _validate(CoachingRules, _read_toml(prog_path).get("rules"), prog_path, "[rules]")
    safety = _validate(SafetyContent, _read_toml(safety_path), safety_path, "-")
    flag_ids = [f.id for f in safety.red_flag] + [f.id for f in safety.health_check]
    if len(set(flag_ids)) != len(flag_ids):
        raise ContentError(safety_path, "-", "id", "red flags and health checks need distinct ids")

    def known(exercise_id: str, path: Path, entry: str, field: str) -> Exercise:
        if exercise_id not in exercises:
            raise ContentError(path, entry, field, f"unknown exercise '{exercise_id}'")
        return exercises[exercise_id]

    for ex in exercises.values():
        for alt in ex.alternatives:
            other = known(alt, ex_path, ex.id, "alternatives")
            if other.pattern is not ex.pattern or other.day is not ex.day or other.id == ex.id:
                raise ContentError(
                    ex_path,
                    ex.id,
                    "alternatives",
                    f"'{alt}' must be another exercise of the same pattern and day",
                )

    for cond in conditions.values():
        if cond.program is not None and cond.program not in templates:
            raise ContentError(cond_path, cond.id, "program", f"unknown template '{cond.program}'")

    def check_slots(slots: Iterable[Slot], entry: str, field: str, day: str | None) -> None:
        for slot in slots:
            ex = known(slot.exercise, prog_path, entry, field)
            if day is not None and ex.day is not None and ex.day.value != day:
                raise ContentError(
                    prog_path, entry, field, f"'{ex.id}' belongs to the {ex.day.value} day"
                )

    for t in templates.values():
        for d in t.days:
            check_slots(d.slots, t.id, f"days.{d.kind.value}.slots", d.kind.value)
            for slot in d.slots:
                if exercises[slot.exercise].pattern in (Pattern.WARMUP, Pattern.STRETCH):
                    raise ContentError(
                        prog_path, t.id, "slots", "general warm-up and stretching come from [rules]"
                    )
        if not set(t.weeks) <= set(range(1, 9)):
            raise ContentError(prog_path, t.id, "weeks", "weeks run from 1 to 8")

    for fam in rules.pullup_family:
        known(fam, prog_path, "[rules]", "pullup_family")
    check_slots([rules.pullup_max_set], "[rules]", "pullup_max_set", "upper")
    check_slots(
        [rules.beginner_pullup_replacement], "[rules]", "beginner_pullup_replacement", "upper"
    )
    for kind, slots in rules.warmup.items():
        check_slots(slots, "[rules]", f"warmup.{kind.value}", None)
        if any(exercises[s.exercise].pattern is not Pattern.WARMUP for s in slots):
            raise ContentError(prog_path, "[rules]", f"warmup.{kind.value}", "warm-up items only")
    check_slots(rules.stretch, "[rules]", "stretch", None)
    if any(exercises[s.exercise].pattern is not Pattern.STRETCH for s in rules.stretch):
        raise ContentError(prog_path, "[rules]", "stretch", "stretch items only")
    for emph in rules.emphasis:
        for kind, slots in emph.extra.items():
            check_slots(slots, "[rules]", f"emphasis.{emph.goal.value}.extra", kind.value)

    _check_rotation(templates, prog_path)
    return Library(
        exercises=exercises,
        conditions=conditions,
        templates=templates,
        rules=rules,
        safety=safety,
    )


def _check_rotation(templates: Mapping[str, Template], path: Path) -> None:
    """Every level must be served in every week 1-8 by exactly one template."""
    by_level: dict[Level, list[int]] = {level: [] for level in Level}
    for t in templates.values():
        for level in t.levels:
            by_level[level].extend(t.weeks)
    for level, weeks in by_level.items():
        if sorted(weeks) != list(range(1, 9)):
            raise ContentError(
                path, "-", "weeks", f"level '{level.value}' must be served once in each week 1-8"
            )
