"""A workout in progress: the day's exercises in order, and where each one stands."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from bot.domain.models import DayKind, Frozen, Pattern, PlannedDay, SetKind, SetSpec
from bot.i18n import N_, _


class ItemStatus(StrEnum):
    """Where one exercise of a workout stands."""

    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    HURT = "hurt"  # stopped because it hurt


class WorkoutStatus(StrEnum):
    """Where a workout stands."""

    ACTIVE = "active"
    FINISHED = "finished"
    ENDED_EARLY = "ended-early"


class WorkoutItem(Frozen):
    """One exercise of the workout, with its prescription and how many sets are logged."""

    exercise_id: str
    planned_id: str  # the program's exercise; differs after a swap
    sets: list[SetSpec]
    rest_s: int
    note: str | None = None
    status: ItemStatus = ItemStatus.PENDING
    logged: int = 0  # working or max-effort sets logged so far

    @property
    def needed(self) -> int:
        """Working and max-effort sets the prescription asks for (0: a tick-off item)."""
        return sum(s.count for s in self.sets if s.kind is not SetKind.WARMUP)

    @property
    def tick_off(self) -> bool:
        """Warm-up, mobility and stretching items: done with one tap, no sets to log."""
        return self.needed == 0


class Workout(Frozen):
    """A training session as it happens."""

    id: int
    user_id: int
    program_id: int
    session_id: int | None
    kind: DayKind
    on: date
    status: WorkoutStatus
    items: list[WorkoutItem]
    position: int
    light: bool = False  # a stiff-back day: lighter weights, targets left as they were

    @property
    def current(self) -> WorkoutItem | None:
        """The exercise being done now, or None when every item is through."""
        return self.items[self.position] if self.position < len(self.items) else None

    @property
    def finished(self) -> bool:
        """Whether every item is done or skipped."""
        return self.current is None


STIFF_DAY_NOTE = N_("Stiff back today: stop two reps before your limit.")


def items_from_day(day: PlannedDay, light: bool = False) -> list[WorkoutItem]:
    """The workout's items, in program order.

    On a stiff-back day (`light`) lower-back extensions are left out, and all-out sets stop
    short of the limit.
    """
    items = []
    for p in day.exercises:
        item = WorkoutItem(
            exercise_id=p.exercise.id,
            planned_id=p.exercise.id,
            sets=list(p.sets),
            rest_s=p.rest_s,
            note=p.note,
        )
        if light and p.exercise.pattern is Pattern.SPINAL_EXTENSION:
            item = item.model_copy(update={"status": ItemStatus.SKIPPED})
        elif light and any(s.kind is SetKind.MAX for s in p.sets):
            note = f"{p.note} {_(STIFF_DAY_NOTE)}" if p.note else _(STIFF_DAY_NOTE)
            item = item.model_copy(update={"note": note})
        items.append(item)
    return items


def _next_position(items: list[WorkoutItem], start: int) -> int:
    for i in range(start, len(items)):
        if items[i].status is ItemStatus.PENDING:
            return i
    return len(items)


def _with_item(workout: Workout, item: WorkoutItem) -> Workout:
    items = list(workout.items)
    items[workout.position] = item
    position = workout.position
    if item.status is not ItemStatus.PENDING:
        position = _next_position(items, position + 1)
    return workout.model_copy(update={"items": items, "position": position})


def record_sets(workout: Workout, counted: int) -> Workout:
    """Count `counted` working sets on the current item; it is done once all are in."""
    item = workout.current
    if item is None:
        raise ValueError("the workout has no current exercise")
    logged = item.logged + counted
    status = ItemStatus.DONE if logged >= item.needed else ItemStatus.PENDING
    return _with_item(workout, item.model_copy(update={"logged": logged, "status": status}))


def tick_off(workout: Workout) -> Workout:
    """Mark the current item done without sets (warm-up, stretching, 'done as planned')."""
    item = workout.current
    if item is None:
        raise ValueError("the workout has no current exercise")
    return _with_item(workout, item.model_copy(update={"status": ItemStatus.DONE}))


def skip(workout: Workout) -> Workout:
    """Skip the current item."""
    item = workout.current
    if item is None:
        raise ValueError("the workout has no current exercise")
    return _with_item(workout, item.model_copy(update={"status": ItemStatus.SKIPPED}))


def skip_ruled_out(workout: Workout, ruled_out: set[str]) -> tuple[Workout, list[str]]:
    """Skip every pending exercise that is now ruled out; return what was skipped."""
    dropped = [
        i.exercise_id
        for i in workout.items
        if i.status is ItemStatus.PENDING and i.exercise_id in ruled_out
    ]
    if not dropped:
        return workout, []
    items = [
        i.model_copy(update={"status": ItemStatus.SKIPPED})
        if i.status is ItemStatus.PENDING and i.exercise_id in ruled_out
        else i
        for i in workout.items
    ]
    position = _next_position(items, workout.position)
    return workout.model_copy(update={"items": items, "position": position}), dropped


def stop_hurt(workout: Workout) -> Workout:
    """The current exercise hurt: stop it (sets logged so far are kept) and move on."""
    item = workout.current
    if item is None:
        raise ValueError("the workout has no current exercise")
    return _with_item(workout, item.model_copy(update={"status": ItemStatus.HURT}))


def replace_hurt(workout: Workout, hurt_position: int, exercise_id: str) -> Workout:
    """Do `exercise_id` next, with the prescription of the exercise that hurt."""
    hurt = workout.items[hurt_position]
    if hurt.status is not ItemStatus.HURT:
        raise ValueError("only an exercise that hurt is replaced this way")
    new = hurt.model_copy(
        # The program's note was about the exercise that hurt, not this one.
        update={"exercise_id": exercise_id, "status": ItemStatus.PENDING, "logged": 0, "note": None}
    )
    items = list(workout.items)
    items.insert(hurt_position + 1, new)
    return workout.model_copy(update={"items": items, "position": hurt_position + 1})


def swap(workout: Workout, exercise_id: str) -> Workout:
    """Do another exercise in the current item's place (same prescription)."""
    item = workout.current
    if item is None:
        raise ValueError("the workout has no current exercise")
    return _with_item(workout, item.model_copy(update={"exercise_id": exercise_id}))


def is_general(pattern: Pattern) -> bool:
    """Warm-up and stretching items."""
    return pattern in (Pattern.WARMUP, Pattern.STRETCH)


def adjust(workout: Workout, index: int, delta: int) -> Workout:
    """Add (or take away, after an undo or an edit) logged sets on one item.

    A done item whose count falls below what it needs is open again, and the workout goes
    back to the first open item; a skipped item stays skipped.
    """
    if not 0 <= index < len(workout.items):
        raise ValueError("no such item in the workout")
    items = list(workout.items)
    item = items[index]
    logged = max(0, item.logged + delta)
    status = item.status
    if status is not ItemStatus.SKIPPED and not item.tick_off:
        status = ItemStatus.DONE if logged >= item.needed else ItemStatus.PENDING
    items[index] = item.model_copy(update={"logged": logged, "status": status})
    return workout.model_copy(update={"items": items, "position": _next_position(items, 0)})
