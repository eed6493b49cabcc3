"""Plain-text phrasing of prescriptions, shared by every front end."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.models import SetKind, SetSpec
from bot.domain.units import Units
from bot.domain.weights import show_weight
from bot.i18n import N_, _, ngettext

if TYPE_CHECKING:
    # Type-only: the set-log parser and its models are not needed to phrase a prescription,
    # and `python -m bot plan` should not import them.
    from bot.domain.logged import LoggedSet

_KIND_LABEL = {SetKind.WARMUP: N_("warm-up"), SetKind.WORKING: "", SetKind.MAX: N_("all-out")}


def format_set(spec: SetSpec) -> str:
    """One block of sets, e.g. '4 x 6-12', '2 x 15-20 warm-up', '1 x max'."""
    if spec.kind is SetKind.WARMUP and spec.reps_max == 1:
        return ngettext("{n} round", "{n} rounds", spec.count).format(n=spec.count)
    if spec.reps_max is None:
        return f"{spec.count} x max"
    reps = (
        str(spec.reps_min) if spec.reps_min == spec.reps_max else f"{spec.reps_min}-{spec.reps_max}"
    )
    label = _KIND_LABEL[spec.kind]
    return f"{spec.count} x {reps}" + (f" {_(label)}" if label else "")


def format_sets(sets: list[SetSpec]) -> str:
    """All blocks of an exercise, e.g. '1 x 15-20 warm-up, then 4 x 6-12'."""
    return _(", then ").join(format_set(s) for s in sets)


def format_rest(seconds: int) -> str:
    """Rest between sets in words, e.g. '90 s' or '2 min 30 s'."""
    if seconds <= 0:
        return ""
    if seconds < 120:
        return _("{n} s").format(n=seconds)
    minutes, rest = divmod(seconds, 60)
    if rest:
        return _("{minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    return _("{minutes} min").format(minutes=minutes)


def _load(s: LoggedSet, units: Units) -> str:
    if s.weight_kg is None:
        return "bw"
    return ("+" if s.added else "@ ") + show_weight(s.weight_kg, units)


def show_sets(sets: list[LoggedSet], units: Units = Units.KG) -> str:
    """Sets for reading in the user's unit now, rounded ('10, 10, 9 @ 52.5 kg', '3x8 bw')."""
    runs: list[tuple[tuple[str, bool, float | None, int | None], list[int]]] = []
    for s in sets:
        key = (_load(s, units), s.max_effort, s.rpe, s.rir)
        if runs and runs[-1][0] == key:
            runs[-1][1].append(s.reps)
        else:
            runs.append((key, [s.reps]))
    parts = []
    for (load, top, rpe, rir), reps in runs:
        if top:
            text = ", ".join(f"max {r}" for r in reps) + ("" if load == "bw" else f" {load}")
        elif len(set(reps)) == 1:
            text = f"{len(reps)}x{reps[0]} {load}"
        else:
            text = ", ".join(str(r) for r in reps) + f" {load}"
        text += "" if rpe is None else f" rpe {rpe:g}"
        text += "" if rir is None else f" rir {rir}"
        parts.append(text)
    return "; ".join(parts)
