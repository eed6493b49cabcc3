"""First-time targets and 'Done as planned': what a card offers before and during the sets.

Starting weights. A loaded exercise with no history gets three buttons: a suggestion and one
lighter and one heavier. The suggestion is the exercise's `start_kg` from content/ (a weight an
intermediate lifter moves for the top of the range with clean form), scaled by level (beginners
lighter, advanced heavier; for an assisted exercise the other way round: beginners get more
help), rounded to the exercise's load step in the user's unit. The options are two steps apart
when a step is small next to the weight, so the buttons differ by a useful amount. Nothing is
below the floor (the empty bar for a barbell, one step otherwise) or above 500 kg.

Done as planned. The sets still to do at today's target weight, each at its own rep target
(never more), so tapping it never moves the load up on its own: only reps really done at the
top of the range do.
"""

from __future__ import annotations

from bot.domain.accounts import Units
from bot.domain.models import Exercise, Level, LoadKind, SetKind, SetSpec
from bot.domain.progression import floor_kg, step_kg
from bot.domain.setlog import MAX_WEIGHT_KG, LoggedSet
from bot.domain.weights import show_weight

_LEVEL_SCALE = {Level.BEGINNER: 0.6, Level.INTERMEDIATE: 1.0, Level.ADVANCED: 1.3}
_FALLBACK_STEPS = 4  # with no start_kg in content: four load steps (or the empty bar)
_SPREAD = 0.15  # the lighter and heavier options sit about 15% away


def needs_weight(exercise: Exercise) -> bool:
    """Whether sets of this exercise need a weight (not bodyweight, not a tick-off item)."""
    return exercise.load not in (LoadKind.BODYWEIGHT, LoadKind.NONE)


def _on_steps(kg: float, step: float) -> float:
    return round(max(1, round(kg / step)) * step, 6)


def starting_weights(
    exercise: Exercise, level: Level | None, units: Units = Units.KG
) -> list[float]:
    """Lighter, suggested and heavier first weights (kg), on the load step; [] if none apply.

    An unknown level counts as a beginner's: the lighter, safer reading.
    """
    if not needs_weight(exercise):
        return []
    level = level or Level.BEGINNER
    step = step_kg(exercise, units)
    floor = floor_kg(exercise, units)
    scale = _LEVEL_SCALE[level]
    if exercise.assisted:
        scale = 1 / scale  # beginners get more help
    base = exercise.start_kg * scale if exercise.start_kg else max(floor, step * _FALLBACK_STEPS)
    suggested = max(_on_steps(base, step), floor)
    spread = _on_steps(max(step, suggested * _SPREAD), step)
    options = [suggested - spread, suggested, suggested + spread]
    out: list[float] = []
    for kg in options:
        kg = round(kg, 6)
        if floor - 1e-6 <= kg <= MAX_WEIGHT_KG and kg not in out:
            out.append(kg)
    return out


def how_to_pick(exercise: Exercise, top: int | None, units: Units = Units.KG) -> str:
    """One line on choosing the first weight."""
    reps = f"{top} clean reps" if top else "clean reps with good form"
    if exercise.assisted:
        return (
            f"Pick the counterweight that lets you do {reps}; more counterweight means more help."
        )
    line = f"Pick a weight you can lift for {reps} (the top of the range) with good form."
    if exercise.load is LoadKind.BARBELL:
        line += f" The empty bar ({show_weight(floor_kg(exercise, units), units)}) is the lightest."
    return line


def as_logged(exercise: Exercise, sets: list[LoggedSet]) -> list[LoggedSet]:
    """On a bodyweight lift a typed weight ('10 10 9 @ 20') is weight added to the body."""
    if exercise.load is not LoadKind.BODYWEIGHT:
        return sets
    return [s.model_copy(update={"added": True}) if s.weight_kg is not None else s for s in sets]


def planned_sets(
    exercise: Exercise,
    weight_kg: float | None,
    rep_targets: list[int],
    done: int,
    needed: int,
    max_effort: bool = False,
) -> list[LoggedSet]:
    """The sets still to do, each exactly at its rep target (the last target repeats if short)."""
    if needs_weight(exercise) and weight_kg is None:
        raise ValueError("a loaded exercise needs a weight to plan from")
    if not rep_targets:
        raise ValueError("no rep targets to plan from")
    added = exercise.load is LoadKind.BODYWEIGHT and weight_kg is not None
    out = []
    for i in range(done, max(needed, done + 1)):
        reps = rep_targets[min(i, len(rep_targets) - 1)]
        out.append(LoggedSet(reps=reps, weight_kg=weight_kg, added=added, max_effort=max_effort))
    return out


def fit_targets(rep_targets: list[int] | tuple[int, ...], specs: list[SetSpec]) -> list[int]:
    """Rep targets for this prescription: each within its set's range, one per working set."""
    ranges = [
        (s.reps_min, s.reps_max or s.reps_min)
        for s in specs
        if s.kind is not SetKind.WARMUP
        for _ in range(s.count)
    ]
    out = []
    for i, (low, high) in enumerate(ranges):
        wanted = rep_targets[i] if i < len(rep_targets) else low
        out.append(min(max(wanted, low), high))
    return out
