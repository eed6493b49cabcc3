"""What a log message did before: redelivered updates, retries after an error, known weights.

Also the small rules shared by the workout use cases: whether 'Done as planned' fits, what the
answers now rule out, and how logged sets group into sessions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypeVar

from bot.domain import safety
from bot.domain import workouts as wk
from bot.domain.models import Exercise, Library, Profile, SetKind
from bot.domain.safety import RuleCheck
from bot.domain.setlog import LoggedSet
from bot.domain.starts import needs_weight
from bot.domain.targets import Target
from bot.domain.workouts import Workout, WorkoutItem
from bot.storage.workouts import LoggedEntry, Source, WorkoutRepo

RETRY_WINDOW_S = 15 * 60  # the same text again this soon after an error is a retry
REDELIVERY_S = 24 * 3600  # update ids may restart after a quiet week: only recent ones match


class NeedsWeight(LookupError):
    """Sets typed with no load for a loaded exercise: ask for the weight instead of guessing."""

    def __init__(self, exercise: Exercise, sets: list[LoggedSet], known: float | None) -> None:
        super().__init__(exercise.id)
        self.exercise, self.sets, self.known = exercise, sets, known


class AlreadyLogged(LookupError):
    """This message or tap was logged before (a redelivered update, or a retry after an error)."""

    def __init__(self, exercise: Exercise, sets: list[LoggedSet]) -> None:
        super().__init__(exercise.id)
        self.exercise, self.sets = exercise, sets


async def known_weight(workouts: WorkoutRepo, user_id: int, exercise_id: str) -> float | None:
    """The weight to offer when sets came without one: today's target, else last time's."""
    stored = await workouts.target(user_id, exercise_id)
    if stored is not None and stored.weight_kg:
        return stored.weight_kg
    for entry in reversed(await workouts.entries(user_id, exercise_id)):
        if entry.set.weight_kg is not None and not entry.set.added:
            return entry.set.weight_kg
    return None


class PastLog(Protocol):
    """A message or tap that logged sets before, as far as telling a repeat goes."""

    @property
    def id(self) -> int: ...
    @property
    def failed(self) -> bool: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def text(self) -> str: ...


P = TypeVar("P", bound=PastLog)


def repeat_of(
    source: Source, by_message: P | None, by_update: P | None, last: P | None, now: datetime
) -> tuple[P | None, bool]:
    """Which earlier log this one repeats, and whether it is a retry to absorb.

    A message is matched by its chat, id and time; a tap by its update id, within a day (update
    ids may restart after a quiet week); else the same text again, soon after a line whose
    reply failed, is a retry.
    """
    by_message_id = source.message_id is not None and source.chat_id is not None
    if by_message_id and by_message is not None:
        return by_message, False
    if not by_message_id and by_update is not None and _within(by_update, now, REDELIVERY_S):
        return by_update, False
    retried = last is not None and last.failed and last.text == source.text
    if source.text and last is not None and retried and _within(last, now, RETRY_WINDOW_S):
        return last, True
    return None, False


def _within(past: PastLog, now: datetime, seconds: int) -> bool:
    return (now - past.created_at).total_seconds() <= seconds


def plannable(exercise: Exercise, item: WorkoutItem, target: Target) -> bool:
    """Whether 'Done as planned' can say what was done: a known load and a rep number."""
    if any(s.kind is SetKind.MAX for s in item.sets) or not target.rep_targets:
        return False  # an all-out set, or a first time: no rep number to plan
    return not (needs_weight(exercise) and target.weight_kg is None)


def ruled_out(library: Library, profile: Profile | None, workout: Workout) -> list[RuleCheck]:
    """What the current answers rule out among the workout's pending exercises."""
    if profile is None:
        return []
    checks = [
        safety.check_exercise(library.exercises[i.exercise_id], profile, library)
        for i in workout.items
        if i.exercise_id in library.exercises
    ]
    _, dropped = wk.skip_ruled_out(workout, {c.exercise.id for c in checks if not c.allowed})
    by_id = {c.exercise.id: c for c in checks}
    return [by_id[i] for i in dropped]


def group_sessions(entries: list[LoggedEntry]) -> list[list[LoggedSet]]:
    """Working sets grouped per workout (or per day when logged outside one), oldest first."""
    groups: dict[object, list[LoggedSet]] = {}
    for e in entries:
        if e.kind is SetKind.WARMUP:
            continue  # warm-up sets never count
        key = e.workout_id if e.workout_id is not None else e.logged_at.date()
        groups.setdefault(key, []).append(e.set)
    return list(groups.values())
