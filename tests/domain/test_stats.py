"""Progress numbers: per-exercise tops and records, weekly volume, back checks, the weekly report
and when it is due."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.calendar import Schedule, local_to_utc
from bot.domain.models import DayKind, SetKind
from bot.domain.records import estimated_1rm, new_records
from bot.domain.safety import BackFeeling
from bot.domain.setlog import LoggedSet
from bot.domain.stats import (
    DatedSet,
    back_check_weeks,
    exercise_series,
    report_due,
    week_of,
    weekly_report,
    weekly_volume,
)

MON = date(2026, 11, 23)
U, L = DayKind.UPPER, DayKind.LOWER


def s(
    on: date,
    reps: int,
    kg: float | None,
    ex: str = "deadlift",
    kind: SetKind = SetKind.WORKING,
    day: DayKind | None = L,
    added: bool = False,
    assisted: bool = False,
) -> DatedSet:
    return DatedSet(ex, kind, LoggedSet(reps=reps, weight_kg=kg, added=added), on, day, assisted)


def test_series_takes_the_top_set_per_day_and_stars_only_new_bests() -> None:
    sets = [
        s(MON, 5, 60, kind=SetKind.WARMUP),  # warm-ups never count
        s(MON, 5, 100),
        s(MON, 8, 90),
        s(MON + timedelta(3), 5, 100),  # same e1RM: not a record
        s(MON + timedelta(7), 6, 100),  # more reps at the same weight: a record
    ]
    points = exercise_series(sets)
    assert [p.on for p in points] == [MON, MON + timedelta(3), MON + timedelta(7)]
    assert [p.top_weight_kg for p in points] == [100, 100, 100]
    assert points[0].e1rm_kg == pytest.approx(max(estimated_1rm(100, 5), estimated_1rm(90, 8)))
    assert [p.record for p in points] == [False, False, True]


def test_bodyweight_days_are_judged_by_reps() -> None:
    points = exercise_series([s(MON, 8, None), s(MON + timedelta(3), 10, None)])
    assert [(p.top_weight_kg, p.top_reps, p.record) for p in points] == [
        (None, 8, False),
        (None, 10, True),
    ]


def test_empty_history_gives_no_points_or_weeks() -> None:
    assert exercise_series([]) == []
    assert weekly_volume([]) == []
    assert back_check_weeks([]) == []


def test_assisted_sets_count_as_sets_but_lift_no_tonnage() -> None:
    sets = [s(MON, 10, 30, ex="assisted-pullup", day=U, assisted=True), s(MON, 5, 100)]
    [week] = weekly_volume(sets)
    assert week.sets == {U: 1, L: 1} and week.tonnage_kg == {U: 0.0, L: 500.0}
    [point] = exercise_series(sets[:1])
    assert (point.top_weight_kg, point.e1rm_kg, point.top_reps) == (None, None, 10)


def test_volume_splits_upper_and_lower_and_fills_empty_weeks() -> None:
    sets = [
        s(MON, 10, 50, ex="lat-pulldown-chest", day=U),
        s(MON, 10, 50, ex="lat-pulldown-chest", day=U),
        s(MON + timedelta(3), 5, 100),
        s(MON + timedelta(3), 8, None, ex="pullup-wide", day=U),  # bodyweight: a set, no tonnage
        s(MON + timedelta(14), 5, 100),
    ]
    weeks = weekly_volume(sets)
    assert [w.week for w in weeks] == [MON, MON + timedelta(7), MON + timedelta(14)]
    assert weeks[0].sets == {U: 3, L: 1}
    assert weeks[0].tonnage_kg == {U: 1000.0, L: 500.0}
    assert weeks[1].sets == {U: 0, L: 0}


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 120),
            st.integers(1, 30),
            st.one_of(st.none(), st.floats(1, 300)),
            st.sampled_from([U, L]),
        ),
        max_size=40,
    )
)
def test_volume_counts_every_working_set_exactly_once(
    raw: list[tuple[int, int, float | None, DayKind]],
) -> None:
    sets = [s(MON + timedelta(d), r, kg, day=day) for d, r, kg, day in raw]
    weeks = weekly_volume(sets)
    assert sum(sum(w.sets.values()) for w in weeks) == len(sets)
    total = sum(r * kg for _, r, kg, _ in raw if kg is not None)
    assert sum(sum(w.tonnage_kg.values()) for w in weeks) == pytest.approx(total)
    assert all(b.week - a.week == timedelta(7) for a, b in itertools.pairwise(weeks))


def test_back_checks_per_week_count_a_warning_sign_as_hurting() -> None:
    checks = [
        (MON, BackFeeling.FINE),
        (MON + timedelta(3), BackFeeling.STIFF),
        (MON + timedelta(17), BackFeeling.RED_FLAG),
        (MON + timedelta(18), BackFeeling.HURTS),
    ]
    weeks = back_check_weeks(checks)
    assert [(w.fine, w.stiff, w.hurts) for w in weeks] == [(1, 1, 0), (0, 0, 0), (0, 0, 2)]


def test_weekly_report_numbers() -> None:
    last_week = MON - timedelta(7)
    sets = [
        s(last_week, 5, 100),
        s(last_week, 5, 100),
        s(MON, 5, 60, kind=SetKind.WARMUP),
        s(MON, 5, 105),  # a new best
        s(MON, 5, 100),
        s(MON, 5, 100),
        s(MON + timedelta(7), 5, 200),  # after the week: not in this report
    ]
    checks = [(MON, BackFeeling.FINE), (MON + timedelta(3), BackFeeling.STIFF)]
    nxt = [(MON + timedelta(7), U), (MON + timedelta(10), L), (MON + timedelta(14), U)]
    r = weekly_report(sets, checks, MON, done=1, planned=2, next_sessions=nxt)
    assert (r.done, r.planned) == (1, 2)
    assert (r.sets, r.sets_before) == (3, 2)
    assert (r.tonnage_kg, r.tonnage_before_kg) == (1525.0, 1000.0)
    assert [e for e, _ in r.records] == ["deadlift"] and "105 kg" in r.records[0][1]
    assert (r.checks.fine, r.checks.stiff, r.checks.hurts) == (1, 1, 0)
    assert r.next_sessions == nxt[:2]  # only next week's


def test_a_report_week_starts_on_monday() -> None:
    with pytest.raises(ValueError, match="Monday"):
        weekly_report([], [], MON + timedelta(1), 0, 0, [])


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 1, 1)),  # noqa: DTZ001
    st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Auckland"]),
    st.integers(0, 23),
    st.sampled_from([0, 15, 30, 45]),
)
def test_the_report_is_due_on_the_next_sunday_at_the_reminder_time(
    naive: datetime, tz: str, hour: int, minute: int
) -> None:
    now = naive.replace(tzinfo=UTC)
    schedule = Schedule(weekdays=frozenset({0, 3}), time=time(hour, minute), timezone=tz)
    due = report_due(schedule, now)
    assert due > now
    assert due - now <= timedelta(days=7, hours=2)  # within a week (a DST night adds an hour)
    day = due.astimezone(ZoneInfo(tz)).date()
    assert day.weekday() == 6
    assert due == local_to_utc(day, time(hour, minute), tz)
    assert week_of(day) == day - timedelta(days=6)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(-21, 27),  # days from the Monday of the week reported on
            st.integers(1, 30),
            st.one_of(st.none(), st.integers(1, 400).map(lambda w: w / 2)),
            st.sampled_from(list(SetKind)),
        ),
        max_size=40,
    ),
    st.lists(st.tuples(st.integers(-14, 20), st.sampled_from(list(BackFeeling))), max_size=12),
)
def test_the_report_counts_only_its_own_week_and_the_one_before(
    raw: list[tuple[int, int, float | None, SetKind]],
    raw_checks: list[tuple[int, BackFeeling]],
) -> None:
    sets = [s(MON + timedelta(d), r, kg, kind=k) for d, r, kg, k in raw]
    checks = [(MON + timedelta(d), f) for d, f in raw_checks]
    r = weekly_report(sets, checks, MON, done=0, planned=0, next_sessions=[])
    working = [(d, reps, kg) for d, reps, kg, k in raw if k is not SetKind.WARMUP]
    assert r.sets == sum(1 for d, _, _ in working if 0 <= d < 7)
    assert r.sets_before == sum(1 for d, _, _ in working if -7 <= d < 0)
    assert r.tonnage_kg == pytest.approx(
        sum(reps * kg for d, reps, kg in working if 0 <= d < 7 and kg is not None)
    )
    week_checks = [f for d, f in raw_checks if 0 <= d < 7]
    assert r.checks.fine + r.checks.stiff + r.checks.hurts == len(week_checks)
    # A record needs a working set this week and an earlier one to beat.
    if r.records:
        assert any(0 <= d < 7 for d, _, _ in working) and any(d < 0 for d, _, _ in working)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 40),
            st.integers(1, 20),
            st.one_of(st.none(), st.integers(1, 40).map(lambda w: w * 2.5)),
            st.booleans(),  # added to bodyweight
        ),
        min_size=1,
        max_size=40,
    ),
    st.booleans(),
)
def test_a_star_marks_exactly_the_days_a_session_summary_calls_a_record(
    raw: list[tuple[int, int, float | None, bool]], assisted: bool
) -> None:
    """The chart and the bot's own records agree: a star iff new_records finds one that day,
    on an assisted machine too (less help is harder)."""
    sets = [
        s(MON + timedelta(d), r, kg, added=added and kg is not None and not assisted)
        for d, r, kg, added in raw
    ]
    sets = [dataclasses.replace(x, assisted=assisted) for x in sets]
    points = exercise_series(sets)
    assert [p.on for p in points] == sorted({x.on for x in sets})
    for p in points:
        earlier = [x.set for x in sets if x.on < p.on]
        today = [x.set for x in sets if x.on == p.on]
        assert p.record == bool(new_records(earlier, today, assisted=assisted)), p
        plain = [] if assisted else [x for x in today if x.weight_kg is not None and not x.added]
        if plain:
            assert p.top_weight_kg == max(x.weight_kg or 0 for x in plain)
            assert p.e1rm_kg == pytest.approx(
                max(estimated_1rm(x.weight_kg or 0, x.reps) for x in plain)
            )
        else:
            assert p.top_weight_kg is None and p.top_reps == max(x.reps for x in today)
