"""Workout use cases: start, log sets, tick off, skip, swap, end, and what to lift next time."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.clock import Clock
from bot.domain import calendar, progression, safety
from bot.domain import workouts as wk
from bot.domain.accounts import IssuedProgram, Units
from bot.domain.lognames import LogLine, read_log_line
from bot.domain.models import DayKind, Exercise, Library, LoadKind, Property, SetKind
from bot.domain.programs import allowed_alternatives, build_plan
from bot.domain.sessions import Session
from bot.domain.setlog import LoggedSet, parse_sets
from bot.domain.workouts import Workout, WorkoutItem, WorkoutStatus
from bot.services.reminders import Reminders
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo
from bot.storage.workouts import LoggedEntry, Target, WorkoutRepo

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
            wk.items_from_day(day),
            now,
            light=light,
        )

    async def _kind(self, user_id: int) -> DayKind:
        """Whose turn it is: the schedule's next day, else the other of the last workout."""
        saved = await self.schedules.schedule(user_id)
        recent = await self.workouts.recent(user_id, limit=1)
        if recent and (
            saved is None or saved[1].last_done_on is None or recent[0].on > saved[1].last_done_on
        ):
            return calendar.other_kind(recent[0].kind)
        return saved[1].next_kind if saved else DayKind.UPPER

    # --- the current exercise ---------------------------------------------------------------

    async def target(self, user_id: int, item: WorkoutItem, light: bool = False) -> Target:
        """Today's target for an item: the stored one, or a first suggestion; lighter on a
        stiff-back day."""
        target = await self.workouts.target(user_id, item.exercise_id)
        exercise = self.library.exercises[item.exercise_id]
        if target is None:
            first = progression.first_weight(exercise, item.sets, await self.units(user_id))
            target = Target(first.weight_kg, first.reps_min, first.reps_max, 0, first.explanation)
        if not light or target.weight_kg is None:
            return target
        share = self.library.safety.back_check.stiff_load
        lighter = safety.light_weight(exercise, target.weight_kg, share, await self.units(user_id))
        axial = Property.AXIAL_LOAD in exercise.properties
        why = (
            "Stiff back: warm-up weight only today on this one."
            if axial
            else f"Stiff back: about {round(share * 100)} % of your usual weight today."
        )
        return Target(lighter, target.reps_min, target.reps_max, target.below_streak, why)

    async def last_time(self, user_id: int, exercise_id: str) -> list[LoggedSet]:
        """The working sets of the most recent time this exercise was logged."""
        entries = await self.workouts.entries(user_id, exercise_id)
        groups = _group(entries)
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

    async def log(self, user_id: int, text: str) -> Logged:
        """Log what the user typed against the current exercise (SetLogError if unreadable)."""
        workout = await self._active(user_id)
        item = workout.current
        assert item is not None
        units = await self.units(user_id)
        sets = parse_sets(text, units)
        return await self._record(workout, item, sets)

    async def as_planned(self, user_id: int) -> Logged | Workout:
        """'Done as planned': log the remaining sets at today's target, or tick the item off."""
        workout = await self._active(user_id)
        item = workout.current
        assert item is not None
        if item.tick_off:
            workout = wk.tick_off(workout)
            await self.workouts.save(workout, self.clock())
            return workout
        target = await self.target(user_id, item, workout.light)
        exercise = self.library.exercises[item.exercise_id]
        loaded = exercise.load not in (LoadKind.BODYWEIGHT, LoadKind.NONE)
        if target.weight_kg is None and loaded:
            raise NeedsNumbers(exercise.name)
        max_set = any(s.kind is SetKind.MAX for s in item.sets)
        reps = target.reps_max or target.reps_min
        added = exercise.load is LoadKind.BODYWEIGHT
        sets = [
            LoggedSet(
                reps=reps,
                weight_kg=target.weight_kg,
                added=added and target.weight_kg is not None,
                max_effort=max_set,
            )
            for _ in range(max(item.needed - item.logged, 1))
        ]
        return await self._record(workout, item, sets)

    async def _record(self, workout: Workout, item: WorkoutItem, sets: list[LoggedSet]) -> Logged:
        exercise = self.library.exercises[item.exercise_id]
        max_item = any(s.kind is SetKind.MAX for s in item.sets)
        target = await self.target(workout.user_id, item, workout.light)
        marks = (target.reps_min, target.reps_max, target.weight_kg)
        kind = SetKind.MAX if max_item else SetKind.WORKING
        if max_item:
            sets = [s.model_copy(update={"max_effort": True}) for s in sets]
        updated = wk.record_sets(workout, len(sets))
        await self.workouts.save(
            updated, self.clock(), [(exercise.id, kind, s, marks) for s in sets]
        )
        graduated = False
        if max_item and progression.check_graduation(max(s.reps for s in sets)):
            graduated = await self._graduate(workout.user_id, max(s.reps for s in sets))
        return Logged(updated, exercise, sets, graduated)

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
        lines, records = [], []
        for exercise_id in dict.fromkeys(e.exercise_id for e in entries):
            exercise = self.library.exercises[exercise_id]
            today = [e.set for e in entries if e.exercise_id == exercise_id]
            history = _group(
                [
                    e
                    for e in await self.workouts.entries(user_id, exercise_id)
                    if e.workout_id != workout.id
                ]
            )
            for record in progression.new_records([s for g in history for s in g], today, units):
                records.append(f"{exercise.name}: {record.text}")
            item = next(
                (i for i in workout.items if i.exercise_id == exercise_id and not i.tick_off), None
            )
            next_time = ""
            ruled_out = program is not None and not (
                safety.check_exercise(exercise, program.profile, self.library).allowed
            )
            if ruled_out:
                next_time = "ruled out by your answers, so no heavier target"
            elif workout.light:
                next_time = "same target as before: today was a lighter day"
            elif item is not None and not any(s.kind is SetKind.MAX for s in item.sets):
                next_time = await self._update_target(
                    user_id, exercise, item, history, today, units
                )
            volume = sum(s.reps * s.weight_kg for s in today if s.weight_kg and not s.added)
            lines.append((exercise, today, volume, next_time))
        nxt = await self.schedules.open_session(user_id)
        return Summary(workout, lines, records, nxt, await self.timezone(user_id))

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

    async def log_outside(self, user_id: int, exercise_id: str, sets: list[LoggedSet]) -> None:
        """Store sets logged outside a guided workout."""
        exercise = self.library.exercises[exercise_id]
        stored = await self.workouts.target(user_id, exercise_id)
        marks = (
            (stored.reps_min, stored.reps_max, stored.weight_kg) if stored else (None, None, None)
        )
        await self.workouts.log_outside(user_id, exercise.id, sets, marks, self.clock())

    async def program(self, user_id: int) -> IssuedProgram | None:
        """The user's current program."""
        return await self.repo.current_program(user_id)

    async def recent(self, user_id: int) -> list[tuple[Workout, list[tuple[str, list[LoggedSet]]]]]:
        """The last workouts with their logged sets per exercise."""
        out = []
        for workout in await self.workouts.recent(user_id):
            entries = await self.workouts.workout_entries(workout.id)
            per: dict[str, list[LoggedSet]] = {}
            for e in entries:
                per.setdefault(e.exercise_id, []).append(e.set)
            out.append((workout, [(self.library.exercises[k].name, v) for k, v in per.items()]))
        return out


def _group(entries: list[LoggedEntry]) -> list[list[LoggedSet]]:
    """Working sets grouped per workout (or per day when logged outside one), oldest first."""
    groups: dict[object, list[LoggedSet]] = {}
    for e in entries:
        if e.kind is SetKind.WARMUP:
            continue  # warm-up sets never count
        key = e.workout_id if e.workout_id is not None else e.logged_at.date()
        groups.setdefault(key, []).append(e.set)
    return list(groups.values())
