"""Warm-up ramps: lighter sets leading up to today's working weight."""

from __future__ import annotations

import math

from bot.domain.accounts import Units
from bot.domain.models import Exercise, LoadKind
from bot.domain.progression import SAME_WEIGHT_KG, floor_kg
from bot.domain.setlog import MAX_WEIGHT_KG
from bot.domain.weights import KG_PER_LB

_LB = float(KG_PER_LB)

_RAMPS: dict[LoadKind, tuple[tuple[float, int], ...]] = {
    LoadKind.BARBELL: ((0.5, 8), (0.7, 5), (0.85, 3)),
    LoadKind.DUMBBELL: ((0.5, 10), (0.75, 6)),
    LoadKind.CABLE: ((0.5, 10), (0.75, 6)),
    LoadKind.MACHINE: ((0.5, 10), (0.75, 6)),
}
_ROUNDING: dict[LoadKind, tuple[float, float]] = {  # (kg, lb) the equipment moves in
    LoadKind.BARBELL: (2.5, 5),
    LoadKind.DUMBBELL: (2, 5),
    LoadKind.CABLE: (5, 10),
    LoadKind.MACHINE: (5, 10),
    LoadKind.BODYWEIGHT: (2.5, 5),
}
_LIGHT_STEPS = 4  # a working weight of at most 4 rounding steps gets one warm-up set


def _round_to(value: float, increment: float) -> float:
    """The nearest multiple of `increment`, halves going down (lighter is the safer warm-up)."""
    return round(math.ceil(round(value / increment - 0.5, 9)) * increment, 6)


def warmup_ramp(
    exercise: Exercise, working_weight_kg: float | None, units: Units = Units.KG
) -> list[tuple[float | None, int]]:
    """Warm-up sets (kg or None for bodyweight only, reps) leading up to today's working weight.

    Barbell: the empty bar, then about 50%, 70% and 85% at 8, 5 and 3 reps; dumbbell, cable and
    machine: about 50% and 75% at 10 and 6 reps; rounded to what the equipment allows. Steps that
    would repeat a lighter one or reach the working weight are skipped. Bodyweight with added
    weight: 5 easy reps with none, then half the added weight for 3. Assisted (a counterweight
    that helps): one easy set of 8 with about half as much help again, never less help than the
    working sets, up to the 500 kg limit.
    """
    if exercise.load is LoadKind.NONE or not working_weight_kg or working_weight_kg <= 0:
        return []
    kg, lb = _ROUNDING[exercise.load]
    increment = kg if units is Units.KG else lb * _LB
    working = working_weight_kg
    if exercise.assisted:  # a warm-up here means more help, not less
        more = math.ceil(round(working * 1.5 / increment, 9)) * increment
        easier = round(min(max(more, working + increment), MAX_WEIGHT_KG), 6)
        return [(easier, 8)] if easier > working + SAME_WEIGHT_KG else []
    if exercise.load is LoadKind.BODYWEIGHT:
        half = _round_to(working / 2, increment)
        return [(None, 5)] + ([(half, 3)] if increment <= half < working - SAME_WEIGHT_KG else [])
    ramp: list[tuple[float | None, int]] = []
    previous = 0.0
    if exercise.load is LoadKind.BARBELL:
        previous = floor_kg(exercise, units)  # nothing is lighter than the empty bar
        if previous < working - SAME_WEIGHT_KG:
            ramp.append((previous, 10))
    light = exercise.load is not LoadKind.BARBELL and working <= _LIGHT_STEPS * increment
    for share, reps in _RAMPS[exercise.load]:
        weight = _round_to(working * share, increment)
        if previous + SAME_WEIGHT_KG < weight < working - SAME_WEIGHT_KG:
            ramp.append((weight, reps))
            previous = weight
            if light:
                break
    return ramp
