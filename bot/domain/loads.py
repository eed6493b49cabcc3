"""Loads and rep targets that progression builds on: plates, steps and floors, per-set targets.

Weights are kg. The rules that pick the next weight are in bot/domain/progression.py.
"""

from __future__ import annotations

from bot.domain.accounts import Units
from bot.domain.models import Exercise, LoadKind, SetKind, SetSpec
from bot.domain.setlog import MAX_REPS, LoggedSet
from bot.domain.weights import KG_PER_LB

BAR_KG = 20.0
BAR_LB = 45
SAME_WEIGHT_KG = 0.5  # closer than this is the same weight (1 lb is 0.45 kg)
_LB = float(KG_PER_LB)


def step_kg(exercise: Exercise, units: Units = Units.KG) -> float:
    """The exercise's load step, in kg, as plates come in the user's unit."""
    step = exercise.load_step_kg
    if units is Units.KG or step == 0:
        return step
    return max(1, round(step / _LB / 2.5)) * 2.5 * _LB


def floor_kg(exercise: Exercise, units: Units = Units.KG) -> float:
    """The lightest load: the empty bar, one step, or none on a bodyweight exercise."""
    if exercise.load is LoadKind.BARBELL:
        return BAR_KG if units is Units.KG else round(BAR_LB * _LB, 6)
    if exercise.load is LoadKind.BODYWEIGHT:
        return 0.0
    return step_kg(exercise, units)


def _all_out(s: LoggedSet) -> bool:
    return (s.rpe is not None and s.rpe >= 10) or s.rir == 0


def next_reps(last: list[LoggedSet], targets: list[SetSpec], top: int | None = None) -> list[int]:
    """Each set's rep target: last time's reps in that set plus one, within its range."""
    out = []
    for i, t in enumerate(targets):
        high = top or t.reps_max or MAX_REPS
        if i >= len(last):
            out.append(min(t.reps_min, high))
            continue
        reps = last[i].reps if _all_out(last[i]) else last[i].reps + 1
        out.append(max(min(reps, high), min(t.reps_min, high)))
    return out


def working_sets(specs: list[SetSpec], logged: list[LoggedSet]) -> list[LoggedSet]:
    """A session's working sets: leading warm-ups dropped if more sets than working ones came."""
    warmups = 0
    for spec in specs:
        if spec.kind is not SetKind.WARMUP:
            break
        warmups += spec.count
    working = sum(s.count for s in specs if s.kind is not SetKind.WARMUP)
    return logged[min(warmups, max(0, len(logged) - working)) :]
