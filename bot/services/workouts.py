"""Workout use cases: start, log sets, tick off, skip, swap, end, and what to lift next time."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain import calendar, progression, records, safety
from bot.domain import workouts as wk
from bot.domain.accounts import IssuedProgram, Units
from bot.domain.lognames import LogLine, read_log_line
from bot.domain.models import DayKind, Exercise, Library, SetKind
from bot.domain.programs import allowed_alternatives, build_plan
from bot.domain.sessions import Session
from bot.domain.setlog import LoggedSet, ParsedLine, SetLogError, parse_line
from bot.domain.starts import as_logged, needs_weight, planned_sets
from bot.domain.targets import SetAim, Target
from bot.domain.workouts import Workout, WorkoutItem, WorkoutStatus
from bot.i18n import _
from bot.services import logged, targets
from bot.services.logged import AlreadyLogged, NeedsWeight, group_sessions, plannable
from bot.services.reminders import Reminders
from bot.storage.logs import LogRepo
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo
from bot.storage.workouts import LoggedEntry, NewSet, Source, WorkoutRepo

log = logging.getLogger(__name__)


class NoProgram(LookupError):
    """The user has no loaded program to train from."""


class NeedsNumbers(LookupError):
    """'Done as planned' with no weight to plan from yet: the user must type the sets."""


@dataclass(frozen=True)
class Logged:
    """What a log message did: the sets understood, and any milestone reached."""

    workout: Workout
    exercise: Exercise
    sets: list[LoggedSet]
    graduated: bool = False  # the beginner reached 8 pull-ups: a new program version
    source_id: int | None = None  # the log source the sets belong to (for 'Edit')


@dataclass(frozen=True)
class Summary:
    """The end of a workout."""

    workout: Workout
    lines: list[tuple[Exercise, list[LoggedSet], float, str]]  # sets, volume, next time
    records: list[str]
    next_session: Session | None
    timezone: str


class Workouts:
    """Guided workouts over storage, the coaching core and the calendar."""

    def __init__(
        self,
        repo: Repo,
        schedules: ScheduleRepo,
        workouts: WorkoutRepo,
        reminders: Reminders,
        library: Library,
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self.repo, self.schedules, self.workouts = repo, schedules, workouts
        self.reminders, self.library, self.clock = reminders, library, clock
        self.default_timezone = default_timezone

    async def timezone(self, user_id: int) -> str:
        """The user's IANA timezone."""
        user = await self.repo.get_user(user_id)
        return user.timezone if user and user.timezone else self.default_timezone

    async def units(self, user_id: int) -> Units:
        """The user's weight units."""
        user = await self.repo.get_user(user_id)
        return user.units if user else Units.KG

    # --- starting ---------------------------------------------------------------------------

    async def start(
        self, user_id: int, session_id: int | None = None, light: bool = False
    ) -> Workout:
        """Resume the active workout, or start one for the given session (None: train now).

        Callers ask the safety gate and the back check first; `light` is a stiff-back day.
        """
        now = self.clock()
        tz = await self.timezone(user_id)
        active = await self.workouts.active(user_id)
        if active is not None:
            if active.on >= calendar.local_date(now, tz):
                return active
            # Left open on an earlier day: close it (its sets are kept) and start afresh.
            await self.end(user_id, active.id, early=True)
        program = await self.repo.current_program(user_id)
        if program is None or not program.plan.days:
            raise NoProgram(user_id)
        session = await self.schedules.session(session_id) if session_id is not None else None
        if session is not None and session.user_id == user_id:
            kind = session.kind
            try:
                await self.reminders.start(user_id, session.id, now)
            except LookupError:
                session = None
                await self.reminders.trained(user_id, kind, now)
        else:
            session = None
            kind = await self._kind(user_id)
            await self.reminders.trained(user_id, kind, now)
        day = next(d for d in program.plan.days if d.kind is kind)
        return await self.workouts.create(
            user_id,
            program.id,
            session.id if session else None,
            kind,
            calendar.local_date(now, tz),
            wk.items_from_day(day, light),
            now,
            light=light,
        )

    async def _kind(self, user_id: int) -> DayKind:
        """Whose turn it is: the schedule's next day, else the other of the last workout."""
        saved = await self.schedules.schedule(user_id)
        recent = await self.workouts.recent(user_id, limit=1)
        _last, kind = safety.last_session(
            saved.progress.last_done_on if saved else None,
            saved.progress.next_kind if saved else DayKind.UPPER,
            (recent[0].on, recent[0].kind) if recent else None,
        )
        return kind

    # --- the current exercise ---------------------------------------------------------------

    @property
    def logs(self) -> LogRepo:
        """The log's own queries (sources, undo, edits)."""
        return LogRepo(self.workouts.db)

    async def target(self, user_id: int, item: WorkoutItem, light: bool = False) -> Target:
        """Today's target for an item (see bot/services/targets.py)."""
        units = await self.units(user_id)
        return await targets.today(self.workouts, self.library, units, user_id, item, light)

    async def set_start(self, user_id: int, item: WorkoutItem, weight_kg: float) -> Target:
        """The lifter picked a first weight for a loaded exercise: today's target uses it."""
        units = await self.units(user_id)
        await targets.start_at(
            self.workouts, self.library, units, self.clock(), user_id, item, weight_kg
        )
        return await self.target(user_id, item)

    async def known_weight(self, user_id: int, exercise_id: str) -> float | None:
        """The weight to offer when sets came without one."""
        return await logged.known_weight(self.workouts, user_id, exercise_id)

    async def already(self, user_id: int, source: Source) -> list[LoggedEntry] | None:
        """The sets this message or update logged before, or a retry's, if it is one."""
        return await logged.already(self.logs, self.clock(), user_id, source)

    async def last_time(
        self, user_id: int, exercise_id: str, workout_id: int | None = None
    ) -> list[LoggedSet]:
        """The working sets of the last time before this workout that the exercise was logged."""
        entries = await self.workouts.entries(user_id, exercise_id)
        groups = group_sessions(
            [e for e in entries if workout_id is None or e.workout_id != workout_id]
        )
        return groups[-1] if groups else []

    async def alternatives(self, user_id: int, workout: Workout) -> list[Exercise]:
        """Exercises that may replace the current one under the user's answers."""
        item = workout.current
        program = await self.repo.program(workout.program_id)
        if item is None or program is None:
            return []
        used = {i.exercise_id for i in workout.items}
        return [
            e
            for e in allowed_alternatives(item.exercise_id, program.profile, self.library)
            if e.id not in used
        ]

    # --- changing the workout ---------------------------------------------------------------

    async def log(self, user_id: int, text: str, source: Source | None = None) -> Logged:
        """Log what the user typed against the current exercise (SetLogError if unreadable).

        AlreadyLogged if this message was logged before; NeedsWeight if a loaded exercise's
        sets came without a load.
        """
        workout = await self._active(user_id)
        item = workout.current
        assert item is not None
        exercise = self.library.exercises[item.exercise_id]
        if source is not None and (done := await self.already(user_id, source)) is not None:
            raise AlreadyLogged(exercise, [e.set for e in done])
        units = await self.units(user_id)
        try:
            parsed = parse_line(text, units)
        except SetLogError:  # 'pull-ups 4x8 bw' names the exercise too: read it as a log line
            line = read_log_line(text, list(self.library.exercises.values()), units)
            if line is None or exercise.id not in line.candidates:
                raise
            parsed = ParsedLine(line.sets, line.weighed)
        if needs_weight(exercise) and not parsed.weighed:
            known = await self.known_weight(user_id, exercise.id)
            raise NeedsWeight(exercise, parsed.sets, known)
        return await self._record(workout, item, parsed.sets, source)

    async def log_at(
        self, user_id: int, sets: list[LoggedSet], weight_kg: float, source: Source
    ) -> Logged:
        """Log sets that came without a weight, now that the lifter named it."""
        workout = await self._active(user_id)
        item = workout.current
        assert item is not None
        weighed = [s.model_copy(update={"weight_kg": weight_kg, "added": False}) for s in sets]
        return await self._record(workout, item, weighed, source)

    def for_exercise(self, exercise_id: str, sets: list[LoggedSet]) -> list[LoggedSet]:
        """Sets as this exercise means them: on a bodyweight lift a weight is added weight."""
        return as_logged(self.library.exercises[exercise_id], sets)

    async def as_planned(self, user_id: int, source: Source | None = None) -> Logged | Workout:
        """'Done as planned': log the remaining sets at their rep targets, or tick the item off."""
        workout = await self._active(user_id)
        item = workout.current
        assert item is not None
        if item.tick_off:
            workout = wk.tick_off(workout)
            await self.workouts.save(workout, self.clock())
            return workout
        target = await self.target(user_id, item, workout.light)
        exercise = self.library.exercises[item.exercise_id]
        if not plannable(exercise, item, target):
            raise NeedsNumbers(exercise.name)
        if source is not None and (done := await self.already(user_id, source)) is not None:
            raise AlreadyLogged(exercise, [e.set for e in done])
        sets = planned_sets(
            exercise, target.weight_kg, list(target.rep_targets), item.logged, item.needed
        )
        return await self._record(workout, item, sets, source)

    async def _record(
        self,
        workout: Workout,
        item: WorkoutItem,
        sets: list[LoggedSet],
        source: Source | None = None,
    ) -> Logged:
        exercise = self.library.exercises[item.exercise_id]
        sets = as_logged(exercise, sets)
        weights = [s.weight_kg for s in sets if s.weight_kg is not None and not s.added]
        stored = await self.workouts.target(workout.user_id, exercise.id)
        if needs_weight(exercise) and stored is None and weights and not workout.light:
            await self.set_start(workout.user_id, item, max(weights))  # what was lifted first
        max_item = any(s.kind is SetKind.MAX for s in item.sets)
        target = await self.target(workout.user_id, item, workout.light)
        marks = target.aim()
        kind = SetKind.MAX if max_item else SetKind.WORKING
        if max_item:
            sets = [s.model_copy(update={"max_effort": True}) for s in sets]
        updated = wk.record_sets(workout, len(sets))
        source_id = await self.workouts.save(
            updated,
            self.clock(),
            [NewSet(exercise.id, kind, s, marks) for s in sets],
            source,
            workout.position,
        )
        graduated = False
        if max_item and progression.check_graduation(max(s.reps for s in sets)):
            graduated = await self._graduate(workout.user_id, max(s.reps for s in sets))
        return Logged(updated, exercise, sets, graduated, source_id)

    async def _graduate(self, user_id: int, pullups: int) -> bool:
        """The beginner path is over: issue the full program as a new version."""
        current = await self.repo.current_program(user_id)
        if current is None or (current.profile.pullups or 0) >= pullups:
            return False
        profile = current.profile.model_copy(update={"pullups": pullups})
        plan = build_plan(profile, self.library, week=current.plan.week)
        await self.repo.issue_program(user_id, profile, plan, self.clock())
        await self.reminders.replan(user_id, self.clock())
        return True

    async def tick_off(self, user_id: int) -> Workout:
        """The current item is done (warm-up or stretching)."""
        workout = wk.tick_off(await self._active(user_id))
        await self.workouts.save(workout, self.clock())
        return workout

    async def skip(self, user_id: int) -> Workout:
        """Skip the current exercise."""
        workout = wk.skip(await self._active(user_id))
        await self.workouts.save(workout, self.clock())
        return workout

    async def swap(self, user_id: int, exercise_id: str) -> Workout:
        """Do an allowed alternative instead of the current exercise."""
        workout = await self._active(user_id)
        if exercise_id not in {e.id for e in await self.alternatives(user_id, workout)}:
            raise LookupError(exercise_id)
        workout = wk.swap(workout, exercise_id)
        await self.workouts.save(workout, self.clock())
        return workout

    async def end(self, user_id: int, workout_id: int, early: bool) -> Summary:
        """Close the workout, work out next time's targets, and sum it up."""
        workout = await self.workouts.get(workout_id)
        if workout is None or workout.user_id != user_id:
            raise LookupError(workout_id)
        now = self.clock()
        entries = await self.workouts.workout_entries(workout.id)
        if workout.status is WorkoutStatus.ACTIVE:
            status = WorkoutStatus.ENDED_EARLY if early else WorkoutStatus.FINISHED
            workout = workout.model_copy(update={"status": status})
            await self.workouts.save(workout, now)
            if not entries:
                # Nothing logged: it was not a session, so it must not hold back the next.
                await self.reminders.not_trained(
                    user_id, workout.kind, workout.on, now, workout.session_id
                )
        units = await self.units(user_id)
        program = await self.repo.current_program(user_id)
        lines: list[tuple[Exercise, list[LoggedSet], float, str]] = []
        found: list[str] = []
        for exercise_id in dict.fromkeys(e.exercise_id for e in entries):
            exercise = self.library.exercises[exercise_id]
            today = [e.set for e in entries if e.exercise_id == exercise_id]
            history = group_sessions(
                [
                    e
                    for e in await self.workouts.entries(user_id, exercise_id)
                    if e.workout_id != workout.id
                ]
            )
            past = [s for g in history for s in g]
            for record in records.new_records(past, today, units, exercise.assisted):
                found.append(f"{exercise.name}: {record.text}")
            item = next(
                (i for i in workout.items if i.exercise_id == exercise_id and not i.tick_off), None
            )
            next_time = ""
            ruled_out = program is not None and not (
                safety.check_exercise(exercise, program.profile, self.library).allowed
            )
            if ruled_out:
                next_time = _("ruled out by your answers, so no heavier target")
            elif workout.light:
                next_time = _("same target as before: today was a lighter day")
            elif item is not None and not any(s.kind is SetKind.MAX for s in item.sets):
                next_time = await self._update_target(
                    user_id, exercise, item, history, today, units
                )
            # A counterweight helps rather than loads: it is no volume.
            volume = sum(
                s.reps * s.weight_kg
                for s in today
                if s.weight_kg and not s.added and not exercise.assisted
            )
            lines.append((exercise, today, volume, next_time))
        nxt = await self.schedules.open_session(user_id)
        return Summary(workout, lines, found, nxt, await self.timezone(user_id))

    async def close_stale(self) -> list[Summary]:
        """Close workouts still open after the end of their local day, with what was logged."""
        now, closed = self.clock(), []
        for workout in await self.workouts.all_active():
            tz = await self.timezone(workout.user_id)
            if calendar.local_day_end(workout.on, tz) <= now:
                closed.append(await self.end(workout.user_id, workout.id, early=True))
        return closed

    async def _update_target(
        self,
        user_id: int,
        exercise: Exercise,
        item: WorkoutItem,
        history: list[list[LoggedSet]],
        today: list[LoggedSet],
        units: Units,
    ) -> str:
        current = await self.target(user_id, item)
        suggestion = progression.suggest(
            exercise, item.sets, current.weight_kg, [*history, today], units
        )
        await self.workouts.set_target(
            user_id,
            exercise.id,
            Target(
                suggestion.weight_kg,
                suggestion.reps_min,
                suggestion.reps_max,
                suggestion.below_streak,
                suggestion.explanation,
                tuple(suggestion.rep_targets),
            ),
            self.clock(),
        )
        return suggestion.explanation

    async def _active(self, user_id: int) -> Workout:
        workout = await self.workouts.active(user_id)
        if workout is None:
            raise LookupError(user_id)
        return workout

    # --- logging outside a workout ----------------------------------------------------------

    async def read_line(self, user_id: int, text: str) -> LogLine | None:
        """Read 'exercise sets' typed outside a workout."""
        return read_log_line(text, list(self.library.exercises.values()), await self.units(user_id))

    async def log_outside(
        self,
        user_id: int,
        exercise_id: str,
        sets: list[LoggedSet],
        source: Source | None = None,
    ) -> int | None:
        """Store sets logged outside a guided workout; returns the log source's id."""
        exercise = self.library.exercises[exercise_id]
        sets = as_logged(exercise, sets)
        stored = await self.workouts.target(user_id, exercise_id)
        marks = stored.aim() if stored else SetAim()
        return await self.workouts.log_outside(
            user_id, exercise.id, sets, marks, self.clock(), source
        )

    async def program(self, user_id: int) -> IssuedProgram | None:
        """The user's current program."""
        return await self.repo.current_program(user_id)
