"""Calendar moments across DST: local times to UTC, gaps and overlaps, reminders, day ends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import Progress, local_day_end, local_to_utc, plan_sessions
from tests.domain.calendar_cases import NAMED_ZONES, check_plan, exists, offset, schedule

# --- moments and DST -------------------------------------------------------------------------


def test_local_to_utc_is_aware_utc() -> None:
    due = local_to_utc(date(2026, 6, 1), time(18, 0), "Europe/Moscow")
    assert due == datetime(2026, 6, 1, 15, 0, tzinfo=UTC) and due.utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="without a timezone"):
        local_to_utc(date(2026, 6, 1), time(18, 0, tzinfo=UTC), "UTC")


@pytest.mark.parametrize(
    ("tz", "day", "at", "utc", "local"),
    [
        # Spring forward: the missing 02:30 moves forward by the gap.
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), (3, 29, 1, 30), time(3, 30)),
        ("America/New_York", date(2026, 3, 8), time(2, 30), (3, 8, 7, 30), time(3, 30)),
        # Lord Howe moves its clocks by 30 minutes.
        ("Australia/Lord_Howe", date(2026, 10, 4), time(2, 15), (10, 3, 15, 45), time(2, 45)),
        # Fall back: an ambiguous time is its first occurrence (still summer time).
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), (10, 25, 0, 30), time(2, 30)),
        ("America/New_York", date(2026, 11, 1), time(1, 30), (11, 1, 5, 30), time(1, 30)),
    ],
)
def test_gaps_move_forward_and_overlaps_take_the_first(
    tz: str, day: date, at: time, utc: tuple[int, int, int, int], local: time
) -> None:
    due = local_to_utc(day, at, tz)
    assert due == datetime(2026, *utc, tzinfo=UTC)
    assert due.astimezone(ZoneInfo(tz)).time() == local
    assert due.astimezone(ZoneInfo(tz)).date() == day


@pytest.mark.parametrize(
    ("tz", "days", "start", "utc_hours"),
    [
        # Berlin: last Sunday of March (29th) and of October (25th) 2026.
        ("Europe/Berlin", "mon,thu", date(2026, 3, 23), [17, 17, 16, 16]),
        ("Europe/Berlin", "mon,thu", date(2026, 10, 19), [16, 16, 17, 17]),
        ("Europe/Berlin", "wed,sun", date(2026, 3, 25), [17, 16, 16]),
        ("Europe/Berlin", "wed,sun", date(2026, 10, 21), [16, 17, 17]),
        # New York: second Sunday of March (8th) and first Sunday of November (1st) 2026.
        ("America/New_York", "mon,thu", date(2026, 3, 2), [23, 23, 22, 22]),
        ("America/New_York", "mon,thu", date(2026, 10, 26), [22, 22, 23, 23]),
        ("America/New_York", "sun,wed", date(2026, 3, 1), [23, 23, 22, 22]),
        ("America/New_York", "sun,wed", date(2026, 10, 28), [22, 23, 23, 23]),
    ],
)
def test_an_18_00_reminder_stays_18_00_across_dst(
    tz: str, days: str, start: date, utc_hours: list[int]
) -> None:
    sched = schedule(days, time(18, 0), tz)
    now = local_to_utc(start, time(0, 0), tz)
    plan = plan_sessions(sched, Progress(), now, len(utc_hours))
    assert [s.due_utc.hour for s in plan] == utc_hours, "UTC shifts by an hour"
    assert {s.local_time for s in plan} == {time(18, 0)}, "local time does not"
    assert all(s.due_utc.astimezone(ZoneInfo(tz)).hour == 18 for s in plan)
    check_plan(sched, Progress(), now, plan)


@pytest.mark.parametrize("tz", NAMED_ZONES)
def test_every_local_time_of_2026_maps_as_documented(tz: str) -> None:
    zone = ZoneInfo(tz)
    times = [time(h, m) for h in (0, 1, 2, 3, 23) for m in (0, 15, 30, 45)]
    day = date(2026, 1, 1)
    while day.year == 2026:
        for at in times:
            due = local_to_utc(day, at, tz)
            assert due.utcoffset() == timedelta(0)
            local = due.astimezone(zone)
            asked = datetime.combine(day, at, tzinfo=UTC)
            got = datetime.combine(local.date(), local.time(), tzinfo=UTC)
            if exists(day, at, zone):
                assert got == asked
                second = datetime.combine(day, at, tzinfo=zone).replace(fold=1).astimezone(UTC)
                assert due <= second, "an ambiguous time is its first occurrence"
            else:
                jump = offset(due, zone) - offset(due - timedelta(hours=3), zone)
                assert got - asked == jump > timedelta(0), (
                    "a skipped time moves forward by the jump"
                )
        day += timedelta(days=1)


def test_local_day_end_is_the_next_local_midnight() -> None:
    berlin = "Europe/Berlin"
    assert local_day_end(date(2026, 10, 24), berlin) == datetime(2026, 10, 24, 22, tzinfo=UTC)
    # The 25th has 25 hours in Berlin.
    assert local_day_end(date(2026, 10, 25), berlin) == datetime(2026, 10, 25, 23, tzinfo=UTC)
