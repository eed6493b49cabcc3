"""Closing a workout: next time's targets, new records, and the summary of what was done."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.domain import calendar, progression, records, safety
from bot.domain.accounts import Units
from bot.domain.logged import LoggedSet
from bot.domain.models import Exercise, Library, SetKind
from bot.domain.sessions import Session
from bot.domain.targets import Target
from bot.domain.workouts import Workout, WorkoutItem, WorkoutStatus
from bot.i18n import _
from bot.services import targets
from bot.services.logged import group_sessions
from bot.services.reminders import Reminders
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo
from bot.storage.workouts import WorkoutRepo


@dataclass(frozen=True)
class SummaryLine:
    """One exercise in the end-of-session summary."""

    exercise: Exercise
    sets: list[LoggedSet]
    volume_kg: float
    next_time: str  # what next time's target is and why ("" when unchanged)


@dataclass(frozen=True)
class Summary:
    """The end of a workout."""

    workout: Workout
    lines: list[SummaryLine]
    records: list[str]
    next_session: Session | None
    timezone: str


@dataclass(frozen=True)
class UnitsAnswer:
    """What /units did: the units now in use, and whether they just changed."""

    units: Units
    changed: bool


class Closing:
    """Ends workouts and sums them up."""

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

    async def choose_units(
        self, user_id: int, chat_id: int, first_name: str, wanted: str
    ) -> UnitsAnswer:
        """/units: switch to 'kg' or 'lb', or (anything else) say which is in use; one commit."""
        now = self.clock()
        async with self.repo.db.transaction():
            user = await self.repo.upsert_user(user_id, chat_id, first_name, now)
            if wanted not in (Units.KG.value, Units.LB.value):
                return UnitsAnswer(user.units, changed=False)
            await self.repo.set_units(user_id, Units(wanted), now)
        return UnitsAnswer(Units(wanted), changed=True)

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
        lines: list[SummaryLine] = []
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
            lines.append(SummaryLine(exercise, today, volume, next_time))
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
        """Work out and store next time's target from today's sets; returns why."""
        current = await targets.today(self.workouts, self.library, units, user_id, item)
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
