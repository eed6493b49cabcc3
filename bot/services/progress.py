"""Progress use cases: which charts a user can see, drawing them (cached), the weekly report."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from bot import charts
from bot.clock import Clock
from bot.domain import stats
from bot.domain.accounts import Units, User
from bot.domain.calendar import local_date
from bot.domain.lognames import match_exercise
from bot.domain.models import Library
from bot.domain.stats import DatedSet, WeeklyReport
from bot.i18n import _, current_language, ngettext
from bot.services.reminders import Reminders
from bot.storage.repo import Repo
from bot.storage.safety import SafetyRepo
from bot.storage.schedules import ScheduleRepo
from bot.storage.userdata import StoredSet, UserData

VOLUME, TONNAGE, BACK = "volume", "tonnage", "back"
STALE_AFTER = timedelta(days=1)  # a report the bot was down for is skipped, not sent late


@dataclass(frozen=True)
class Chart:
    """A rendered chart and a one-line caption for it."""

    png: bytes
    caption: str


def dated(stored: list[StoredSet], library: Library, tz: str) -> list[DatedSet]:
    """Stored sets as the stats see them: the local day and the day of the split."""
    out = []
    for s in stored:
        exercise = library.exercises.get(s.exercise_id)
        if exercise is None:
            continue  # an exercise since removed from the library: nothing to chart it as
        on = s.workout_on or local_date(s.logged_at, tz)
        out.append(DatedSet(s.exercise_id, s.kind, s.set, on, exercise.day, exercise.assisted))
    return out


@dataclass(frozen=True)
class Overview:
    """What /progress shows: the charts the user can pick from, or the one asked for by name."""

    logged: tuple[str, ...]  # ids of the exercises logged, most logged first
    has_checks: bool  # back checks to chart
    wanted: str  # the name asked for ('' for none)
    found: tuple[str, ...]  # the logged exercises that name may mean
    chart: Chart | None  # drawn straight away: the name meant one logged exercise

    @property
    def empty(self) -> bool:
        """Nothing to chart at all."""
        return not self.logged and not self.has_checks


@dataclass(frozen=True)
class DueReport:
    """A weekly report taken for sending: whose, and when it was due."""

    user_id: int
    due: datetime
    fresh: bool = True  # False: due so long ago (the bot was down) that it is skipped


@dataclass(frozen=True)
class ReportToSend:
    """A weekly report ready to write: to which chat, in which units."""

    user_id: int
    chat_id: int
    units: Units
    report: WeeklyReport


@dataclass(frozen=True)
class ReportSwitch:
    """The weekly report turned on or off in /settings."""

    known: bool  # False: the user never started, and nothing was stored
    enabled: bool
    next_due: datetime | None  # when the next one comes (None: off, or no schedule yet)


class Progress:
    """Charts and the weekly report over stored sets and back checks."""

    def __init__(
        self,
        repo: Repo,
        data: UserData,
        safety: SafetyRepo,
        schedules: ScheduleRepo,
        reminders: Reminders,
        library: Library,
        clock: Clock,
        default_timezone: str,
        cache: charts.ChartCache,
    ) -> None:
        self.repo, self.data, self.safety, self.schedules = repo, data, safety, schedules
        self.db = data.db  # the use cases' units of work
        self.reminders, self.library, self.clock = reminders, library, clock
        self.default_timezone, self.cache = default_timezone, cache
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")

    def close(self) -> None:
        """Stop the chart thread (after a render in progress finishes)."""
        self.executor.shutdown(wait=True)

    def _zone(self, user: User | None) -> tuple[str, Units]:
        tz = user.timezone if user and user.timezone else self.default_timezone
        return tz, user.units if user else Units.KG

    async def _user(self, user_id: int) -> tuple[str, Units]:
        return self._zone(await self.repo.get_user(user_id))

    async def sets(self, user_id: int) -> list[DatedSet]:
        """Every set of the user with its local day."""
        tz, _units = await self._user(user_id)
        return dated(await self.data.sets(user_id), self.library, tz)

    def _most_logged(self, sets: list[DatedSet]) -> list[str]:
        counted: dict[str, int] = {}
        for s in sets:
            if s.day is not None and stats.counts(s):
                counted[s.exercise_id] = counted.get(s.exercise_id, 0) + 1
        return sorted(counted, key=lambda k: (-counted[k], self.library.exercises[k].name))

    async def logged_exercises(self, user_id: int) -> list[str]:
        """Ids of the trainable exercises the user has logged, most logged first."""
        return self._most_logged(await self.sets(user_id))

    async def overview(self, user_id: int, wanted: str = "") -> Overview:
        """/progress [name]: what there is to chart, and the chart of the exercise named, if
        the name means exactly one the user has logged (the user row is read once)."""
        tz, units = await self._user(user_id)
        sets = dated(await self.data.sets(user_id), self.library, tz)
        logged = self._most_logged(sets)
        has_checks = bool(await self.safety.back_checks(user_id))
        found: list[str] = []
        if wanted and (logged or has_checks):
            library = list(self.library.exercises.values())
            found = [e for e in match_exercise(wanted, library) if e in logged]
        drawn = (
            await self._exercise_chart(user_id, found[0], sets, units) if len(found) == 1 else None
        )
        return Overview(tuple(logged), has_checks, wanted, tuple(found), drawn)

    async def chart(self, user_id: int, which: str) -> Chart | None:
        """Draw one chart (an exercise id, VOLUME, TONNAGE or BACK); None when it has no data."""
        tz, units = await self._user(user_id)
        if which == BACK:
            weeks = stats.back_check_weeks(await self.safety.back_checks(user_id))
            if not weeks:
                return None
            total = sum(w.fine + w.stiff + w.hurts for w in weeks)
            fine = sum(w.fine for w in weeks)
            caption = _("Back checks: {fine} of {total} fine.").format(fine=fine, total=total)
            return await self._draw(
                user_id, which, (weeks,), caption, charts.back_check_chart, weeks
            )
        sets = dated(await self.data.sets(user_id), self.library, tz)
        if which in (VOLUME, TONNAGE):
            volume = stats.weekly_volume(sets)
            if not volume:
                return None
            latest = volume[-1]
            if which == VOLUME:
                n = sum(latest.sets.values())
                caption = ngettext(
                    "This week so far: {n} working set.", "This week so far: {n} working sets.", n
                ).format(n=n)
            else:
                caption = _("Tonnage: weight x reps of every working set (bodyweight not counted).")
            return await self._draw(
                user_id,
                which,
                (volume, units),
                caption,
                charts.volume_chart,
                volume,
                units,
                which == TONNAGE,
            )
        return await self._exercise_chart(user_id, which, sets, units)

    async def _exercise_chart(
        self, user_id: int, which: str, sets: list[DatedSet], units: Units
    ) -> Chart | None:
        exercise = self.library.exercises.get(which)
        mine = [s for s in sets if s.exercise_id == which]
        points = stats.exercise_series(mine)
        if exercise is None or not points:
            return None
        records = sum(p.record for p in points)
        days = ngettext("{n} day logged", "{n} days logged", len(points)).format(n=len(points))
        starred = (
            _("no record yet (the first day is your starting point)")
            if not records
            else ngettext("{n} record starred", "{n} records starred", records).format(n=records)
        )
        caption = _("{name}: {days}, {starred}.").format(
            name=exercise.name, days=days, starred=starred
        )
        if records:
            caption += " " + _(
                "A record: a new best estimated 1-rep max, or more reps than ever at a weight."
            )
        return await self._draw(
            user_id,
            which,
            (points, units),
            caption,
            charts.exercise_chart,
            exercise.name,
            points,
            units,
        )

    async def _draw(
        self,
        user_id: int,
        key: str,
        inputs: object,
        caption: str,
        render: Callable[..., bytes],
        *args: object,
    ) -> Chart:
        # The labels are drawn in the user's language: a chart in another one is not a hit.
        digest = charts.fingerprint(key, current_language(), inputs)
        png = self.cache.get(user_id, key, digest)
        if png is None:
            # matplotlib is CPU-bound: keep the event loop answering other users meanwhile.
            # One worker thread of our own: matplotlib is not safe to drive from two threads
            # at once, and the thread is shut down with the app.
            loop = asyncio.get_running_loop()
            # run_in_executor does not carry context variables: run the render in a copy of
            # this one, so its labels are in the user's language.
            ctx = contextvars.copy_context()
            png = await loop.run_in_executor(self.executor, partial(ctx.run, render, *args))
            self.cache.put(user_id, key, digest, png)
        return Chart(png, caption)

    async def weekly_report(self, user_id: int, week: date) -> WeeklyReport:
        """The report for the week starting on Monday `week`."""
        return await self._weekly(user_id, week, *await self._user(user_id))

    async def _weekly(self, user_id: int, week: date, tz: str, units: Units) -> WeeklyReport:
        sets = dated(await self.data.sets(user_id), self.library, tz)
        count = await self.data.sessions_in(user_id, week, week + timedelta(days=6))
        upcoming = await self.reminders.upcoming(user_id, self.clock(), days=14)
        return stats.weekly_report(
            sets,
            await self.safety.back_checks(user_id),
            week,
            count.done,
            count.planned,
            [(s.on, s.kind) for s in upcoming],
            units,
        )

    async def report(self, due: DueReport) -> ReportToSend | None:
        """The report a claimed `due` stands for, ready to write (None: the user or their
        schedule is gone, so there is nothing to report)."""
        saved = await self.schedules.schedule(due.user_id)
        user = await self.repo.get_user(due.user_id) if saved is not None else None
        if saved is None or user is None:
            return None
        week = stats.week_of(local_date(due.due, saved.schedule.timezone))
        tz, units = self._zone(user)
        report = await self._weekly(due.user_id, week, tz, units)
        return ReportToSend(due.user_id, user.chat_id, units, report)

    async def take_due_reports(self, now: datetime) -> list[DueReport]:
        """Plan reports for new schedules, then take the reports that are due, never handing
        one out twice, and plan each one's next: one transaction, so a crash keeps or loses
        the claim and the next plan together."""
        async with self.db.transaction():
            await self.plan_reports(now)
            claimed = await self.claim_due(now)
            for c in claimed:
                await self._plan_next(c.user_id, now)
        return claimed

    async def claim_due(self, now: datetime) -> list[DueReport]:
        """Take the weekly reports that are due, never handing one out twice."""
        claimed = await self.data.claim_due_reports(int(now.timestamp()))
        due = [(user_id, datetime.fromtimestamp(ts, UTC)) for user_id, ts in claimed]
        return [DueReport(user_id, at, now - at <= STALE_AFTER) for user_id, at in due]

    async def _plan_next(self, user_id: int, now: datetime) -> datetime | None:
        saved = await self.schedules.schedule(user_id)
        if saved is None:
            return None
        due = stats.report_due(saved.schedule, now)
        await self.data.plan_report(user_id, int(due.timestamp()))
        return due

    async def plan_reports(self, now: datetime) -> int:
        """Plan the next report for everyone who has a schedule but no report planned."""
        planned = 0
        for user_id in await self.data.unplanned_reports(now):
            planned += await self._plan_next(user_id, now) is not None
        return planned

    async def switch_report(self, user_id: int, enabled: bool) -> ReportSwitch:
        """Turn the weekly report on or off, and (on) plan the next one: one transaction."""
        now = self.clock()
        async with self.db.transaction():
            if await self.repo.get_user(user_id) is None:
                return ReportSwitch(known=False, enabled=enabled, next_due=None)
            await self.data.set_report_enabled(user_id, enabled, now)
            due = await self._plan_next(user_id, now) if enabled else None
        return ReportSwitch(known=True, enabled=enabled, next_due=due)
