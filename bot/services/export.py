"""The user's own data: export (Strong CSV, full JSON), import of Strong or Hevy files, a
calendar file of the coming sessions, and deleting everything."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.charts import ChartCache
from bot.clock import Clock
from bot.domain import calendar, progression, safety
from bot.domain.accounts import Units, User
from bot.domain.logfile import (
    ExportSet,
    LogFileError,
    map_names,
    read_log_file,
    strong_csv,
    to_logged,
    weight_text,
)
from bot.domain.models import DayKind, Library, SetKind
from bot.domain.sessions import PauseReason
from bot.domain.setlog import LoggedSet
from bot.domain.targets import Target
from bot.i18n import _
from bot.services.calendarfile import CALENDAR_WEEKS, DAY_TITLES, ics_file
from bot.services.languages import Languages
from bot.services.reminders import Reminders
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo
from bot.storage.userdata import ImportedSet, UserData
from bot.storage.workouts import WorkoutRepo

MAX_IMPORT_BYTES = 2 * 1024 * 1024  # a Strong export of ~10 years of training is well under
MAX_IMPORT_ROWS = 20_000
IMPORT_FLOW = "import"
DELETE_VALID_MINUTES = 10  # a Delete button older than this asks again


@dataclass(frozen=True)
class ImportPreview:
    """What a file holds, before the user says yes."""

    source: str
    sets: int  # sets that will be imported
    days: int
    first: datetime | None
    last: datetime | None
    mapped: dict[str, str]  # name in the file -> library exercise id
    unmapped: dict[str, int]  # name in the file -> sets left out
    skipped_rows: int  # cardio, timed or unreadable rows
    duplicates: int  # sets already in the log
    units: Units
    ruled_out: list[str]  # exercise ids the user's answers rule out: history only


@dataclass(frozen=True)
class Export:
    """/export: the log as Strong's CSV, and everything stored as JSON."""

    csv: str
    sets: int  # the sets the CSV holds
    json: str


@dataclass(frozen=True)
class CalendarFile:
    """/calendar: the coming sessions as an .ics, or why there are none."""

    ics: bytes | None  # None: no session to put in it
    sessions: int
    paused: bool  # none because the user paused reminders (/resume brings them back)


@dataclass(frozen=True)
class DeleteQuestion:
    """/delete: what would go, and when it was asked (the minute the buttons carry)."""

    stored: dict[str, int]  # rows per table; empty: nothing stored
    asked: int


@dataclass(frozen=True)
class Deleted:
    """The answer to 'Delete everything'."""

    expired: bool  # the button was too old: nothing was deleted
    rows: int


class ImportBlocked(LookupError):
    """The user cannot import now: no program yet, or a set-up is open."""


class OwnData:
    """Export, import, calendar and deletion over storage."""

    def __init__(
        self,
        repo: Repo,
        data: UserData,
        workouts: WorkoutRepo,
        schedules: ScheduleRepo,
        reminders: Reminders,
        library: Library,
        clock: Clock,
        default_timezone: str,
        charts: ChartCache,
        languages: Languages,
    ) -> None:
        self.repo, self.data, self.workouts, self.schedules = repo, data, workouts, schedules
        self.reminders, self.library, self.clock = reminders, library, clock
        self.default_timezone, self.charts = default_timezone, charts
        self.languages = languages  # remembers choices in memory: forgotten with the rest
        self.db = data.db  # the use cases' units of work

    def _zone(self, user: User | None) -> tuple[str, Units]:
        tz = user.timezone if user and user.timezone else self.default_timezone
        return tz, user.units if user else Units.KG

    async def _user(self, user_id: int) -> tuple[str, Units]:
        return self._zone(await self.repo.get_user(user_id))

    # --- export -----------------------------------------------------------------------------

    async def export(self, user_id: int) -> Export | None:
        """/export: the CSV and the JSON, the user row read once; None for a user never seen."""
        user = await self.repo.get_user(user_id)
        if user is None:
            return None
        tz, units = self._zone(user)
        csv_text, sets = await self._csv(user_id, tz, units)
        return Export(csv_text, sets, await self._json(user_id, tz, units))

    async def strong_csv(self, user_id: int) -> tuple[str, int]:
        """The whole log as Strong's CSV, and how many sets it holds."""
        return await self._csv(user_id, *await self._user(user_id))

    async def _csv(self, user_id: int, tz: str, units: Units) -> tuple[str, int]:
        zone = calendar.zone_info(tz)
        rows = []
        for s in await self.data.sets(user_id):
            exercise = self.library.exercises.get(s.exercise_id)
            name = exercise.name if exercise else s.exercise_id
            if s.workout_id is not None and s.workout_started is not None:
                started, workout = s.workout_started, _workout_title(s.workout_kind)
                ended = s.workout_ended
                duration = int((ended - started).total_seconds()) if ended else None
            else:
                # Logged on its own or imported: it keeps its own time and workout name.
                started, workout = s.logged_at, s.workout_name or _("Logged set")
                duration = None
            local = started.astimezone(zone).replace(tzinfo=None, microsecond=0)
            rows.append(
                ExportSet(
                    local,
                    workout,
                    duration,
                    name,
                    s.kind,
                    weight_text(s.set, units),
                    s.set.reps,
                    s.set.rpe,
                )
            )
        return strong_csv(rows), len(rows)

    async def json_dump(self, user_id: int) -> str:
        """Everything stored about the user, as documented in docs/export.md."""
        return await self._json(user_id, *await self._user(user_id))

    async def _json(self, user_id: int, tz: str, units: Units) -> str:
        body: dict[str, Any] = {
            "format": "backcoach-export",
            "version": 1,
            "exported_at": self.clock().astimezone(UTC).isoformat(),
            "user_id": user_id,
            "timezone": tz,
            "units": units.value,
            "weights_in": "kg",
            "tables": await self.data.dump(user_id),
        }
        return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=False)

    # --- import -----------------------------------------------------------------------------

    async def check_can_import(self, user_id: int) -> None:
        """ImportBlocked unless the user has a program and no set-up in progress."""
        if await self.repo.current_program(user_id) is None:
            raise ImportBlocked("no program")
        saved = await self.repo.load_conversation(user_id)
        if saved is not None and saved.flow not in (IMPORT_FLOW, "log"):
            raise ImportBlocked("conversation")

    async def preview(self, user_id: int, data: bytes) -> ImportPreview:
        """Read a file and keep what it holds until the user confirms (LogFileError if bad)."""
        await self.check_can_import(user_id)
        if len(data) > MAX_IMPORT_BYTES:
            raise LogFileError(
                _("the file is over {mb} MB").format(mb=MAX_IMPORT_BYTES // (1024 * 1024))
            )
        tz, units = await self._user(user_id)
        parsed = read_log_file(data, units, tz, MAX_IMPORT_ROWS)
        names = list(dict.fromkeys(s.exercise_name for s in parsed.sets))
        mapping = map_names(names, list(self.library.exercises.values()))
        existing = {
            (s.exercise_id, s.logged_at, s.set.reps, s.set.weight_kg)
            for s in await self.data.sets(user_id)
        }
        keep: list[list[Any]] = []
        unmapped: Counter[str] = Counter()
        duplicates = 0
        for s in parsed.sets:
            exercise_id = mapping[s.exercise_name]
            if exercise_id is None:
                unmapped[s.exercise_name] += 1
                continue
            logged = to_logged(s, self.library.exercises[exercise_id])
            if (exercise_id, s.performed_at, logged.reps, logged.weight_kg) in existing:
                duplicates += 1
                continue
            keep.append(
                [
                    exercise_id,
                    s.kind.value,
                    logged.reps,
                    logged.weight_kg,
                    logged.added,
                    s.performed_at.isoformat(),
                    s.workout_name,
                    logged.rpe,
                ]
            )
        if keep:  # kept until the user says yes
            await self.repo.save_conversation(
                user_id, IMPORT_FLOW, {"source": parsed.source, "sets": keep}, self.clock()
            )
        else:  # nothing new: no question to answer, and an earlier preview is over too
            await self.repo.clear_conversation(user_id)
        moments = sorted(datetime.fromisoformat(k[5]) for k in keep)
        program = await self.repo.current_program(user_id)
        ruled_out = sorted(
            {
                i
                for i in mapping.values()
                if i is not None
                and program is not None
                and not safety.check_exercise(
                    self.library.exercises[i], program.profile, self.library
                ).allowed
            }
        )
        return ImportPreview(
            source=parsed.source,
            sets=len(keep),
            days=len({calendar.local_date(m, tz) for m in moments}),
            first=moments[0] if moments else None,
            last=moments[-1] if moments else None,
            mapped={n: i for n, i in mapping.items() if i is not None},
            unmapped=dict(unmapped),
            skipped_rows=parsed.skipped,
            duplicates=duplicates,
            units=units,
            ruled_out=ruled_out,
        )

    async def confirm(self, user_id: int) -> int | None:
        """Import the previewed sets in one transaction; None if there is no preview open."""
        saved = await self.repo.load_conversation(user_id)
        if saved is None or saved.flow != IMPORT_FLOW:
            return None
        sets = [
            ImportedSet(
                exercise_id=str(row[0]),
                kind=SetKind(row[1]),
                set=LoggedSet(
                    reps=int(row[2]),
                    weight_kg=row[3],
                    added=bool(row[4]),
                    max_effort=row[1] == SetKind.MAX.value,
                    rpe=row[7] if len(row) > 7 else None,
                ),
                performed_at=datetime.fromisoformat(row[5]),
                workout_name=str(row[6]),
            )
            for row in saved.state["sets"]
            if row[0] in self.library.exercises
        ]
        now = self.clock()
        async with self.db.transaction():  # the sets, their targets and the end of the preview
            if sets:
                await self.data.import_sets(user_id, str(saved.state["source"]), sets, now)
                await self._targets_from_history(user_id, {s.exercise_id for s in sets})
            await self.repo.clear_conversation(user_id)
        return len(sets)

    async def cancel_import(self, user_id: int) -> bool:
        """Drop an open preview; False if there was none."""
        saved = await self.repo.load_conversation(user_id)
        if saved is None or saved.flow != IMPORT_FLOW:
            return False
        await self.repo.clear_conversation(user_id)
        return True

    async def _targets_from_history(self, user_id: int, exercise_ids: set[str]) -> None:
        """Give program exercises without a target one from their latest logged sessions.

        An exercise the user's answers rule out never gets a target (no heavier weight for it).
        """
        program = await self.repo.current_program(user_id)
        if program is None:
            return
        _tz, units = await self._user(user_id)
        specs = {p.exercise.id: p.sets for d in program.plan.days for p in d.exercises}
        for exercise_id in sorted(exercise_ids & specs.keys()):
            exercise = self.library.exercises[exercise_id]
            if not safety.check_exercise(exercise, program.profile, self.library).allowed:
                continue
            if await self.workouts.target(user_id, exercise_id) is not None:
                continue
            sessions: dict[object, list[LoggedSet]] = {}
            for e in await self.workouts.entries(user_id, exercise_id):
                if e.kind is not SetKind.WARMUP:
                    sessions.setdefault(e.workout_id or e.logged_at.date(), []).append(e.set)
            working = [s for s in specs[exercise_id] if s.kind is SetKind.WORKING]
            if not sessions or not working:
                continue
            s = progression.suggest(exercise, working, None, list(sessions.values()), units)
            target = Target(
                s.weight_kg,
                s.reps_min,
                s.reps_max,
                s.below_streak,
                s.explanation,
                tuple(s.rep_targets),
            )
            await self.workouts.set_target(user_id, exercise_id, target, self.clock())

    # --- calendar ---------------------------------------------------------------------------

    async def calendar(self, user_id: int) -> CalendarFile:
        """/calendar: the next 8 weeks of sessions in the user's zone; none without a schedule,
        while reminders are paused, or while the safety gate is closed."""
        program = await self.repo.current_program(user_id)
        saved = await self.schedules.schedule(user_id)
        paused = saved.paused if saved else None
        gate = safety.gate(program.plan if program else None, paused, self.library)
        if saved is None or not gate.open or paused is not None:
            return CalendarFile(None, 0, gate.open and paused is PauseReason.USER)
        schedule, progress = saved.schedule, saved.progress
        now = self.clock()
        until = calendar.local_date(now, schedule.timezone) + timedelta(weeks=CALENDAR_WEEKS)
        sessions = calendar.sessions_until(schedule, progress, now, until)
        if not sessions:
            return CalendarFile(None, 0, False)
        names = (
            {d.kind: [p.exercise.name for p in d.exercises] for d in program.plan.days}
            if program
            else {}
        )
        made = ics_file(user_id, sessions, schedule.timezone, names, now)
        return CalendarFile(made, len(sessions), False)

    # --- deletion ---------------------------------------------------------------------------

    async def what_is_stored(self, user_id: int) -> DeleteQuestion:
        """/delete: rows stored about the user per table, and the minute it was asked."""
        return DeleteQuestion(await self.data.counts(user_id), self._minute())

    def _minute(self) -> int:
        return int(self.clock().timestamp() // 60)

    async def delete(self, user_id: int, asked: int) -> Deleted:
        """Delete every row about the user (and what is kept of them in memory: charts, their
        language) in one transaction,
        unless the question was asked more than DELETE_VALID_MINUTES ago."""
        if not 0 <= self._minute() - asked <= DELETE_VALID_MINUTES:
            return Deleted(expired=True, rows=0)
        rows = await self.data.delete(user_id)
        self.charts.forget(user_id)
        self.languages.forget(user_id)
        return Deleted(expired=False, rows=rows)


def _workout_title(kind: DayKind | None) -> str:
    return _(DAY_TITLES[kind]) if kind in DAY_TITLES else _("Workout")
