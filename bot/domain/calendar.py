"""The rest-day calendar: the 3-day rule, and when the next sessions fall on the user's days.

Pure: `now` is always a parameter (an aware moment) and dates are local to the user's zone.
The rule: the upper and the lower day alternate, and consecutive sessions are at least
`MIN_GAP_DAYS` calendar days apart (after a Monday session, Thursday at the earliest).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import takewhile
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, field_validator

from bot.domain.models import DayKind, Frozen
from bot.domain.weekdays import MIN_GAP_DAYS as MIN_GAP_DAYS
from bot.domain.weekdays import WEEKDAY_NAMES as WEEKDAY_NAMES
from bot.domain.weekdays import WEEKDAYS as WEEKDAYS
from bot.domain.weekdays import ScheduleError as ScheduleError
from bot.domain.weekdays import describe_days as describe_days
from bot.domain.weekdays import describe_rhythm as describe_rhythm
from bot.domain.weekdays import fits_two_a_week as fits_two_a_week
from bot.domain.weekdays import parse_weekdays as parse_weekdays
from bot.domain.weekdays import validate_weekdays as validate_weekdays
from bot.i18n import _, format_long_day

TimeOfDay = time  # the field below is called `time`; the alias keeps the annotation unambiguous


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

    weekdays: frozenset[int]  # the days the user *can* train; the calendar picks from them
    time: TimeOfDay
    timezone: str
    often: bool = False  # True: as often as the rest rule allows; False: two a week at most

    @field_validator("weekdays")
    @classmethod
    def _real_weekdays(cls, value: frozenset[int]) -> frozenset[int]:
        """Any non-empty set of weekdays."""
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
    earlier_done_on: date | None = None  # the one before it (for the two-a-week count)
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


SESSIONS_PER_WEEK = 2


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def _pick_day(schedule: Schedule, start: date, taken: list[date]) -> date:
    """The first available day from `start`; two a week at most unless the user chose often.

    Weeks are calendar weeks, Monday to Sunday, in the user's zone. A week with two sessions
    already is full, so the next week always has room within 14 days.
    """
    for i in range(15):
        day = start + timedelta(days=i)
        if day.weekday() not in schedule.weekdays:
            continue
        if schedule.often or sum(_week(t) == _week(day) for t in taken) < SESSIONS_PER_WEEK:
            return day
    raise AssertionError("unreachable: some week within 14 days has room")  # pragma: no cover


def _done_dates(progress: Progress) -> list[date]:
    return [d for d in (progress.earlier_done_on, progress.last_done_on) if d is not None]


def iter_sessions(
    schedule: Schedule,
    progress: Progress,
    now: datetime,
    first: PlannedSession | None = None,
) -> Iterator[PlannedSession]:
    """The upcoming sessions, endlessly, first one first.

    `first` is the session already planned (and perhaps reminded or snoozed): it is shown as
    it is and the rest follow from it, so what is listed is what will be sent.
    """
    taken = _done_dates(progress)
    zone = zone_info(schedule.timezone)
    if first is not None:
        yield first
        taken.append(first.on)
        day = _pick_day(schedule, first.on + timedelta(days=MIN_GAP_DAYS), taken)
        kind = other_kind(first.kind)
    else:
        earliest = earliest_allowed(schedule, progress, now)
        pinned = progress.pinned
        if pinned is not None and pinned >= earliest:
            day = pinned
        else:
            # A pin in the past no longer applies; a pin earlier than the rest rule never did.
            day = _pick_day(schedule, earliest, taken)
        kind = progress.next_kind
    while True:
        due = local_to_utc(day, schedule.time, schedule.timezone)
        local_time = due.astimezone(zone).time().replace(fold=0)
        yield PlannedSession(on=day, kind=kind, local_time=local_time, due_utc=due)
        taken.append(day)
        day = _pick_day(schedule, day + timedelta(days=MIN_GAP_DAYS), taken)
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
    schedule: Schedule,
    progress: Progress,
    now: datetime,
    until: date,
    first: PlannedSession | None = None,
) -> list[PlannedSession]:
    """The upcoming sessions on or before the local date `until` (a calendar preview)."""
    sessions = iter_sessions(schedule, progress, now, first)
    return list(takewhile(lambda s: s.on <= until, sessions))


# --- events -------------------------------------------------------------------------------


def after_done(progress: Progress, done_on: date, kind: DayKind) -> Progress:
    """A session was done on `done_on`: the other day is next, rested from that date."""
    dates = sorted({*_done_dates(progress), done_on})[-2:]
    return Progress(
        last_done_on=dates[-1],
        earlier_done_on=dates[0] if len(dates) == 2 else None,
        next_kind=other_kind(kind),
        not_before=None,
        pinned=None,
    )


def after_not_done(progress: Progress, started_on: date, kind: DayKind) -> Progress:
    """A session started on `started_on` ended with nothing logged: it does not count.

    The same day of the split comes next, from the following day, and the rest rule runs
    from the session before it. Nothing changes if another session has counted since.
    """
    if progress.last_done_on != started_on or progress.next_kind is kind:
        return progress
    return Progress(
        last_done_on=progress.earlier_done_on,
        next_kind=kind,
        not_before=started_on + timedelta(days=1),
    )


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
            _(
                "{day} is too soon: your back needs at least {n} days after the session on {last}."
            ).format(day=format_long_day(new_day), n=MIN_GAP_DAYS, last=format_long_day(last))
        )
    if progress.not_before is not None and new_day < progress.not_before:
        raise ScheduleError(
            _("{day} is before the skipped session; pick a later day.").format(
                day=format_long_day(new_day)
            )
        )
    return progress.model_copy(update={"pinned": new_day})
