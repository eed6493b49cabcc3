"""What free logging returns: typed values the shell renders (bot/services/freelog.py)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.accounts import Units
from bot.domain.logged import LoggedSet
from bot.domain.models import Exercise
from bot.domain.safety import Block, RuleCheck
from bot.services.workouts import WeightQuestion


@dataclass(frozen=True)
class Caution:
    """What to add to a confirmation: the user may not train, or not this exercise."""

    block: Block | None
    check: RuleCheck | None


@dataclass(frozen=True)
class FreeLogged:
    """The sets were saved (committed before this is returned)."""

    exercise: Exercise
    sets: list[LoggedSet]
    units: Units
    source_id: int | None
    caution: Caution


@dataclass(frozen=True)
class AlreadyLogged:
    """This message was logged before (a redelivery or a retry): not saved twice."""

    exercise: Exercise
    sets: list[LoggedSet]
    units: Units


@dataclass(frozen=True)
class AskWhich:
    """The line may mean several exercises: the sets wait for the pick."""

    candidates: list[str]
    sets: list[LoggedSet]
    units: Units


@dataclass(frozen=True)
class AskWeight:
    """Sets came without a weight for a loaded exercise: they wait for it."""

    question: WeightQuestion


@dataclass(frozen=True)
class NoProgram:
    """The user has no program yet (send /start first)."""


@dataclass(frozen=True)
class Unreadable:
    """Text with a number in it that reads as no log line; nothing was saved."""

    problem: str
    example: str


@dataclass(frozen=True)
class NotALog:
    """Chat, not a log line: the general hint."""


@dataclass(frozen=True)
class Closed:
    """The question this answers is no longer open."""
