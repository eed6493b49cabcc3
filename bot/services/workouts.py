"""Workout use cases: start, log sets, tick off, skip, swap, end, and what to lift next time."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from bot.domain import calendar, safety
from bot.domain import workouts as wk
from bot.domain.accounts import Units
from bot.domain.models import DayKind, Exercise
from bot.domain.programs import allowed_alternatives, build_plan
from bot.domain.safety import RuleCheck
from bot.domain.setlog import LoggedSet
from bot.domain.setrender import render_sets
from bot.domain.starts import as_logged, starting_weights
from bot.domain.targets import Target
from bot.domain.workouts import Workout, WorkoutItem
from bot.services import logged, targets
from bot.services.cards import Card, build_card
from bot.services.logged import NeedsWeight
from bot.services.summary import Closing
from bot.storage.logs import LogRepo
from bot.storage.workouts import Source

log = logging.getLogger(__name__)


WEIGHT_FLOW = "weight"  # sets came without a weight: waiting for it


@dataclass(frozen=True)
class WeightQuestion:
    """Sets kept aside until the lifter names their weight, and the weights to offer."""

    exercise: Exercise
    sets: list[LoggedSet]
    options: list[float]  # one: last time's weight; several: first weights to pick from
    nonce: str  # ties a tapped answer to this question
    units: Units


@dataclass(frozen=True)
class Dropped:
    """A workout after the exercises the answers now rule out were skipped."""

    workout: Workout
    checks: list[RuleCheck]  # why each was taken out ([]: nothing changed)


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


class Workouts(Closing):
    """Guided workouts over storage, the coaching core and the calendar.

    Ending a workout and summing it up (end, close_stale) come from Closing.
    """

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

    async def card(self, workout: Workout) -> Card | None:
        """The current exercise's card (None: the workout is through)."""
        item = workout.current
        if item is None:
            return None
        units = await self.units(workout.user_id)
        if item.tick_off:
            return build_card(self.library, workout, None, [], None, units)
        stored = await self.workouts.target(workout.user_id, item.exercise_id)
        entries = await self.workouts.entries(workout.user_id, item.exercise_id)
        profile = None
        if targets.fitted(stored, self.library, units, item, workout.light).weight_kg is None:
            program = await self.repo.current_program(workout.user_id)  # for first weights
            profile = program.profile if program is not None else None
        return build_card(self.library, workout, stored, entries, profile, units)

    async def drop_ruled_out(self, workout: Workout) -> Dropped:
        """Skip what the user's answers now rule out (they changed mid-session)."""
        program = await self.repo.current_program(workout.user_id)
        checks = logged.ruled_out(self.library, program.profile if program else None, workout)
        if not checks:
            return Dropped(workout, [])
        updated, _ = wk.skip_ruled_out(workout, {c.exercise.id for c in checks})
        await self.workouts.save(updated, self.clock())
        return Dropped(updated, checks)

    async def ask_weight(self, user_id: int, asked: NeedsWeight, source: Source) -> WeightQuestion:
        """Keep sets that came without a weight aside (with where they came from) and say
        which weights to offer: last time's, else the first weights a card would."""
        units = await self.units(user_id)
        active = await self.workouts.active(user_id)
        nonce = secrets.token_hex(3)
        state = {
            "nonce": nonce,
            "exercise_id": asked.exercise.id,
            "sets": render_sets(asked.sets, units),
            "workout_id": active.id if active is not None else None,
            "position": active.position if active is not None else None,
            "update_id": source.update_id,
            "chat_id": source.chat_id,
            "message_id": source.message_id,
            "text": source.text,
            "sent_at": source.sent_at,
        }
        await self.repo.save_conversation(user_id, WEIGHT_FLOW, state, self.clock())
        options = [asked.known] if asked.known is not None else []
        program = await self.repo.current_program(user_id)
        if not options and program is not None:  # never lifted: what a card would offer
            check = safety.check_exercise(asked.exercise, program.profile, self.library)
            if check.allowed:  # never suggest weights for a ruled-out lift
                options = starting_weights(asked.exercise, program.profile.level, units)
        return WeightQuestion(asked.exercise, asked.sets, options, nonce, units)

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

    def for_exercise(self, exercise_id: str, sets: list[LoggedSet]) -> list[LoggedSet]:
        """Sets as this exercise means them: on a bodyweight lift a weight is added weight."""
        return as_logged(self.library.exercises[exercise_id], sets)

    async def graduate(self, user_id: int, pullups: int) -> bool:
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

    async def _active(self, user_id: int) -> Workout:
        workout = await self.workouts.active(user_id)
        if workout is None:
            raise LookupError(user_id)
        return workout
