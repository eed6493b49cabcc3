"""What the calendar tests share: named zones, the rules stated directly, and plan checks."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import (
    MIN_GAP_DAYS,
    PlannedSession,
    Progress,
    Schedule,
    parse_weekdays,
)

NAMED_ZONES = [
    "Europe/Moscow",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "Pacific/Chatham",
    "UTC",
]


def brute_force_valid(days: frozenset[int]) -> bool:
    """The rule, stated directly: the chosen days over three weeks are >= 3 days apart."""
    ordinals = sorted(week * 7 + d for week in range(3) for d in days)
    return bool(days) and all(b - a >= MIN_GAP_DAYS for a, b in itertools.pairwise(ordinals))


def exists(on: date, at: time, zone: ZoneInfo) -> bool:
    local = datetime.combine(on, at, tzinfo=zone)
    back = local.astimezone(UTC).astimezone(zone)
    return (back.date(), back.time()) == (on, at)


def offset(moment: datetime, zone: ZoneInfo) -> timedelta:
    value = moment.astimezone(zone).utcoffset()
    assert value is not None
    return value


def schedule(days: str = "mon,thu", at: time = time(18, 0), tz: str = "UTC") -> Schedule:
    return Schedule(weekdays=parse_weekdays(days), time=at, timezone=tz)


def check_plan(
    sched: Schedule, progress: Progress, now: datetime, plan: list[PlannedSession]
) -> None:
    """Every invariant a plan must keep."""
    zone = ZoneInfo(sched.timezone)
    assert plan[0].due_utc >= now, "the first session is never in the past"
    assert plan[0].on >= now.astimezone(zone).date()
    if progress.last_done_on is not None:
        assert plan[0].on >= progress.last_done_on + timedelta(days=MIN_GAP_DAYS)
    if progress.not_before is not None:
        assert plan[0].on >= progress.not_before
    for a, b in itertools.pairwise(plan):
        assert (b.on - a.on).days >= MIN_GAP_DAYS
        assert b.kind is not a.kind
    assert plan[0].kind is progress.next_kind
    if not sched.often:  # two a week at most, counting the sessions already done
        done = [d for d in (progress.earlier_done_on, progress.last_done_on) if d]
        pinned = [s.on for s in plan[:1] if s.on == progress.pinned]
        counts = week_counts(done + [s.on for s in plan])
        assert all(n <= 2 for n in counts.values()) or pinned, counts
    for i, s in enumerate(plan):
        is_pinned = i == 0 and progress.pinned == s.on
        assert is_pinned or s.on.weekday() in sched.weekdays
        assert s.due_utc.tzinfo is not None and s.due_utc.utcoffset() == timedelta(0)
        local = s.due_utc.astimezone(zone)
        assert s.local_time == local.time()
        if exists(s.on, sched.time, zone):
            assert (local.date(), local.time()) == (s.on, sched.time)
        else:  # the clocks jumped over the reminder time: it moves forward by the jump
            asked = datetime.combine(s.on, sched.time, tzinfo=UTC)
            got = datetime.combine(local.date(), local.time(), tzinfo=UTC)
            assert timedelta(0) < got - asked <= timedelta(hours=3)


def week_counts(days: list[date]) -> dict[tuple[int, int], int]:
    counts: dict[tuple[int, int], int] = {}
    for d in days:
        key = (d.isocalendar().year, d.isocalendar().week)
        counts[key] = counts.get(key, 0) + 1
    return counts
