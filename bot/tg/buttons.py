"""What a button press means, once decoded: one small type per kind of button."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from bot.domain.onboarding import Event
from bot.domain.safety import BackFeeling

# The closed sets of button actions: the codec decodes only these, so a handler never meets an
# action it does not know (a forged or future one decodes to None: the stale-button reply).
ReminderAction = Literal["start", "snooze", "skip", "move", "move-to"]
WorkoutAction = Literal["done", "skip", "swap", "end", "hurt", "next", "swap-to", "pain-swap"]
REMINDER_ACTIONS: tuple[ReminderAction, ...] = get_args(ReminderAction)
WORKOUT_ACTIONS: tuple[WorkoutAction, ...] = get_args(WorkoutAction)


@dataclass(frozen=True)
class OnboardingButton:
    """A press on an onboarding question's button."""

    nonce: str
    event: Event


@dataclass(frozen=True)
class TechniqueButton:
    """A request for an exercise's technique."""

    exercise_id: str


@dataclass(frozen=True)
class ReminderButton:
    """An answer to a reminder: start, snooze, skip, move (and the day to move to)."""

    session_id: int
    action: ReminderAction
    day: date | None = None


@dataclass(frozen=True)
class ScheduleChange:
    """The 'Change schedule' button."""


@dataclass(frozen=True)
class WorkoutButton:
    """A button on a workout card; position ties it to the exercise it was shown for."""

    workout_id: int
    position: int
    action: WorkoutAction
    exercise_id: str | None = None


@dataclass(frozen=True)
class LogPick:
    """Which exercise an ambiguous log line meant."""

    exercise_id: str


@dataclass(frozen=True)
class TrainNow:
    """Start a workout now, from /today."""


@dataclass(frozen=True)
class StartWeight:
    """A first weight picked on a workout card (tied to the card's workout and position)."""

    workout_id: int
    position: int
    weight_kg: float


@dataclass(frozen=True)
class WeightAnswer:
    """The weight for sets that came without one; the nonce ties it to that question."""

    nonce: str
    weight_kg: float


@dataclass(frozen=True)
class EditLine:
    """'Edit' on a confirmation: retype the line a message logged."""

    source_id: int


@dataclass(frozen=True)
class Why:
    """Show the full reasons behind the program."""


@dataclass(frozen=True)
class CheckIn:
    """Ask the bot to check in again in a few days (after pain at set-up)."""


@dataclass(frozen=True)
class BackCheck:
    """An answer to the pre-session back check; session_id None: from /today or Train now."""

    feeling: BackFeeling
    session_id: int | None


@dataclass(frozen=True)
class Cleared:
    """'A doctor has cleared me' after a medical pause."""


@dataclass(frozen=True)
class ExcludeExercise:
    """Leave an exercise that hurt twice out of the program (with the user's OK)."""

    exercise_id: str
    confirm: bool


@dataclass(frozen=True)
class ChartButton:
    """Which /progress chart to draw: an exercise id, or "volume", "tonnage", "back"."""

    which: str


@dataclass(frozen=True)
class ImportAnswer:
    """Yes or no to importing a previewed file."""

    confirm: bool


@dataclass(frozen=True)
class DeleteAnswer:
    """Yes or no to deleting everything; `asked` (Unix minutes) keeps old buttons harmless."""

    confirm: bool
    asked: int


@dataclass(frozen=True)
class ReportToggle:
    """Turn the weekly report on or off."""

    enabled: bool


Decoded = (
    OnboardingButton
    | ChartButton
    | ImportAnswer
    | DeleteAnswer
    | ReportToggle
    | TechniqueButton
    | ReminderButton
    | ScheduleChange
    | WorkoutButton
    | LogPick
    | TrainNow
    | StartWeight
    | WeightAnswer
    | EditLine
    | Why
    | CheckIn
    | BackCheck
    | Cleared
    | ExcludeExercise
)
