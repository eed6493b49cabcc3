"""The onboarding's values: the questions, the answers so far, the events and their result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from bot.domain.calendar import Schedule
from bot.domain.models import Equipment, Frozen, Goal, Level, Profile, Triage


class Step(StrEnum):
    """The questions, in the order they are asked."""

    RED_FLAGS = "red-flags"
    PAIN = "pain"
    HEALTH = "health"
    GOAL = "goal"
    LEVEL = "level"
    PULLUPS = "pullups"
    CONDITIONS = "conditions"
    DISCOMFORT = "discomfort"
    EQUIPMENT = "equipment"
    DAYS = "days"
    TIME = "time"
    TIMEZONE = "timezone"
    CONFIRM = "confirm"
    DONE = "done"


SCHEDULE_ORDER = [Step.DAYS, Step.TIME, Step.TIMEZONE, Step.CONFIRM]
TRIAGE_ORDER = [Step.RED_FLAGS, Step.PAIN, Step.HEALTH]
# Any of these answers can refer the user; a referral ends the set-up at once.
REFERRING = {Step.RED_FLAGS, Step.PAIN, Step.HEALTH, Step.CONDITIONS}
ORDER = [
    *TRIAGE_ORDER,
    Step.GOAL,
    Step.LEVEL,
    Step.PULLUPS,
    Step.CONDITIONS,
    Step.DISCOMFORT,
    Step.EQUIPMENT,
    *SCHEDULE_ORDER,
]
MULTI = {
    Step.RED_FLAGS,
    Step.HEALTH,
    Step.CONDITIONS,
    Step.DISCOMFORT,
    Step.EQUIPMENT,
    Step.DAYS,
}
MAX_PULLUPS = 100


class Answers(Frozen):
    """Everything answered so far, and which question is open."""

    nonce: str  # ties buttons to this run of the conversation
    step: Step = Step.RED_FLAGS
    red_flags: tuple[str, ...] = ()
    pain_now: bool | None = None  # None: not asked yet
    health_flags: tuple[str, ...] = ()
    goal: Goal | None = None
    level: Level | None = None
    pullups: int | None = None
    conditions: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    equipment: tuple[Equipment, ...] | None = None  # None: a full gym
    weekdays: tuple[int, ...] = ()  # 0 = Monday: the days the user can train
    often: bool = False  # train as often as the rest rule allows, not two a week
    reminder_time: str | None = None  # "HH:MM", local
    timezone: str | None = None  # IANA
    default_timezone: str = "UTC"  # offered as a one-tap answer
    tz_candidates: tuple[str, ...] = ()  # zones offered after an ambiguous answer
    day_suggestions: tuple[str, ...] = ()  # valid weekday sets offered after an invalid one
    schedule_only: bool = False  # /schedule: only the schedule questions
    # Which chat message shows the question is screen state the shell keeps (user_data); the
    # field stays so states saved by older versions still load.
    message_id: int | None = None

    def order(self) -> list[Step]:
        """The questions this conversation asks."""
        return SCHEDULE_ORDER if self.schedule_only else ORDER

    def schedule(self) -> Schedule:
        """The finished schedule answers."""
        if self.reminder_time is None or self.timezone is None:
            raise ValueError("the schedule questions are not finished")
        return Schedule(
            weekdays=frozenset(self.weekdays),
            time=hhmm(self.reminder_time),
            timezone=self.timezone,
            often=self.often,
        )

    def profile(self) -> Profile:
        """The answers so far as a screening profile (goal and level may be unanswered)."""
        return Profile(
            triage=Triage(
                red_flags=frozenset(self.red_flags),
                pain_now=bool(self.pain_now),
                health_flags=frozenset(self.health_flags),
            ),
            goal=self.goal,
            level=self.level,
            pullups=self.pullups,
            conditions=frozenset(self.conditions),
            excluded=frozenset(self.excluded),
            equipment=None if self.equipment is None else frozenset(self.equipment),
        )


# --- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """A button: choose a value (single choice) or tick/untick it (multi-select)."""

    step: Step
    value: str


@dataclass(frozen=True)
class Finish:
    """'Done' on a multi-select question."""

    step: Step


@dataclass(frozen=True)
class NoneOfThese:
    """'None of these' on a multi-select question."""

    step: Step


@dataclass(frozen=True)
class Back:
    """Go back to the previous question."""

    step: Step


@dataclass(frozen=True)
class Typed:
    """Free text sent while a question is open."""

    text: str


Event = Pick | Finish | NoneOfThese | Back | Typed


@dataclass(frozen=True)
class Result:
    """The state after an event, and a problem to tell the user when the input did not fit."""

    answers: Answers
    problem: str | None = None
    stale: bool = False  # the event belonged to another question

    @property
    def done(self) -> bool:
        """Whether every question is answered."""
        return self.answers.step is Step.DONE


def hhmm(text: str) -> time:
    """'18:30' as a time."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
