"""The back check before a session: store the answer, and start the session it allows, at once.

Storing the answer and starting the workout are one transaction, so the update that answers
the check commits once: a crash cannot keep the answer and lose the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.safety import BackFeeling, Block, Gate
from bot.domain.workouts import Workout
from bot.services.safety import PAINFUL, BackCheckResult, Safety
from bot.services.workouts import NoProgram, Workouts


class Outcome(StrEnum):
    """Where an answer to the back check leads."""

    PAINFUL = "painful"  # it hurts or a warning sign: stored, postponed or paused
    REFUSED = "refused"  # the gate is closed
    IN_PROGRESS = "in-progress"  # a session is already under way today
    NOT_TODAY = "not-today"  # the rest rule (or pain earlier today) says no
    NO_PROGRAM = "no-program"  # nothing to train from
    STARTED = "started"  # the session started (lighter on a stiff day)


@dataclass(frozen=True)
class CheckAnswer:
    """The outcome, with what the reply needs for it."""

    outcome: Outcome
    gate: Gate
    result: BackCheckResult | None = None  # PAINFUL, STARTED
    workout: Workout | None = None  # STARTED: the new session; PAINFUL: the one still open
    why: str = ""  # NOT_TODAY


class BackChecks:
    """Answers to 'how is your back today?'."""

    def __init__(self, safety: Safety, sessions: Workouts) -> None:
        self.safety, self.sessions = safety, sessions
        self.db = safety.store.db

    async def answer(
        self, user_id: int, feeling: BackFeeling, session_id: int | None
    ) -> CheckAnswer:
        """A painful answer is always stored and acted on, even on an old or repeated question;
        a session only starts when the gate, today's answers and the rest rule all allow it."""
        safety = self.safety
        gate = await safety.gate(user_id)
        if feeling in PAINFUL and gate.block is not Block.URGENT:
            result = await safety.back_check(user_id, feeling, session_id)
            running = await safety.in_progress(user_id)
            return CheckAnswer(Outcome.PAINFUL, gate, result, running)
        if not gate.open:
            return CheckAnswer(Outcome.REFUSED, gate)
        if await safety.in_progress(user_id) is not None:
            return CheckAnswer(Outcome.IN_PROGRESS, gate)
        fits = await safety.train_today(user_id)
        if fits.kind is None:
            return CheckAnswer(Outcome.NOT_TODAY, gate, why=fits.why)
        async with self.db.transaction():
            result = await safety.back_check(user_id, feeling, session_id)
            try:
                workout = await self.sessions.start(
                    user_id, session_id, light=result.decision.light
                )
            except NoProgram:
                return CheckAnswer(Outcome.NO_PROGRAM, gate, result)
        return CheckAnswer(Outcome.STARTED, gate, result, workout)
