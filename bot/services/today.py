"""/today as one use case: the gate, the workout in progress, today's session, or what fits."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain import calendar
from bot.domain.safety import Gate, TrainToday
from bot.domain.sessions import Session
from bot.domain.workouts import Workout
from bot.services.safety import Safety


@dataclass(frozen=True)
class Today:
    """What /today shows, decided in this order: a closed gate, the workout in progress,
    today's session (due_today: ask the back check), else the next one and what fits now."""

    gate: Gate
    active: Workout | None = None
    session: Session | None = None  # the next open session
    timezone: str = "UTC"
    due_today: bool = False
    fits: TrainToday | None = None


class TodayCase:
    """Answers /today (and 'where am I?') from the safety rules and the stored state."""

    def __init__(self, safety: Safety) -> None:
        self.safety = safety

    async def today(self, user_id: int) -> Today:
        """What the user may do today; a closed gate ends the question first."""
        svc = self.safety
        gate = await svc.gate(user_id)
        if not gate.open:
            return Today(gate)
        active = await svc.active(user_id)
        if active is not None:
            return Today(gate, active=active)
        tz = await svc.timezone(user_id)
        session = await svc.schedules.open_session(user_id)
        if session is not None and session.on == calendar.local_date(svc.clock(), tz):
            return Today(gate, session=session, timezone=tz, due_today=True)
        fits = await svc.train_today(user_id)
        return Today(gate, session=session, timezone=tz, fits=fits)
