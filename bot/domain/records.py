"""Personal records: today's new ones against the past, and the standing ones per exercise.

Sets with a plain weight compete on estimated 1RM (Epley) and on reps at a weight.
Bodyweight-only and added-weight sets compete on reps at a weight only, the load being the added
weight (bodyweight only = 0): without the lifter's bodyweight an e1RM of the added weight means
nothing. Assisted sets (a counterweight that helps) never count the assistance as load: they
compete on reps at an assistance, less assistance being the harder set. No history, no records
today: there is nothing to beat yet.
"""

from __future__ import annotations

from typing import Literal

from bot.domain.accounts import Units
from bot.domain.models import Frozen
from bot.domain.progression import ProgressionError
from bot.domain.setlog import LoggedSet
from bot.domain.weights import show_weight

FRONT_SIZE = 4  # rep records shown per exercise in /records


class Record(Frozen):
    """A personal record set today."""

    kind: Literal["e1rm", "reps-at-weight"]
    value: float  # kg for e1rm, reps for reps-at-weight
    weight_kg: float | None
    added: bool
    reps: int
    text: str


def estimated_1rm(weight_kg: float, reps: int) -> float:
    """The estimated one-rep max (Epley); a single is its own weight."""
    if reps < 1 or weight_kg < 0:
        raise ProgressionError("an estimated 1RM needs at least 1 rep and a weight of 0 or more")
    return weight_kg if reps == 1 else weight_kg * (1 + reps / 30)


def _load(s: LoggedSet) -> float:
    return s.weight_kg or 0.0


def _plain_weight(s: LoggedSet) -> bool:
    return s.weight_kg is not None and not s.added


def _hardness(s: LoggedSet, assisted: bool) -> float:
    """How hard the load is: heavier is harder, but more assistance is easier."""
    return -_load(s) if assisted else _load(s)


def _at(s: LoggedSet, units: Units, assisted: bool) -> str:
    if assisted:
        return (
            "with no help"
            if s.weight_kg is None
            else f"with {show_weight(_load(s), units)} of help"
        )
    if s.weight_kg is None:
        return "at bodyweight"
    return (
        f"with +{show_weight(s.weight_kg, units)}"
        if s.added
        else f"at {show_weight(s.weight_kg, units)}"
    )


def new_records(
    history_sets: list[LoggedSet],
    today_sets: list[LoggedSet],
    units: Units = Units.KG,
    assisted: bool = False,
) -> list[Record]:
    """Today's personal records against every earlier set of the exercise (rules above)."""
    if not history_sets:
        return []
    records: list[Record] = []
    plain = [] if assisted else history_sets
    past = [estimated_1rm(_load(s), s.reps) for s in plain if _plain_weight(s)]
    today = [(estimated_1rm(_load(s), s.reps), s) for s in today_sets if _plain_weight(s)]
    if past and today:
        best, top = max(today, key=lambda pair: pair[0])
        if best > max(past) + 1e-9:
            text = (
                f"New best estimated 1-rep max: {show_weight(best, units)} "
                f"({show_weight(_load(top), units)} x {top.reps})."
            )
            records.append(
                Record(
                    kind="e1rm",
                    value=round(best, 1),
                    weight_kg=top.weight_kg,
                    added=False,
                    reps=top.reps,
                    text=text,
                )
            )
    beaten: list[tuple[float, int, int, LoggedSet]] = []
    for s in today_sets:
        before = [
            p.reps
            for p in history_sets
            if _plain_weight(p) == _plain_weight(s)
            and _hardness(p, assisted) >= _hardness(s, assisted)
        ]
        if before and s.reps > max(before):
            beaten.append((_hardness(s, assisted), s.reps, max(before), s))
    if beaten:
        _, reps, before_best, s = max(beaten, key=lambda b: (b[0], b[1]))
        if assisted:
            what, where = _at(s, units, True), "with that much help or less"
        elif s.weight_kg is None:
            what, where = "at bodyweight", "at bodyweight or with added weight"
        elif s.added:
            what, where = f"with +{show_weight(s.weight_kg, units)}", "with that much or more"
        else:
            what, where = f"at {show_weight(s.weight_kg, units)}", "at that weight or heavier"
        text = f"Record: {reps} reps {what}, more than ever {where} (before: {before_best})."
        records.append(
            Record(
                kind="reps-at-weight",
                value=float(reps),
                weight_kg=s.weight_kg,
                added=s.added,
                reps=reps,
                text=text,
            )
        )
    return records


def standing(sets: list[LoggedSet], units: Units = Units.KG, assisted: bool = False) -> list[str]:
    """An exercise's standing records: the best e1RM, and the reps no other set has beaten.

    A set is a rep record when no other set was at least as hard and had at least as many reps
    (ties go to the earliest); at most FRONT_SIZE of them, hardest first.
    """
    out: list[str] = []
    plain = [s for s in sets if _plain_weight(s)] if not assisted else []
    if plain:
        best = max(plain, key=lambda s: estimated_1rm(_load(s), s.reps))
        e1rm = estimated_1rm(_load(best), best.reps)
        out.append(
            f"best estimated 1-rep max {show_weight(e1rm, units)} "
            f"({show_weight(_load(best), units)} x {best.reps})"
        )
    front: list[LoggedSet] = []
    for s in sets:
        key = (_plain_weight(s), _hardness(s, assisted))
        beaten = any(
            (_plain_weight(o), _hardness(o, assisted)) >= key
            and _plain_weight(o) == key[0]
            and o.reps >= s.reps
            and (o.reps, _hardness(o, assisted)) != (s.reps, key[1])
            for o in sets
        )
        same = any(
            (f.reps, _hardness(f, assisted), _plain_weight(f)) == (s.reps, key[1], key[0])
            for f in front
        )
        if not beaten and not same:
            front.append(s)
    front.sort(key=lambda s: (_plain_weight(s), _hardness(s, assisted)), reverse=True)
    out += [f"{s.reps} reps {_at(s, units, assisted)}" for s in front[:FRONT_SIZE]]
    return out
