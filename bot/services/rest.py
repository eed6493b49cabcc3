"""The rest timer's use case: is the ping still about the set the user is resting for?"""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.workouts import WorkoutRepo


@dataclass(frozen=True)
class RestOver:
    """The rest is over and the workout is where it was: what comes next."""

    exercise_id: str | None  # the next set's exercise (None: the workout has none left)


class RestTimer:
    """Decides, when a rest timer fires, whether the 'rest is over' ping still applies."""

    def __init__(self, workouts: WorkoutRepo) -> None:
        self.workouts = workouts

    async def over(self, user_id: int, workout_id: int, position: int) -> RestOver | None:
        """What the ping names; None when the workout ended or moved on since the timer
        started (the user logged on, skipped or finished first): a ping then would be stale."""
        active = await self.workouts.active(user_id)
        if active is None or active.id != workout_id or active.position != position:
            return None
        item = active.current
        return RestOver(item.exercise_id if item else None)
