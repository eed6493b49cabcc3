"""The .ics file: for any schedule, every event starts at the session's reminder moment in the
user's zone, keeps the rest rule, and the file parses back with icalendar."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta

import icalendar
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain import calendar
from bot.domain.calendar import Progress, Schedule
from bot.domain.models import DayKind
from bot.services.calendarfile import CALENDAR_WEEKS, ics_file

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]


@settings(max_examples=60, deadline=None)
@given(
    days=st.frozensets(st.integers(0, 6), min_size=1),
    often=st.booleans(),
    at=st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    tz=st.sampled_from(ZONES),
    naive=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1)),  # noqa: DTZ001
    first=st.sampled_from(list(DayKind)),
)
def test_every_event_is_a_planned_session_at_its_local_time(
    days: frozenset[int], often: bool, at: time, tz: str, naive: datetime, first: DayKind
) -> None:
    now = naive.replace(tzinfo=UTC)
    schedule = Schedule(weekdays=days, time=at, timezone=tz, often=often)
    until = calendar.local_date(now, tz) + timedelta(weeks=CALENDAR_WEEKS)
    sessions = calendar.sessions_until(schedule, Progress(next_kind=first), now, until)
    names = {DayKind.UPPER: ["Wide-grip pull-up"], DayKind.LOWER: ["Barbell deadlift"]}
    cal = icalendar.Calendar.from_ical(ics_file(7, sessions, tz, names, now))
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(sessions) >= CALENDAR_WEEKS  # at least one a week
    starts = [e.decoded("dtstart") for e in events]
    assert [s.astimezone(UTC) for s in starts] == [s.due_utc for s in sessions]
    assert all(str(s.tzinfo) == tz for s in starts)
    assert all(b.date() - a.date() >= timedelta(days=3) for a, b in itertools.pairwise(starts))
    assert all(s.date() <= until for s in starts)
    kinds = [str(e["SUMMARY"]) for e in events]
    assert all(
        ("upper" in k) == (s.kind is DayKind.UPPER) for k, s in zip(kinds, sessions, strict=True)
    )
    if tz != "UTC":
        assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == [tz]
