"""What a log message did before: redelivered updates, retries after an error, known weights.

Also the small rules shared by the workout use cases: whether 'Done as planned' fits, and how
logged sets group into sessions.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.models import Exercise, SetKind
from bot.domain.setlog import LoggedSet
from bot.domain.starts import needs_weight
from bot.domain.targets import Target
from bot.domain.workouts import WorkoutItem
from bot.storage.logs import LogRepo
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


RETRY_WINDOW_S = 15 * 60  # the same text again this soon after an error is a retry
REDELIVERY_S = 24 * 3600  # update ids may restart after a quiet week: only recent ones match


async def known_weight(workouts: WorkoutRepo, user_id: int, exercise_id: str) -> float | None:
    """The weight to offer when sets came without one: today's target, else last time's."""
    stored = await workouts.target(user_id, exercise_id)
    if stored is not None and stored.weight_kg:
        return stored.weight_kg
    for entry in reversed(await workouts.entries(user_id, exercise_id)):
        if entry.set.weight_kg is not None and not entry.set.added:
            return entry.set.weight_kg
    return None


async def already(
    logs: LogRepo, now: datetime, user_id: int, source: Source
) -> list[LoggedEntry] | None:
    """The sets this message or update logged before, or a retry's, if it is one."""
    found = None
    if source.message_id is not None and source.chat_id is not None:
        found = await logs.by_message(source.chat_id, source.message_id, source.sent_at)
    elif source.update_id is not None:  # a tap: Telegram redelivers within minutes, not days
        tapped = await logs.by_update(source.update_id)
        if tapped is not None and (now - tapped.created_at).total_seconds() <= REDELIVERY_S:
            found = tapped
    if found is None and source.text:
        last = await logs.last_source(user_id)
        recent = last is not None and ((now - last.created_at).total_seconds() <= RETRY_WINDOW_S)
        if last is not None and last.failed and recent and last.text == source.text:
            await logs.set_failed(last.id, False)  # only the first retry is absorbed
            found = last
    if found is None:
        return None
    return await logs.entries_of(found.id)


def plannable(exercise: Exercise, item: WorkoutItem, target: Target) -> bool:
    """Whether 'Done as planned' can say what was done: a known load and a rep number."""
    if any(s.kind is SetKind.MAX for s in item.sets) or not target.rep_targets:
        return False  # an all-out set, or a first time: no rep number to plan
    return not (needs_weight(exercise) and target.weight_kg is None)


def group_sessions(entries: list[LoggedEntry]) -> list[list[LoggedSet]]:
    """Working sets grouped per workout (or per day when logged outside one), oldest first."""
    groups: dict[object, list[LoggedSet]] = {}
    for e in entries:
        if e.kind is SetKind.WARMUP:
            continue  # warm-up sets never count
        key = e.workout_id if e.workout_id is not None else e.logged_at.date()
        groups.setdefault(key, []).append(e.set)
    return list(groups.values())
