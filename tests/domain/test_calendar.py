"""The rest-day calendar: every weekday choice, many zones, DST, and random histories."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.domain.calendar import (
    MIN_GAP_DAYS,
    Progress,
    Schedule,
    ScheduleError,
    after_done,
    after_missed,
    after_move,
    after_not_done,
    after_skip,
    describe_days,
    describe_rhythm,
    earliest_allowed,
    fits_two_a_week,
    local_day_end,
    move_options,
    parse_weekdays,
    plan_sessions,
    sessions_until,
    validate_weekdays,
)
from bot.domain.models import DayKind
from tests.domain.calendar_cases import (
    NAMED_ZONES,
    brute_force_valid,
    check_plan,
    schedule,
    week_counts,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
ALL_SUBSETS = [frozenset(c) for n in range(1, 8) for c in itertools.combinations(range(7), n)]
ALL_ZONES = sorted(available_timezones())
ZONES = st.one_of(st.sampled_from(NAMED_ZONES), st.sampled_from(ALL_ZONES))
TIMES = st.one_of(
    st.sampled_from([time(18, 0), time(2, 30), time(0, 0), time(23, 59), time(1, 30)]),
    st.builds(time, st.integers(0, 23), st.integers(0, 59)),
)
BASE = datetime(2020, 1, 1, tzinfo=UTC)
NOWS = st.integers(0, 15 * 365 * 24 * 3600).map(lambda s: BASE + timedelta(seconds=s))
EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["done", "late", "skip", "miss", "move", "abandon"]), st.integers(0, 50)
    ),
    max_size=14,
)
FAST = settings(deadline=None, max_examples=250)


# --- weekdays --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon,thu", {MON, THU}),
        ("Monday, Thursday", {MON, THU}),
        (" TUE , fri ", {TUE, FRI}),
        ("thurs and sun", {THU, SUN}),
        ("wed", {WED}),
        ("sat sun mon", {SAT, SUN, MON}),
    ],
)
def test_parse_weekdays(text: str, days: set[int]) -> None:
    assert parse_weekdays(text) == frozenset(days)


@pytest.mark.parametrize("text", ["", "mo,th", "mon,funday", "1,4", "mondayy"])
def test_parse_weekdays_lists_valid_names(text: str) -> None:
    with pytest.raises(ScheduleError, match="mon, tue, wed, thu, fri, sat, sun"):
        parse_weekdays(text)


def test_describe_days() -> None:
    assert describe_days(frozenset({THU, MON})) == "Monday and Thursday"
    assert describe_days(frozenset(range(7))) == "any day of the week"
    assert describe_days(frozenset({SUN})) == "Sunday"
    assert describe_days(frozenset({MON, TUE, FRI})) == "Monday, Tuesday and Friday"


def two_a_week_brute(days: frozenset[int]) -> bool:
    """Two of the days, every week, at least 3 days apart in both directions."""
    return any(brute_force_valid(frozenset({a, b})) for a in days for b in days if a != b)


@pytest.mark.parametrize("often", [False, True], ids=["two-a-week", "often"])
@pytest.mark.parametrize("days", ALL_SUBSETS, ids=lambda d: "+".join(str(x) for x in sorted(d)))
def test_every_weekday_subset_gives_a_calendar(days: frozenset[int], often: bool) -> None:
    validate_weekdays(days)
    assert fits_two_a_week(days) is two_a_week_brute(days)
    for start in range(7):  # a first session on every weekday
        sched = Schedule(weekdays=days, time=time(18, 0), timezone="Europe/Berlin", often=often)
        now = datetime(2026, 3, 16 + start, 12, tzinfo=UTC)
        plan = plan_sessions(sched, Progress(), now, 30)
        check_plan(sched, Progress(), now, plan)
        counts = week_counts([s.on for s in plan])
        steady = sorted(counts)[2:-1]  # from the third week, leaving out the unfinished last
        if not often:
            want = 2 if two_a_week_brute(days) else 1
            assert [counts[w] for w in steady] == [want] * len(steady), "two a week if possible"
        else:
            assert all(counts[w] >= (2 if two_a_week_brute(days) else 1) for w in steady)
        if len(days) == 1:
            assert all(b.on - a.on == timedelta(days=7) for a, b in itertools.pairwise(plan))


def test_rhythm_is_said_in_words() -> None:
    assert "once a week, every Wednesday" in describe_rhythm(frozenset({WED}))
    assert "once a week" in describe_rhythm(frozenset({MON, TUE}))
    assert "Two sessions a week" in describe_rhythm(frozenset({MON, WED, FRI}))
    assert "As often as" in describe_rhythm(frozenset(range(7)), often=True)


def test_mon_wed_fri_trains_monday_and_friday() -> None:
    sched = schedule("mon,wed,fri")
    plan = plan_sessions(sched, Progress(), datetime(2026, 6, 1, tzinfo=UTC), 6)
    assert [s.on.strftime("%a") for s in plan] == ["Mon", "Fri", "Mon", "Fri", "Mon", "Fri"]
    every = Schedule(weekdays=frozenset(range(7)), time=time(18), timezone="UTC", often=True)
    plan = plan_sessions(every, Progress(), datetime(2026, 6, 1, tzinfo=UTC), 4)
    assert [(b.on - a.on).days for a, b in itertools.pairwise(plan)] == [3, 3, 3]


def test_only_the_empty_set_is_refused() -> None:
    with pytest.raises(ScheduleError, match="at least one"):
        validate_weekdays(frozenset())
    with pytest.raises(ValidationError):
        Schedule(weekdays=frozenset(), time=time(18, 0), timezone="UTC")
    with pytest.raises(ScheduleError):
        validate_weekdays(frozenset({7}))


def test_schedule_validates_and_round_trips_as_json() -> None:
    sched = schedule("fri,mon", time(7, 30), "Europe/Moscow")
    assert Schedule.model_validate_json(sched.model_dump_json()) == sched
    with pytest.raises(ValidationError, match="IANA"):
        schedule(tz="Mars/Olympus")
    progress = Progress(
        last_done_on=date(2026, 1, 5),
        next_kind=DayKind.LOWER,
        not_before=date(2026, 1, 9),
        pinned=date(2026, 1, 10),
    )
    assert Progress.model_validate_json(progress.model_dump_json()) == progress


# --- planning and events ---------------------------------------------------------------------


def test_today_counts_only_while_the_reminder_time_is_ahead() -> None:
    sched = schedule("mon,thu", time(18, 0), "Europe/Moscow")  # 18:00 Moscow is 15:00 UTC
    monday = date(2026, 6, 1)
    before = datetime(2026, 6, 1, 14, 59, tzinfo=UTC)
    exactly = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)
    after = datetime(2026, 6, 1, 15, 1, tzinfo=UTC)
    assert plan_sessions(sched, Progress(), before, 1)[0].on == monday
    assert plan_sessions(sched, Progress(), exactly, 1)[0].on == monday
    assert plan_sessions(sched, Progress(), after, 1)[0].on == date(2026, 6, 4)


def test_a_fresh_plan_alternates_upper_first() -> None:
    plan = plan_sessions(schedule(), Progress(), datetime(2026, 6, 1, tzinfo=UTC), 4)
    assert [(s.on.day, s.kind) for s in plan] == [
        (1, DayKind.UPPER),
        (4, DayKind.LOWER),
        (8, DayKind.UPPER),
        (11, DayKind.LOWER),
    ]
    assert plan_sessions(schedule(), Progress(), datetime(2026, 6, 1, tzinfo=UTC), 0) == []


def test_a_late_session_shifts_the_next_one() -> None:
    sched, now = schedule(), datetime(2026, 6, 1, tzinfo=UTC)  # Monday
    first = plan_sessions(sched, Progress(), now, 1)[0]
    # Done on Tuesday instead: Thursday is too soon, so the lower day is next Monday.
    progress = after_done(Progress(), first.on + timedelta(days=1), first.kind)
    assert progress == Progress(last_done_on=date(2026, 6, 2), next_kind=DayKind.LOWER)
    nxt = plan_sessions(sched, progress, datetime(2026, 6, 2, 19, tzinfo=UTC), 1)[0]
    assert (nxt.on, nxt.kind) == (date(2026, 6, 8), DayKind.LOWER)


@pytest.mark.parametrize("event", [after_skip, after_missed])
def test_skips_and_misses_keep_the_split_in_turn(event: object) -> None:
    sched, now = schedule(), datetime(2026, 6, 1, tzinfo=UTC)
    progress = after_done(Progress(), date(2026, 5, 28), DayKind.UPPER)
    session = plan_sessions(sched, progress, now, 1)[0]
    assert (session.on, session.kind) == (date(2026, 6, 1), DayKind.LOWER)
    assert callable(event)
    after = event(progress, session)
    assert after.next_kind is DayKind.LOWER and after.not_before == date(2026, 6, 2)
    nxt = plan_sessions(sched, after, session.due_utc, 2)
    assert [(s.on, s.kind) for s in nxt] == [
        (date(2026, 6, 4), DayKind.LOWER),
        (date(2026, 6, 8), DayKind.UPPER),
    ]


def test_moving_a_session_pins_it_even_off_the_chosen_days() -> None:
    sched, now = schedule(), datetime(2026, 6, 1, 20, tzinfo=UTC)  # Monday evening
    progress = after_done(Progress(), date(2026, 5, 28), DayKind.UPPER)
    session = plan_sessions(sched, progress, now, 1)[0]
    assert session.on == date(2026, 6, 4)  # Monday's reminder has passed: Thursday
    options = move_options(sched, progress, session, now)
    assert options == [date(2026, 6, d) for d in (2, 3, 5, 6, 7, 8)]
    moved = after_move(progress, date(2026, 6, 6))  # a Saturday
    plan = plan_sessions(sched, moved, now, 3)
    assert [(s.on, s.kind) for s in plan] == [
        (date(2026, 6, 6), DayKind.LOWER),
        (date(2026, 6, 11), DayKind.UPPER),
        (date(2026, 6, 15), DayKind.LOWER),
    ]
    check_plan(sched, moved, now, plan)
    # It can be moved again, earlier too; and never closer than 3 days to the last session.
    assert date(2026, 6, 2) in move_options(sched, moved, plan[0], now)
    with pytest.raises(ScheduleError, match="too soon"):
        after_move(progress, date(2026, 5, 30))
    # A pin that has passed no longer applies.
    later = datetime(2026, 6, 7, tzinfo=UTC)
    assert plan_sessions(sched, moved, later, 1)[0].on == date(2026, 6, 8)


def test_move_options_respect_rest_and_skips() -> None:
    sched, now = schedule(), datetime(2026, 6, 1, 8, tzinfo=UTC)
    progress = after_done(Progress(), date(2026, 5, 31), DayKind.UPPER)
    session = plan_sessions(sched, progress, now, 1)[0]
    assert session.on == date(2026, 6, 4)
    assert move_options(sched, progress, session, now, days_ahead=5) == [
        date(2026, 6, 3),
        date(2026, 6, 5),
        date(2026, 6, 6),
    ]
    skipped = after_skip(progress, session)
    assert move_options(sched, skipped, session, now, days_ahead=5) == [
        date(2026, 6, 5),
        date(2026, 6, 6),
    ]


def test_sessions_until_is_inclusive() -> None:
    sched, now = schedule(), datetime(2026, 6, 1, tzinfo=UTC)
    got = sessions_until(sched, Progress(), now, date(2026, 6, 11))
    assert [s.on.day for s in got] == [1, 4, 8, 11]
    assert earliest_allowed(sched, Progress(), now) == date(2026, 6, 1)


def test_now_must_be_aware() -> None:
    naive = datetime(2026, 6, 1, tzinfo=UTC).replace(tzinfo=None)
    with pytest.raises(ValueError, match="naive"):
        plan_sessions(schedule(), Progress(), naive, 1)


# --- properties ------------------------------------------------------------------------------


@FAST
@given(
    days=st.sets(st.integers(0, 6), min_size=1),
    often=st.booleans(),
    tz=ZONES,
    at=TIMES,
    now=NOWS,
)
def test_any_availability_in_any_zone_plans(
    days: set[int], often: bool, tz: str, at: time, now: datetime
) -> None:
    sched = Schedule(weekdays=frozenset(days), time=at, timezone=tz, often=often)
    check_plan(sched, Progress(), now, plan_sessions(sched, Progress(), now, 8))


@FAST
@given(
    days=st.frozensets(st.integers(0, 6), min_size=1),
    often=st.booleans(),
    tz=ZONES,
    at=TIMES,
    now=NOWS,
    events=EVENTS,
)
def test_random_histories_keep_every_rule(
    days: frozenset[int],
    often: bool,
    tz: str,
    at: time,
    now: datetime,
    events: list[tuple[str, int]],
) -> None:
    sched = Schedule(weekdays=days, time=at, timezone=tz, often=often)
    progress = Progress()
    done: list[tuple[date, DayKind]] = []
    for event, n in events:
        plan = plan_sessions(sched, progress, now, 4)
        check_plan(sched, progress, now, plan)
        session = plan[0]
        if event == "move":
            options = move_options(sched, progress, session, now)
            today = now.astimezone(ZoneInfo(tz)).date()
            for day in options:
                assert today <= day <= today + timedelta(days=7) and day != session.on
                assert day >= earliest_allowed(sched, progress, now)
            if options:
                progress = after_move(progress, options[n % len(options)])
                assert plan_sessions(sched, progress, now, 1)[0].on == options[n % len(options)]
            continue
        if event in ("done", "late"):
            late = n % 3 if event == "late" else 0
            now = session.due_utc + timedelta(days=late, minutes=n)
            progress = after_done(progress, session.on + timedelta(days=late), session.kind)
            done.append((session.on + timedelta(days=late), session.kind))
        elif event == "abandon":  # started, then ended with nothing logged
            now = session.due_utc + timedelta(minutes=n)
            started = now.astimezone(ZoneInfo(tz)).date()
            undone = after_not_done(
                after_done(progress, started, session.kind), started, session.kind
            )
            assert undone.next_kind is session.kind, "the same day of the split comes next"
            assert undone.last_done_on == progress.last_done_on, "it never counted"
            progress = undone
        elif event == "skip":
            now = session.due_utc + timedelta(minutes=n)
            progress = after_skip(progress, session)
            assert progress.next_kind is session.kind
        else:
            now = local_day_end(session.on, tz) + timedelta(minutes=n)
            progress = after_missed(progress, session)
            assert progress.next_kind is session.kind
    check_plan(sched, progress, now, plan_sessions(sched, progress, now, 4))
    assert [k for _, k in done[:1]] in ([], [DayKind.UPPER])
    for (day_a, kind_a), (day_b, kind_b) in itertools.pairwise(done):
        assert kind_a is not kind_b, "done sessions alternate"
        assert (day_b - day_a).days >= MIN_GAP_DAYS, "and keep 3 days of rest"


def test_a_pasted_page_at_the_weekday_question_gets_a_short_answer() -> None:
    from bot.domain.calendar import ScheduleError, parse_weekdays

    with pytest.raises(ScheduleError) as caught:
        parse_weekdays("<b>&" + "abc " * 1100)
    assert len(str(caught.value)) < 200
