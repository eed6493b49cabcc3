"""Weekdays: reading them, naming them, and how often a set of available days can train.

Pure and clock-free; the calendar (`bot.domain.calendar`) plans sessions from these days.
"""

from __future__ import annotations

import re

from bot.domain.words_ru import WEEKDAY_FILLERS
from bot.domain.words_ru import WEEKDAY_WORDS as RU_WEEKDAYS

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIN_GAP_DAYS = 3


class ScheduleError(ValueError):
    """A schedule that breaks the rules, with a plain-language reason and valid alternatives."""

    def __init__(self, message: str, suggestions: list[frozenset[int]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions: list[frozenset[int]] = list(suggestions or [])


def parse_weekdays(text: str) -> frozenset[int]:
    """Weekday numbers (0 = Monday) from text like "mon,thu", "Monday, Friday" or "tue fri"."""
    words = [
        w
        for w in re.split(r"[\s,;/+&.]+", text.strip().lower())
        if w and w != "and" and w not in WEEKDAY_FILLERS
    ]
    days: set[int] = set()
    bad: list[str] = []
    for word in words:
        day = _weekday_number(word)
        if day is None:
            bad.append(word)
        else:
            days.add(day)
    if bad or not days:
        # Echo only a short start of what was typed: a pasted page must not make a reply
        # longer than Telegram accepts.
        shown = ", ".join(w[:20] for w in bad[:3]) + (", ..." if len(bad) > 3 else "")
        what = f"'{shown}' is not a weekday" if bad else "no weekday given"
        raise ScheduleError(f"{what}; use {', '.join(WEEKDAYS)} (or full names)")
    return frozenset(days)


def _weekday_number(word: str) -> int | None:
    # "mon", "monday", and the in-between forms people use: "tues", "thur", "thurs".
    if word in RU_WEEKDAYS:
        return RU_WEEKDAYS[word]
    if len(word) < 3:
        return None
    return next((i for i, full in enumerate(WEEKDAY_NAMES) if full.lower().startswith(word)), None)


def describe_days(days: frozenset[int]) -> str:
    """Weekdays in words, Monday first: "Monday and Thursday"."""
    names = [WEEKDAY_NAMES[d] for d in sorted(days)]
    if not names:
        return "no days"
    if len(names) == 7:
        return "any day of the week"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def fits_two_a_week(days: frozenset[int]) -> bool:
    """True if two of the days, repeated every week, keep the 3-day rest rule both ways."""
    return any(
        (b - a) % 7 >= MIN_GAP_DAYS and (a - b) % 7 >= MIN_GAP_DAYS
        for a in days
        for b in days
        if a != b
    )


def validate_weekdays(days: frozenset[int]) -> None:
    """Raise ScheduleError unless the weekdays are a non-empty set of real weekdays.

    Any such set is a valid availability: the calendar picks the sessions from it.
    """
    if not days:
        raise ScheduleError("Choose at least one day you can train.")
    if not days <= set(range(7)):
        raise ScheduleError("Weekdays are numbered 0 (Monday) to 6 (Sunday).")


def describe_rhythm(days: frozenset[int], often: bool = False) -> str:
    """How often the calendar will train from these days, in one sentence."""
    if len(days) == 1:
        return (
            f"With one day a week you train once a week, every {WEEKDAY_NAMES[min(days)]}, "
            "upper and lower back in turn."
        )
    if not fits_two_a_week(days):
        return (
            "These days are too close together for two sessions a week with "
            f"{MIN_GAP_DAYS} days of rest, so you train once a week, upper and lower in turn."
        )
    if often and len(days) > 2:
        return (
            f"As often as the rest rule allows: a session every {MIN_GAP_DAYS} or more days, "
            "on the first of your days that comes up."
        )
    return "Two sessions a week, picked from your days."
