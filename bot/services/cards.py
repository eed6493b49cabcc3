"""The card for the current exercise, built from loaded values: target, warm-up, last time."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain import warmup
from bot.domain.accounts import Units
from bot.domain.logged import LoggedEntry, LoggedSet
from bot.domain.models import Exercise, Library, Profile
from bot.domain.starts import starting_weights
from bot.domain.targets import Target
from bot.domain.workouts import Workout, WorkoutItem
from bot.services.logged import group_sessions, plannable
from bot.services.targets import fitted


@dataclass(frozen=True)
class Card:
    """Everything the card for the current exercise shows."""

    workout: Workout
    item: WorkoutItem
    exercise: Exercise
    target_weight_kg: float | None
    target_reps: tuple[int, int | None]
    target_note: str
    warmup: list[tuple[float | None, int]]
    last_time: list[LoggedSet]
    units: Units
    rep_targets: tuple[int, ...] = ()  # one per working set
    starts: list[float] = field(default_factory=list)  # first weights to pick from
    plannable: bool = True  # 'Done as planned' can say exactly what was done


def last_time(entries: list[LoggedEntry], workout_id: int | None) -> list[LoggedSet]:
    """The working sets of the last time before this workout that the exercise was logged."""
    groups = group_sessions(
        [e for e in entries if workout_id is None or e.workout_id != workout_id]
    )
    return groups[-1] if groups else []


def build_card(
    library: Library,
    workout: Workout,
    stored: Target | None,
    entries: list[LoggedEntry],
    profile: Profile | None,
    units: Units,
) -> Card:
    """The current item's card from its stored target, its latest sets and the answers."""
    item = workout.current
    assert item is not None
    exercise = library.exercises[item.exercise_id]
    if item.tick_off:  # warm-up, mobility, stretching: nothing to load or to track
        return Card(workout, item, exercise, None, (0, None), "", [], [], units)
    target = fitted(stored, library, units, item, workout.light)
    starts: list[float] = []
    if target.weight_kg is None and profile is not None:
        starts = starting_weights(exercise, profile.level, units)
    picking = bool(starts) and target.weight_kg is None
    return Card(
        workout,
        item,
        exercise,
        target.weight_kg,
        (target.reps_min, target.reps_max),
        "" if picking else target.explanation,  # the pick line says it already
        warmup.warmup_ramp(exercise, target.weight_kg, units),
        last_time(entries, workout.id),
        units,
        rep_targets=target.rep_targets,
        starts=starts,
        plannable=plannable(exercise, item, target),
    )
