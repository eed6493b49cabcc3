"""Targets: what a user should lift next time on an exercise, and what a set was aimed at."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """What the user should lift next time on one exercise."""

    weight_kg: float | None
    reps_min: int
    reps_max: int | None
    below_streak: int
    explanation: str
    rep_targets: tuple[int, ...] = ()  # one per working set; () from before they existed

    def aim(self) -> SetAim:
        """What a set logged against this target was aimed at."""
        return SetAim(self.reps_min, self.reps_max, self.weight_kg)


@dataclass(frozen=True)
class SetAim:
    """The reps and weight a logged set was aimed at (kept with the set; None: no target)."""

    reps_min: int | None = None
    reps_max: int | None = None
    weight_kg: float | None = None
