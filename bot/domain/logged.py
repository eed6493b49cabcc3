"""Logged sets as the core knows them: one set as done, an entry in the log, where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import Field, field_validator, model_validator

from bot.domain.models import Frozen, SetKind

MAX_WEIGHT_KG = 500
MAX_REPS = 100
MAX_SETS = 20
MAX_DECIMALS = 6  # the kg grid: 0.000001 kg


MAX_RPE = 10
MAX_RIR = 10


class LoggedSet(Frozen):
    """One set as done: reps, and the weight (None: bodyweight only; added: on top of it)."""

    reps: int = Field(ge=1, le=MAX_REPS)
    weight_kg: float | None = None
    added: bool = False  # the weight is added to bodyweight (a belt on pull-ups)
    max_effort: bool = False  # an all-out set
    rpe: float | None = Field(default=None, ge=1, le=MAX_RPE)  # how hard, 1-10 in halves
    rir: int | None = Field(default=None, ge=0, le=MAX_RIR)  # reps left in the tank

    @field_validator("rpe")
    @classmethod
    def _half_steps(cls, value: float | None) -> float | None:
        """RPE goes in half steps, as lifters rate it."""
        if value is not None and value * 2 != int(value * 2):
            raise ValueError("RPE goes in half steps")
        return value

    @field_validator("weight_kg")
    @classmethod
    def _on_grid(cls, value: float | None) -> float | None:
        """Weights sit on the 0.000001 kg grid, above 0 and at most 500 kg."""
        if value is None:
            return None
        rounded = round(value, MAX_DECIMALS)
        if not 0 < rounded <= MAX_WEIGHT_KG:
            raise ValueError(f"weight must be above 0 and at most {MAX_WEIGHT_KG} kg")
        return rounded

    @model_validator(mode="after")
    def _added_needs_weight(self) -> LoggedSet:
        """An added-weight set names the weight."""
        if self.added and self.weight_kg is None:
            raise ValueError("an added-weight set needs a weight")
        return self


@dataclass(frozen=True)
class Source:
    """Where logged sets came from: a message (chat and message id) or a button's update."""

    update_id: int | None
    chat_id: int | None = None
    message_id: int | None = None
    text: str = ""
    sent_at: int | None = None  # the message's Unix time (ids can repeat, e.g. a test stand-in)


@dataclass(frozen=True)
class LoggedEntry:
    """A logged set with when and where it was logged."""

    exercise_id: str
    kind: SetKind
    set: LoggedSet
    workout_id: int | None
    logged_at: datetime
    id: int = 0
    source_id: int | None = None
    item_index: int | None = None
