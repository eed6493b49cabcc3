"""Weekdays: reading them, naming them, and how often a set of available days can train.

Pure and clock-free; the calendar (`bot.domain.calendar`) plans sessions from these days.
"""

from __future__ import annotations

import re

from bot.domain.words_ru import WEEKDAY_FILLERS
from bot.domain.words_ru import WEEKDAY_WORDS as RU_WEEKDAYS
from bot.i18n import _, weekday_name, weekday_short

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
        what = _("'{words}' is not a weekday").format(words=shown) if bad else _("no weekday given")
        raise ScheduleError(
            _("{problem}; use {days} (or full names)").format(
                problem=what, days=", ".join(weekday_short(d).lower() for d in range(7))
            )
        )
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
    names = [weekday_name(d) for d in sorted(days)]
    if not names:
        return _("no days")
    if len(names) == 7:
        return _("any day of the week")
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


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
        raise ScheduleError(_("Choose at least one day you can train."))
    if not days <= set(range(7)):
        raise ScheduleError(_("Weekdays are numbered 0 (Monday) to 6 (Sunday)."))


def describe_rhythm(days: frozenset[int], often: bool = False) -> str:
    """How often the calendar will train from these days, in one sentence."""
    if len(days) == 1:
        return _(
            "With one day a week you train once a week, every {day}, upper and lower back in turn."
        ).format(day=weekday_name(min(days)))
    if not fits_two_a_week(days):
        return _(
            "These days are too close together for two sessions a week with {n} days of rest, "
            "so you train once a week, upper and lower in turn."
        ).format(n=MIN_GAP_DAYS)
    if often and len(days) > 2:
        return _(
            "As often as the rest rule allows: a session every {n} or more days, on the first "
            "of your days that comes up."
        ).format(n=MIN_GAP_DAYS)
    return _("Two sessions a week, picked from your days.")
