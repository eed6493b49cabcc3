"""Today's target for a workout item, and a first weight the lifter picked."""

from __future__ import annotations

from datetime import datetime

from bot.domain import progression, safety
from bot.domain.accounts import Units
from bot.domain.models import Library, Property
from bot.domain.starts import fit_targets
from bot.domain.targets import Target
from bot.domain.weights import show_weight
from bot.domain.workouts import WorkoutItem
from bot.i18n import _
from bot.storage.workouts import WorkoutRepo


async def today(
    workouts: WorkoutRepo,
    library: Library,
    units: Units,
    user_id: int,
    item: WorkoutItem,
    light: bool = False,
) -> Target:
    """The stored target or a first suggestion; lighter on a stiff day."""
    stored = await workouts.target(user_id, item.exercise_id)
    return fitted(stored, library, units, item, light)


def fitted(
    stored: Target | None, library: Library, units: Units, item: WorkoutItem, light: bool = False
) -> Target:
    """Today's target from the stored one (None: a first suggestion); lighter on a stiff day.

    Rep targets are fitted to the item's ranges. A first suggestion has none: the first time,
    the reps are the lifter's to find.
    """
    exercise = library.exercises[item.exercise_id]
    if stored is None:
        first = progression.first_weight(exercise, item.sets, units)
        target = Target(first.weight_kg, first.reps_min, first.reps_max, 0, first.explanation, ())
    else:
        target = Target(
            stored.weight_kg,
            stored.reps_min,
            stored.reps_max,
            stored.below_streak,
            stored.explanation,
            tuple(fit_targets(stored.rep_targets, item.sets)),
        )
    if not light or target.weight_kg is None:
        return target
    share = library.safety.back_check.stiff_load
    lighter = safety.light_weight(exercise, target.weight_kg, share, units)
    axial = Property.AXIAL_LOAD in exercise.properties
    why = (
        _("Stiff back: warm-up weight only today on this one.")
        if axial
        else _("Stiff back: about {percent} % of your usual weight today.").format(
            percent=round(share * 100)
        )
    )
    return Target(
        lighter, target.reps_min, target.reps_max, target.below_streak, why, target.rep_targets
    )


async def start_at(
    workouts: WorkoutRepo,
    library: Library,
    units: Units,
    now: datetime,
    user_id: int,
    item: WorkoutItem,
    weight_kg: float,
) -> None:
    """Store a first weight for a loaded exercise as its target, reps from the bottom."""
    target = first_at(library, units, item, weight_kg)
    await workouts.set_target(user_id, item.exercise_id, target, now)


def first_at(library: Library, units: Units, item: WorkoutItem, weight_kg: float) -> Target:
    """The target a first weight the lifter picked or lifted sets: reps from the bottom."""
    exercise = library.exercises[item.exercise_id]
    shown = show_weight(weight_kg, units)
    first = progression.suggest(exercise, item.sets, weight_kg, [], units)
    # Stored with the target, so it is in the language the lifter used when picking it.
    text = (
        _(
            "First time at {weight} of help: every set starts at the bottom of the range; "
            "log what you really did and the reps climb from there."
        )
        if exercise.assisted
        else _(
            "First time at {weight}: every set starts at the bottom of the range; log what you "
            "really did and the reps climb from there."
        )
    ).format(weight=shown)
    return Target(weight_kg, first.reps_min, first.reps_max, 0, text, ())
