"""Progress over time, as plain numbers: per-exercise series, weekly volume, back checks and
the weekly report. Charts and texts are drawn from these; nothing here reads the clock."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.accounts import Units
from bot.domain.calendar import Schedule, local_date, local_to_utc
from bot.domain.models import DayKind, SetKind
from bot.domain.records import estimated_1rm, new_records
from bot.domain.safety import BackFeeling
from bot.domain.setlog import LoggedSet

REPORT_WEEKDAY = 6  # Sunday: the last day of the week (weeks run Monday to Sunday)


@dataclass(frozen=True)
class DatedSet:
    """A logged set with the local date it was done on and the day of the split it trains."""

    exercise_id: str
    kind: SetKind
    set: LoggedSet
    on: date
    day: DayKind | None
    assisted: bool = False  # a counterweight that helps: never load, never volume


@dataclass(frozen=True)
class SessionPoint:
    """One day's best on an exercise: the top set, its estimated 1RM, and if it was a record."""

    on: date
    top_weight_kg: float | None  # None: bodyweight-only sets that day
    top_reps: int
    e1rm_kg: float | None
    record: bool


@dataclass(frozen=True)
class WeekVolume:
    """Working sets and tonnage (kg lifted: weight x reps) of one week, per day of the split."""

    week: date  # the Monday
    sets: dict[DayKind, int]
    tonnage_kg: dict[DayKind, float]


@dataclass(frozen=True)
class WeekChecks:
    """How many back checks of one week were fine, stiff or hurting."""

    week: date
    fine: int
    stiff: int
    hurts: int


@dataclass(frozen=True)
class WeeklyReport:
    """The numbers of the weekly report."""

    week: date  # Monday of the week reported on
    done: int
    planned: int
    sets: int
    sets_before: int
    tonnage_kg: float
    tonnage_before_kg: float
    records: list[tuple[str, str]]  # (exercise id, the record in words)
    checks: WeekChecks
    next_sessions: list[tuple[date, DayKind]]


def week_of(day: date) -> date:
    """The Monday of the week a date falls in."""
    return day - timedelta(days=day.weekday())


def counts(s: DatedSet) -> bool:
    """Warm-ups never count towards tops, volume or records."""
    return s.kind is not SetKind.WARMUP


def _plain(s: LoggedSet) -> bool:
    return s.weight_kg is not None and not s.added


class _BestReps:
    """The most reps seen at each load, kept apart for plain weights and for bodyweight (with or
    without added weight), as `progression.new_records` compares them."""

    def __init__(self, assisted: bool) -> None:
        self.by_kind: dict[bool, dict[float, int]] = {True: {}, False: {}}
        self.assisted = assisted

    def _hardness(self, s: LoggedSet) -> float:
        # On an assisted machine more counterweight is easier: less help is the harder set.
        load = s.weight_kg or 0.0
        return -load if self.assisted else load

    def beaten_by(self, s: LoggedSet) -> bool:
        """More reps than ever at this load or a harder one."""
        hard = self._hardness(s)
        before = [r for at, r in self.by_kind[_plain(s)].items() if at >= hard]
        return bool(before) and s.reps > max(before)

    def add(self, s: LoggedSet) -> None:
        """Remember a set."""
        loads, hard = self.by_kind[_plain(s)], self._hardness(s)
        loads[hard] = max(loads.get(hard, 0), s.reps)


def exercise_series(sets: list[DatedSet]) -> list[SessionPoint]:
    """Per day: the top working set and the best estimated 1RM, and whether the day set a record.

    A record is what a session summary calls one (`records.new_records`): a new best
    estimated 1RM, or more reps than ever at a weight or a heavier one (on an assisted machine:
    with as much help or less). The first day is a starting point, never a record. A day
    without plain weights, and any assisted exercise, is charted by its best reps.
    """
    by_day: dict[date, list[LoggedSet]] = {}
    for s in sorted(sets, key=lambda x: x.on):
        if counts(s):
            by_day.setdefault(s.on, []).append(s.set)
    assisted = any(s.assisted for s in sets)
    points: list[SessionPoint] = []
    best_e1rm: float | None = None
    best_reps = _BestReps(assisted)
    for day, logged in by_day.items():
        # Assisted sets compete on reps only: the counterweight is help, not load.
        weighted = [] if assisted else [s for s in logged if _plain(s)]
        e1rm = max((estimated_1rm(s.weight_kg or 0.0, s.reps) for s in weighted), default=None)
        record = any(best_reps.beaten_by(s) for s in logged) or (
            e1rm is not None and best_e1rm is not None and e1rm > best_e1rm + 1e-9
        )
        for done in logged:
            best_reps.add(done)
        if e1rm is not None:
            best_e1rm = e1rm if best_e1rm is None else max(best_e1rm, e1rm)
            top = max(weighted, key=lambda s: (s.weight_kg or 0.0, s.reps))
            points.append(SessionPoint(day, top.weight_kg, top.reps, e1rm, record))
        else:
            points.append(SessionPoint(day, None, max(s.reps for s in logged), None, record))
    return points


def _tonnage(s: DatedSet) -> float:
    """Weight x reps of a plain-weight set; bodyweight and assisted sets lift no tonnage here."""
    if s.assisted or not _plain(s.set):
        return 0.0
    return (s.set.weight_kg or 0.0) * s.set.reps


def weekly_volume(sets: list[DatedSet]) -> list[WeekVolume]:
    """Working sets and tonnage per week, upper vs lower day, every week from first to last."""
    trained = [s for s in sets if counts(s) and s.day is not None]
    if not trained:
        return []
    weeks = _weeks(min(s.on for s in trained), max(s.on for s in trained))
    volume = {
        w: WeekVolume(w, dict.fromkeys(DayKind, 0), dict.fromkeys(DayKind, 0.0)) for w in weeks
    }
    for s in trained:
        assert s.day is not None
        v = volume[week_of(s.on)]
        v.sets[s.day] += 1
        v.tonnage_kg[s.day] += _tonnage(s)
    return list(volume.values())


def _weeks(first: date, last: date) -> list[date]:
    start, end = week_of(first), week_of(last)
    return [start + timedelta(weeks=i) for i in range((end - start).days // 7 + 1)]


def _week_checks(week: date, feelings: list[BackFeeling]) -> WeekChecks:
    c = Counter(feelings)
    hurts = c[BackFeeling.HURTS] + c[BackFeeling.RED_FLAG]
    return WeekChecks(week, c[BackFeeling.FINE], c[BackFeeling.STIFF], hurts)


def back_check_weeks(checks: list[tuple[date, BackFeeling]]) -> list[WeekChecks]:
    """The back checks counted per week (a warning sign counts as hurting), every week shown."""
    if not checks:
        return []
    per: dict[date, list[BackFeeling]] = {}
    for day, feeling in checks:
        per.setdefault(week_of(day), []).append(feeling)
    weeks = _weeks(min(d for d, _ in checks), max(d for d, _ in checks))
    return [_week_checks(w, per.get(w, [])) for w in weeks]


def _records(sets: list[DatedSet], week: date, units: Units) -> list[tuple[str, str]]:
    end = week + timedelta(days=7)
    found: list[tuple[str, str]] = []
    for exercise_id in dict.fromkeys(s.exercise_id for s in sets):
        mine = [s for s in sets if s.exercise_id == exercise_id and counts(s)]
        before = [s.set for s in mine if s.on < week]
        during = [s.set for s in mine if week <= s.on < end]
        assisted = any(s.assisted for s in mine)
        found += [(exercise_id, r.text) for r in new_records(before, during, units, assisted)]
    return found


def weekly_report(
    sets: list[DatedSet],
    checks: list[tuple[date, BackFeeling]],
    week: date,
    done: int,
    planned: int,
    next_sessions: list[tuple[date, DayKind]],
    units: Units = Units.KG,
) -> WeeklyReport:
    """The week's numbers against the week before; records are against everything earlier."""
    if week.weekday() != 0:
        raise ValueError("a report week starts on a Monday")
    this_end, last = week + timedelta(days=7), week - timedelta(days=7)
    now_sets = [s for s in sets if counts(s) and week <= s.on < this_end]
    last_sets = [s for s in sets if counts(s) and last <= s.on < week]
    feelings = [f for d, f in checks if week <= d < this_end]
    return WeeklyReport(
        week=week,
        done=done,
        planned=max(planned, done),
        sets=len(now_sets),
        sets_before=len(last_sets),
        tonnage_kg=sum(_tonnage(s) for s in now_sets),
        tonnage_before_kg=sum(_tonnage(s) for s in last_sets),
        records=_records([s for s in sets if s.on < this_end], week, units),
        checks=_week_checks(week, feelings),
        next_sessions=[(d, k) for d, k in next_sessions if this_end <= d < this_end + timedelta(7)],
    )


def report_due(schedule: Schedule, now: datetime) -> datetime:
    """The next weekly report: the first Sunday at the reminder time that is after `now`."""
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware `now`")
    day = local_date(now, schedule.timezone) - timedelta(days=1)
    for _ in range(16):
        day += timedelta(days=1)
        if day.weekday() != REPORT_WEEKDAY:
            continue
        due = local_to_utc(day, schedule.time, schedule.timezone)
        if due > now:
            return due
    raise AssertionError("a Sunday comes within 16 days")
