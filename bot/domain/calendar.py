"""The rest-day calendar: chosen weekdays, the 3-day rule, and when the next sessions fall.

Pure: `now` is always a parameter (an aware moment) and dates are local to the user's zone.
The rule: the upper and the lower day alternate, and consecutive sessions are at least
`MIN_GAP_DAYS` calendar days apart (after a Monday session, Thursday at the earliest).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import takewhile
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, field_validator

from bot.domain.models import DayKind, Frozen

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIN_GAP_DAYS = 3
MAX_SUGGESTIONS = 4

TimeOfDay = time  # the field below is called `time`; the alias keeps the annotation unambiguous


class ScheduleError(ValueError):
    """A schedule that breaks the rules, with a plain-language reason and valid alternatives."""

    def __init__(self, message: str, suggestions: list[frozenset[int]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions: list[frozenset[int]] = list(suggestions or [])


# --- weekdays ------------------------------------------------------------------------------


def parse_weekdays(text: str) -> frozenset[int]:
    """Weekday numbers (0 = Monday) from text like "mon,thu", "Monday, Friday" or "tue fri"."""
    words = [w for w in re.split(r"[\s,;/+&]+", text.strip().lower()) if w and w != "and"]
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
    if len(word) < 3:
        return None
    return next((i for i, full in enumerate(WEEKDAY_NAMES) if full.lower().startswith(word)), None)


def describe_days(days: frozenset[int]) -> str:
    """Weekdays in words, Monday first: "Monday and Thursday"."""
    names = [WEEKDAY_NAMES[d] for d in sorted(days)]
    if not names:
        return "no days"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _cyclic_gaps(days: frozenset[int]) -> list[tuple[int, int, int]]:
    """(day, the next chosen day, days between them) around the week."""
    ordered = sorted(days)
    return [
        (d, ordered[(i + 1) % len(ordered)], (ordered[(i + 1) % len(ordered)] - d - 1) % 7 + 1)
        for i, d in enumerate(ordered)
    ]


def is_valid_weekdays(days: frozenset[int]) -> bool:
    """True if the weekdays can repeat every week and keep the 3-day rest rule."""
    if not days or not days <= set(range(7)):
        return False
    return all(gap >= MIN_GAP_DAYS for _, _, gap in _cyclic_gaps(days))


VALID_WEEKDAY_SETS: tuple[frozenset[int], ...] = tuple(
    s
    for s in sorted(
        {frozenset({a, b}) for a in range(7) for b in range(7)}
        | {frozenset({a}) for a in range(7)},
        key=lambda s: (len(s) == 1, sorted(s)),
    )
    if is_valid_weekdays(s)
)
"""Every valid choice: the seven pairs 3-4 days apart (Monday first), then the single days."""


def suggest_weekdays(days: frozenset[int]) -> list[frozenset[int]]:
    """Valid pairs closest to a choice: sharing the most chosen days, then the nearest."""
    pairs = [s for s in VALID_WEEKDAY_SETS if len(s) == 2]
    if not days:
        return pairs[:MAX_SUGGESTIONS]

    def distance(day: int) -> int:
        return min(min((day - d) % 7, (d - day) % 7) for d in days)

    def rank(pair: frozenset[int]) -> tuple[int, int, list[int]]:
        # Most days kept, then the other day as near to one the user picked, then Monday first.
        return (-len(pair & days), sum(distance(d) for d in pair), sorted(pair))

    close = sorted((p for p in pairs if p & days), key=rank)
    return close[:MAX_SUGGESTIONS]


def validate_weekdays(days: frozenset[int]) -> None:
    """Raise ScheduleError, saying why and what would work, unless the weekdays keep the rule."""
    if not days:
        raise ScheduleError("Choose at least one training day.", suggest_weekdays(days))
    if not days <= set(range(7)):
        raise ScheduleError("Weekdays are numbered 0 (Monday) to 6 (Sunday).")
    if is_valid_weekdays(days):
        return
    why = f"your back needs at least {MIN_GAP_DAYS} days between the upper and the lower session"
    first, second, gap = next(g for g in _cyclic_gaps(days) if g[2] < MIN_GAP_DAYS)
    later = "the next " if second <= first else ""
    apart = f"{WEEKDAY_NAMES[first]} and {later}{WEEKDAY_NAMES[second]} are only {_days(gap)} apart"
    if len(days) > 2:
        message = (
            f"You picked {len(days)} days ({describe_days(days)}), but at most 2 days a week "
            f"fit: {why}, and {apart}."
        )
    else:
        message = f"{apart}; {why}."
    raise ScheduleError(message, suggest_weekdays(days))


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


# --- time zones and moments ---------------------------------------------------------------


@cache
def zone_info(tz: str) -> ZoneInfo:
    """The zone object for an IANA name, kept for reuse (ZoneInfo alone keeps only a few)."""
    return ZoneInfo(tz)


def local_to_utc(day: date, at: time, tz: str) -> datetime:
    """The aware UTC moment of a local wall-clock time on a local date.

    A time that does not exist that day (the clocks jump forward over it) is moved forward by
    the jump: 02:30 on a spring-forward night becomes 03:30. A time that happens twice (the
    clocks go back) is taken at its first occurrence (fold=0), the earlier moment.
    """
    if at.tzinfo is not None:
        raise ValueError("give the local time without a timezone")
    # With fold=0 zoneinfo applies the offset from before a transition, which for a gap lands
    # exactly "gap length" later on the wall clock, and for an overlap picks the first pass.
    local = datetime.combine(day, at.replace(fold=0), tzinfo=zone_info(tz))
    return local.astimezone(UTC)


def local_day_end(day: date, tz: str) -> datetime:
    """The aware UTC moment a local date ends (the next local midnight)."""
    return local_to_utc(day + timedelta(days=1), time(0, 0), tz)


def local_date(moment: datetime, tz: str) -> date:
    """The local calendar date of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware moment")
    return moment.astimezone(zone_info(tz)).date()


# --- values -------------------------------------------------------------------------------


class Schedule(Frozen):
    """When a user trains: weekdays (0 = Monday), the local reminder time and the IANA zone."""

    weekdays: frozenset[int]
    time: TimeOfDay
    timezone: str

    @field_validator("weekdays")
    @classmethod
    def _keeps_the_rule(cls, value: frozenset[int]) -> frozenset[int]:
        """Only weekday sets that keep the 3-day rest rule every week."""
        validate_weekdays(value)
        return value

    @field_validator("time")
    @classmethod
    def _local_time(cls, value: TimeOfDay) -> TimeOfDay:
        """A wall-clock time; the zone is a separate field."""
        if value.tzinfo is not None:
            raise ValueError("the reminder time is local: give it without a timezone")
        return value.replace(second=0, microsecond=0, fold=0)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """An IANA zone name this system knows."""
        return check_timezone(value)


def check_timezone(value: str) -> str:
    """The name itself if it is an IANA zone this system knows, else a ValueError."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not an IANA timezone name (e.g. Europe/Berlin)") from None
    return value


class Progress(Frozen):
    """What the user did, as far as planning needs it.

    `pinned` is a session moved to a specific date: the next session is exactly there, on any
    weekday. `not_before` is the earliest date after a skipped or missed session.
    """

    last_done_on: date | None = None  # local date of the last session actually done
    next_kind: DayKind = DayKind.UPPER  # whose turn it is
    not_before: date | None = None
    pinned: date | None = None


class PlannedSession(Frozen):
    """One upcoming session: local date, which day of the split, and when to remind.

    `local_time` is the reminder's wall-clock time: the schedule's time, except on a night the
    clocks jump over it, when it is as much later as the jump (see `local_to_utc`).
    """

    on: date
    kind: DayKind
    local_time: TimeOfDay
    due_utc: AwareDatetime


def other_kind(kind: DayKind) -> DayKind:
    """The other day of the split."""
    return DayKind.LOWER if kind is DayKind.UPPER else DayKind.UPPER


# --- planning -----------------------------------------------------------------------------


def _first_open_day(schedule: Schedule, now: datetime) -> date:
    """Today if today's reminder time is still ahead, else tomorrow (local dates)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware `now`")
    today = local_date(now, schedule.timezone)
    if local_to_utc(today, schedule.time, schedule.timezone) >= now:
        return today
    return today + timedelta(days=1)


def _rested_from(progress: Progress) -> date | None:
    if progress.last_done_on is None:
        return None
    return progress.last_done_on + timedelta(days=MIN_GAP_DAYS)


def earliest_allowed(schedule: Schedule, progress: Progress, now: datetime) -> date:
    """The first local date any session may be on: not past, rested, not before a skip."""
    bounds = [_first_open_day(schedule, now), _rested_from(progress), progress.not_before]
    return max(b for b in bounds if b is not None)


def _on_chosen_weekday(schedule: Schedule, start: date) -> date:
    return next(
        start + timedelta(days=i)
        for i in range(7)
        if (start + timedelta(days=i)).weekday() in schedule.weekdays
    )


def iter_sessions(
    schedule: Schedule, progress: Progress, now: datetime
) -> Iterator[PlannedSession]:
    """The upcoming sessions, endlessly, first one first."""
    earliest = earliest_allowed(schedule, progress, now)
    pinned = progress.pinned
    if pinned is not None and pinned >= earliest:
        day = pinned
    else:
        # A pin in the past no longer applies; a pin earlier than the rest rule never did.
        day = _on_chosen_weekday(schedule, earliest)
    kind = progress.next_kind
    zone = zone_info(schedule.timezone)
    while True:
        due = local_to_utc(day, schedule.time, schedule.timezone)
        local_time = due.astimezone(zone).time().replace(fold=0)
        yield PlannedSession(on=day, kind=kind, local_time=local_time, due_utc=due)
        day = _on_chosen_weekday(schedule, day + timedelta(days=MIN_GAP_DAYS))
        kind = other_kind(kind)


def plan_sessions(
    schedule: Schedule, progress: Progress, now: datetime, count: int
) -> list[PlannedSession]:
    """The next `count` sessions."""
    sessions = iter_sessions(schedule, progress, now)
    return [next(sessions) for _ in range(max(count, 0))]


def next_session(schedule: Schedule, progress: Progress, now: datetime) -> PlannedSession:
    """The very next session."""
    return next(iter_sessions(schedule, progress, now))


def sessions_until(
    schedule: Schedule, progress: Progress, now: datetime, until: date
) -> list[PlannedSession]:
    """The upcoming sessions on or before the local date `until` (a calendar preview)."""
    return list(takewhile(lambda s: s.on <= until, iter_sessions(schedule, progress, now)))


# --- events -------------------------------------------------------------------------------


def after_done(progress: Progress, done_on: date, kind: DayKind) -> Progress:
    """A session was done on `done_on`: the other day is next, rested from that date."""
    last = done_on if progress.last_done_on is None else max(progress.last_done_on, done_on)
    return Progress(last_done_on=last, next_kind=other_kind(kind), not_before=None, pinned=None)


def after_skip(progress: Progress, session: PlannedSession) -> Progress:
    """A session was skipped: the same day of the split comes next, from the following day."""
    not_before = session.on + timedelta(days=1)
    if progress.not_before is not None:
        not_before = max(not_before, progress.not_before)
    return progress.model_copy(update={"not_before": not_before, "pinned": None})


def after_missed(progress: Progress, session: PlannedSession) -> Progress:
    """A session passed without an answer: treated like a skip, so the split never falls behind."""
    return after_skip(progress, session)


def move_options(
    schedule: Schedule,
    progress: Progress,
    session: PlannedSession,
    now: datetime,
    days_ahead: int = 7,
) -> list[date]:
    """Local dates a session can move to: today (if its reminder time is ahead) up to
    `days_ahead` days on, any weekday, rested, not before a skip, and not its current date."""
    today = local_date(now, schedule.timezone)
    unpinned = progress.model_copy(update={"pinned": None})
    first = earliest_allowed(schedule, unpinned, now)
    last = today + timedelta(days=days_ahead)
    days = (first + timedelta(days=i) for i in range((last - first).days + 1))
    return [d for d in days if d != session.on]


def after_move(progress: Progress, new_day: date) -> Progress:
    """The next session moves to `new_day`; later ones follow from there."""
    last = progress.last_done_on
    if last is not None and new_day < last + timedelta(days=MIN_GAP_DAYS):
        raise ScheduleError(
            f"{new_day:%A %d %B} is too soon: your back needs at least {MIN_GAP_DAYS} days "
            f"after the session on {last:%A %d %B}."
        )
    if progress.not_before is not None and new_day < progress.not_before:
        raise ScheduleError(f"{new_day:%A %d %B} is before the skipped session; pick a later day.")
    return progress.model_copy(update={"pinned": new_day})
