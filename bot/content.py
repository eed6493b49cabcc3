"""Loads content/ into domain models, validating every entry and every cross-reference once.

A validated library is kept in the user's cache folder (XDG_CACHE_HOME, else ~/.cache, in
`backcoach/`), named by a hash of the content files' bytes and of the code that reads them, so
an edited file or a new version of this code is never served an old library. Reading it skips
parsing and validating (about 15 ms of `python -m bot plan`'s start-up). Anything wrong with
the cache (missing, unreadable, unwritable, damaged) falls back silently to reading content/;
the folder is safe to delete.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import VERSION as PYDANTIC_VERSION
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
# The code whose output the cache holds: this reader and the models it builds.
_CODE = (Path(__file__), Path(__file__).resolve().parent / "domain" / "models.py")
_CACHE_PREFIX = "library-"

M = TypeVar("M", bound=BaseModel)


class ContentError(Exception):
    """A content file is broken; the message names the file, the entry and the field."""

    def __init__(self, file: Path | str, entry: str, field: str, problem: str) -> None:
        self.file, self.entry, self.field, self.problem = str(file), entry, field, problem
        super().__init__(f"{self.file}: entry {entry}: field '{field}': {problem}")


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # here: a start served from the cache parses no TOML

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


def cache_dir() -> Path:
    """Where validated libraries are kept."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "backcoach"


def _cache_file(content_dir: Path) -> Path | None:
    """The cache entry for this content and this code; None if a file cannot be read."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{sys.version}|{PYDANTIC_VERSION}|{pickle.HIGHEST_PROTOCOL}".encode())
    try:
        for path in (*_CODE, *(content_dir / name for name in CONTENT_FILES)):
            data = path.read_bytes()
            digest.update(b"%d:%s:" % (len(data), path.name.encode()))
            digest.update(data)
        folder = cache_dir()
    except (OSError, RuntimeError):  # a missing file (the reader says which), or no home
        return None
    return folder / f"{_CACHE_PREFIX}{digest.hexdigest()}.pickle"


def _cached(entry: Path) -> Library | None:
    try:
        with entry.open("rb") as f:
            # Unpickling runs code: trust only an entry this user wrote and no one else can change.
            st = os.fstat(f.fileno())
            if st.st_uid != os.getuid() or st.st_mode & 0o022:
                return None
            library = pickle.load(f)
    except Exception:  # missing, unreadable or damaged: read content/ instead
        return None
    return library if isinstance(library, Library) else None


def _keep(entry: Path, library: Library) -> None:
    """Store the library for the next start, replacing older entries; never fails."""
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(library, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, entry)  # whole or absent, even with two processes at once
        for old in entry.parent.glob(f"{_CACHE_PREFIX}*"):
            if old != entry:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def load_library(content_dir: Path = DEFAULT_CONTENT_DIR) -> Library:
    """Load and cross-check exercises, conditions, templates and rules from a content folder."""
    entry = _cache_file(content_dir)
    library = _cached(entry) if entry is not None else None
    if library is None:
        library = read_library(content_dir)
        if entry is not None:
            _keep(entry, library)
    return library


def read_library(content_dir: Path = DEFAULT_CONTENT_DIR) -> Library:
    """`load_library` without the cache: parse and validate every file."""
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
