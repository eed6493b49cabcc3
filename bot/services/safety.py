"""Safety use cases: the gate before training, the back check, pain, exclusions, check-ins."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.domain import calendar, safety
from bot.domain import workouts as wk
from bot.domain.accounts import IssuedProgram
from bot.domain.models import DayKind, Exercise, Library, Plan
from bot.domain.programs import build_plan, pain_alternatives
from bot.domain.safety import BackDecision, BackFeeling, Gate, RuleCheck, TrainToday
from bot.domain.sessions import PauseReason, Session
from bot.domain.workouts import ItemStatus, Workout
from bot.i18n import _
from bot.services.reminders import NotYours, Reminders
from bot.storage.repo import Repo
from bot.storage.safety import SafetyRepo
from bot.storage.schedules import ScheduleRepo
from bot.storage.workouts import WorkoutRepo

log = logging.getLogger(__name__)

CHECKIN_AFTER = timedelta(days=3)
PAINFUL = (BackFeeling.HURTS, BackFeeling.RED_FLAG)
PAIN_TWICE = 2


@dataclass(frozen=True)
class BackCheckResult:
    """What the back check decided, and the next session if today's was moved."""

    decision: BackDecision
    next_session: Session | None = None
    timezone: str = "UTC"
    moved: bool = False  # today's planned session moved to the next rested day


@dataclass(frozen=True)
class PainResult:
    """An exercise hurt: what was stopped, how often it has hurt, what could replace it."""

    workout: Workout
    exercise: Exercise
    hurt_position: int
    times: int  # how often this exercise has hurt this user, this time included
    options: list[Exercise]  # allowed exercises of the same day and another pattern
    excluded: bool = False  # already left out of the program (no need to ask again)


class Opening(StrEnum):
    """What Start on a reminder leads to."""

    REFUSED = "refused"  # the gate is closed: say why
    RESUME = "resume"  # today's session is already under way
    BACK_CHECK = "back-check"  # ask how the back is first


@dataclass(frozen=True)
class Resumed:
    """Reminders are on again: the next session, in the user's timezone."""

    next_session: Session | None
    timezone: str
    was_blocked: bool = False  # the user had blocked the bot


@dataclass(frozen=True)
class StartAnswer:
    """Start on a reminder: what comes next, and the gate that decided it."""

    opening: Opening
    gate: Gate


class Safety:
    """The safety rules applied to one user's stored state."""

    def __init__(
        self,
        repo: Repo,
        schedules: ScheduleRepo,
        workouts: WorkoutRepo,
        store: SafetyRepo,
        reminders: Reminders,
        library: Library,
        clock: Clock,
        default_timezone: str,
    ) -> None:
        self.repo, self.schedules, self.workouts, self.store = repo, schedules, workouts, store
        self.reminders, self.library, self.clock = reminders, library, clock
        self.default_timezone = default_timezone

    async def gate(self, user_id: int) -> Gate:
        """May this user start a loaded session, set a schedule or get reminders?"""
        return await self._gate(user_id, await self.repo.current_program(user_id))

    async def _gate(self, user_id: int, program: IssuedProgram | None) -> Gate:
        saved = await self.schedules.schedule(user_id)
        paused = saved.paused if saved else None
        return safety.gate(program.plan if program else None, paused, self.library)

    async def check(self, user_id: int, exercise_id: str) -> RuleCheck | None:
        """What the user's current answers say about an exercise (None: no answers yet)."""
        program = await self.repo.current_program(user_id)
        exercise = self.library.exercises.get(exercise_id)
        if program is None or exercise is None:
            return None
        return safety.check_exercise(exercise, program.profile, self.library)

    async def checks(self, user_id: int) -> list[RuleCheck]:
        """What the user's current answers say about every exercise (empty: no answers yet)."""
        program = await self.repo.current_program(user_id)
        if program is None:
            return []
        return [
            safety.check_exercise(e, program.profile, self.library)
            for e in self.library.exercises.values()
        ]

    async def ruled_out_alternatives(self, user_id: int, exercise_id: str) -> list[RuleCheck]:
        """Exercises of the same pattern and day that the user's answers rule out."""
        program = await self.repo.current_program(user_id)
        ex = self.library.exercises.get(exercise_id)
        if program is None or ex is None:
            return []
        same = [
            e
            for e in self.library.exercises.values()
            if e.pattern is ex.pattern and e.day is ex.day and e.id != ex.id
        ]
        checks = [safety.check_exercise(e, program.profile, self.library) for e in same]
        return [c for c in checks if not c.allowed]

    async def program(self, user_id: int) -> IssuedProgram | Gate | None:
        """/program: the current program, why there is none to train from, or None."""
        issued = await self.repo.current_program(user_id)
        if issued is None:
            return None
        gate = await self._gate(user_id, issued)
        return issued if gate.open else gate

    async def current_plan(self, user_id: int) -> Plan | None:
        """The plan of the user's current program (its reasons explain it), or None."""
        issued = await self.repo.current_program(user_id)
        return issued.plan if issued else None

    async def active(self, user_id: int) -> Workout | None:
        """The workout the user has open, whatever day it started."""
        return await self.workouts.active(user_id)

    async def start_from_reminder(self, user_id: int, session_id: int) -> StartAnswer:
        """Start on a reminder: NotYours if it is no longer open; else the gate decides."""
        await self.reminders.session_for(user_id, session_id)
        gate = await self.gate(user_id)
        if not gate.open:
            return StartAnswer(Opening.REFUSED, gate)
        if await self.in_progress(user_id) is not None:
            return StartAnswer(Opening.RESUME, gate)
        return StartAnswer(Opening.BACK_CHECK, gate)

    async def resume_reminders(self, user_id: int) -> Resumed | Gate | None:
        """/resume: reminders on from today; a medical pause only lifts with the doctor's OK
        (the gate says so); None without a schedule."""
        saved = await self.schedules.schedule(user_id)
        if saved is None:
            return None
        if saved.paused is PauseReason.MEDICAL:
            return await self.gate(user_id)
        nxt = await self.reminders.resume(user_id, self.clock())
        return Resumed(
            nxt, saved.schedule.timezone, was_blocked=saved.paused is PauseReason.BLOCKED
        )

    async def timezone(self, user_id: int) -> str:
        """The user's IANA timezone."""
        user = await self.repo.get_user(user_id)
        return user.timezone if user and user.timezone else self.default_timezone

    # --- training today ----------------------------------------------------------------------

    async def in_progress(self, user_id: int) -> Workout | None:
        """Today's workout still open (one left open on an earlier day no longer counts)."""
        active = await self.workouts.active(user_id)
        if active is None:
            return None
        today = calendar.local_date(self.clock(), await self.timezone(user_id))
        return active if active.on >= today else None

    async def last_session(self, user_id: int) -> tuple[date | None, DayKind]:
        """The last session's local date and whose turn it is, from every record of training."""
        saved = await self.schedules.schedule(user_id)
        recent = await self.workouts.recent(user_id, limit=1)
        return safety.last_session(
            saved.progress.last_done_on if saved else None,
            saved.progress.next_kind if saved else DayKind.UPPER,
            (recent[0].on, recent[0].kind) if recent else None,
        )

    async def train_today(self, user_id: int) -> TrainToday:
        """Which day of the split 'Train now' may start today, from every record of training."""
        now = self.clock()
        tz = await self.timezone(user_id)
        today = calendar.local_date(now, tz)
        last, next_kind = await self.last_session(user_id)
        if any(f in PAINFUL for f in await self.store.feelings_on(user_id, today)):
            why = _("Your back hurt earlier today, so no training today. Rest it.")
            return TrainToday(None, why)
        return safety.train_today(last, next_kind, today)

    # --- the back check ----------------------------------------------------------------------

    async def back_check(
        self, user_id: int, feeling: BackFeeling, session_id: int | None
    ) -> BackCheckResult:
        """Store today's answer and act on it: postpone, pause, or let the session start."""
        now = self.clock()
        tz = await self.timezone(user_id)
        today = calendar.local_date(now, tz)
        async with self.store.db.transaction():  # the answer and what it moved: one commit
            earlier = await self.store.add_back_check(user_id, today, feeling, session_id, now)
            decision = safety.decide(feeling, safety.worst_per_day(earlier, today))
            nxt: Session | None = None
            moved = False
            if decision.postpone:
                # Today's session moves, whichever question was answered: a newer one, an old one.
                session = await self.schedules.open_session(user_id)
                if session is not None and session.on == today:
                    try:
                        nxt = await self.reminders.skip(user_id, session.id, now)
                        moved = True
                    except NotYours:
                        pass
                nxt = nxt or await self.schedules.open_session(user_id)
            if decision.pause and await self.schedules.set_paused(
                user_id, PauseReason.MEDICAL, now
            ):
                log.info("reminders paused after a warning sign at a back check")
        return BackCheckResult(decision, None if decision.pause else nxt, tz, moved)

    async def cleared(self, user_id: int) -> Resumed | None:
        """The user says a doctor cleared them after a medical pause: reminders start again
        (None: they were not paused for their health)."""
        now = self.clock()
        saved = await self.schedules.schedule(user_id)
        if saved is None or saved.paused is not PauseReason.MEDICAL:
            return None
        async with self.store.db.transaction():
            await self.schedules.set_paused(user_id, None, now)
            nxt = await self.reminders.replan(user_id, now)
        return Resumed(nxt, saved.schedule.timezone)

    # --- pain during an exercise -------------------------------------------------------------

    async def pain(self, user_id: int, workout_id: int, position: int) -> PainResult:
        """The current exercise hurt: stop it, record it, and find what may replace it."""
        workout = await self.workouts.active(user_id)
        if workout is None or workout.id != workout_id or workout.position != position:
            raise LookupError(workout_id)
        item = workout.current
        assert item is not None
        stopped = wk.stop_hurt(workout)
        async with self.store.db.transaction():  # one commit: the stop and the record of pain
            await self.workouts.save(stopped, self.clock())
            times = await self.store.add_pain(user_id, item.exercise_id, workout.id, self.clock())
        exercise = self.library.exercises[item.exercise_id]
        options = await self.pain_options(user_id, stopped, position)
        program = await self.repo.current_program(user_id)
        excluded = program is not None and exercise.id in program.profile.excluded
        return PainResult(stopped, exercise, position, times, options, excluded)

    async def pain_options(self, user_id: int, workout: Workout, position: int) -> list[Exercise]:
        """Allowed exercises of the same day that avoid the painful exercise's pattern."""
        program = await self.repo.current_program(user_id)
        if program is None or not 0 <= position < len(workout.items):
            return []
        hurt = workout.items[position].exercise_id
        taken = frozenset(i.exercise_id for i in workout.items)
        out = pain_alternatives(hurt, program.profile, self.library, taken)
        return out[:4]

    async def replace_hurt(
        self, user_id: int, workout_id: int, position: int, exercise_id: str
    ) -> Workout | Gate:
        """Do an allowed exercise of another pattern in place of the one that hurt; the closed
        gate if the user may not train now; LookupError if the option is no longer open."""
        gate = await self.gate(user_id)
        if not gate.open:
            return gate
        workout = await self.workouts.active(user_id)
        if workout is None or workout.id != workout_id or not 0 <= position < len(workout.items):
            raise LookupError(workout_id)
        if workout.items[position].status is not ItemStatus.HURT:
            raise LookupError(position)
        if position + 1 < len(workout.items) and (
            workout.items[position + 1].planned_id == workout.items[position].planned_id
        ):
            raise LookupError(position)  # already replaced once
        allowed = {e.id for e in await self.pain_options(user_id, workout, position)}
        if exercise_id not in allowed:
            raise LookupError(exercise_id)
        updated = wk.replace_hurt(workout, position, exercise_id)
        await self.workouts.save(updated, self.clock())
        return updated

    async def exclude(self, user_id: int, exercise_id: str) -> bool:
        """Leave an exercise out from now on: a new program version without it."""
        program = await self.repo.current_program(user_id)
        if program is None or exercise_id not in self.library.exercises:
            return False
        if exercise_id in program.profile.excluded:
            return False
        profile = program.profile.model_copy(
            update={"excluded": program.profile.excluded | {exercise_id}}
        )
        now = self.clock()
        plan = build_plan(profile, self.library, week=program.plan.week)
        async with self.store.db.transaction():  # the new version and its next session
            await self.repo.issue_program(user_id, profile, plan, now)
            await self.reminders.replan(user_id, now)
        return True

    # --- check-ins after pain at set-up ------------------------------------------------------

    async def request_checkin(self, user_id: int) -> None:
        """Check in with the user in a few days."""
        now = self.clock()
        await self.store.set_checkin(user_id, now + CHECKIN_AFTER, now)

    async def due_checkins(self) -> list[tuple[int, int]]:
        """Check-ins due now, (user id, chat id), each handed out once."""
        return await self.store.claim_due_checkins(self.clock())
