"""Reading a free log line such as 'deadlift 5x5 100': which exercise, and which sets."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from bot.domain.accounts import Units
from bot.domain.models import Exercise
from bot.domain.setlog import LoggedSet, SetLogError, parse_line

MAX_CANDIDATES = 8  # buttons offered when a name is ambiguous


@dataclass(frozen=True)
class LogLine:
    """A log line read: the exercises it may mean (one when clear) and the sets."""

    candidates: list[str]
    sets: list[LoggedSet]
    weighed: bool = True  # False: no load was named ("deadlift 3x5"); ask before logging


def _words(text: str) -> list[str]:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    return [w[:-1] if len(w) > 2 and w.endswith("s") else w for w in words]


def _compact(text: str) -> str:
    return "".join(_words(text))


def match_exercise(name: str, exercises: list[Exercise]) -> list[str]:
    """Exercise ids a typed name may mean, best first; one id when it is clear."""
    query = _compact(name)
    if not query:
        return []
    for ex in exercises:
        if query in (_compact(ex.id), _compact(ex.name)):
            return [ex.id]
    words = _words(name)
    containing = [
        ex.id
        for ex in exercises
        if all(
            any(w == v or _compact(v).startswith(w) for v in _words(f"{ex.name} {ex.id}"))
            for w in words
        )
        or query in _compact(ex.name)
    ]
    if containing:
        return containing[:MAX_CANDIDATES] if len(containing) > 1 else containing
    names = {_compact(ex.name): ex.id for ex in exercises}
    close = difflib.get_close_matches(query, list(names), n=MAX_CANDIDATES, cutoff=0.6)
    return [names[c] for c in close]


def read_log_line(text: str, exercises: list[Exercise], units: Units) -> LogLine | None:
    """Split 'NAME SETS' into candidates and sets; None if no split reads as both."""
    words = text.strip().split()
    for cut in range(1, len(words)):  # the longest run of sets that reads wins
        name, rest = " ".join(words[:cut]), " ".join(words[cut:])
        try:
            parsed = parse_line(rest, units)
        except SetLogError:
            continue
        candidates = match_exercise(name, exercises)
        if candidates:
            return LogLine(candidates, parsed.sets, parsed.weighed)
    return None


def other_exercise(text: str, exercises: list[Exercise], units: Units, current: str) -> str | None:
    """The one other exercise a line names, when it reads as a log line for it."""
    line = read_log_line(text, exercises, units)
    if line is None or current in line.candidates or len(line.candidates) != 1:
        return None
    return line.candidates[0]


LOG_EXAMPLE = "deadlift 5x5 100"


def explain_log_line(text: str, exercises: list[Exercise], units: Units) -> SetLogError:
    """Why a line typed outside a workout did not read, in the words a parse error uses."""
    words = text.strip().split()
    example = LOG_EXAMPLE if units is Units.KG else "deadlift 5x5 225"
    named = next((i for i, w in enumerate(words) if any(c.isdigit() for c in w)), len(words))
    for cut in range(named, 0, -1):  # the longest name (no digits in it) that means an exercise
        name, rest = " ".join(words[:cut]), " ".join(words[cut:])
        if match_exercise(name, exercises):
            if not rest:
                return SetLogError(f"'{name}' has no sets after it.", example)
            try:
                parse_line(rest, units)
            except SetLogError as e:
                return SetLogError(e.problem, f"{name} {e.example}")
    try:
        parse_line(text, units)
    except SetLogError:
        return SetLogError(
            "I couldn't find an exercise and its sets in that: start with the exercise's name.",
            example,
        )
    return SetLogError("Which exercise was that? Start the line with its name.", example)
