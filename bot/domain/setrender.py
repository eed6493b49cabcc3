"""Render sets back as one canonical line that the set-log parser reads back exactly.

Weights. `LoggedSet.weight_kg` is kept in kg on a grid of 0.000001 kg (rounded to 6 decimals
when a set is made). The grid is far finer than 0.01 lb (= 0.0045 kg), so every weight typed in
either unit maps to exactly one stored value: kg input is stored as typed, lb input as
lb x 0.45359237 rounded to the grid. Rendering writes each weight with its unit, choosing the
first exact spelling of: the user's unit with at most 2 decimals, the other unit with at most 2
decimals, kg with up to 6 decimals. Each spelling parses back to the very same stored value, so
parse_sets(render_sets(x, u), u) == x for both units, and "135 lb" or "52.5 kg" reads back as
typed whatever the user's default unit. One kg number per set keeps storage and progression
simple; the unit a weight was typed in is recovered from the number itself.
"""

from __future__ import annotations

from bot.domain.accounts import Units
from bot.domain.logged import LoggedSet
from bot.domain.weights import spell_weight


def _clause(s: LoggedSet, units: Units) -> str:
    if s.weight_kg is None:
        return "bw"
    return ("+" if s.added else "@ ") + spell_weight(s.weight_kg, units)


def _effort(s: LoggedSet) -> str:
    out = ""
    if s.rpe is not None:
        out += f" rpe {s.rpe:g}"
    if s.rir is not None:
        out += f" rir {s.rir}"
    return out


def _single(s: LoggedSet, units: Units) -> str:
    return _single_load(s, units) + _effort(s)


def _single_load(s: LoggedSet, units: Units) -> str:
    if s.max_effort:
        return f"max {s.reps}" + ("" if s.weight_kg is None else f" {_clause(s, units)}")
    if s.weight_kg is None:
        return f"bw x {s.reps}"
    return f"{'+' if s.added else ''}{spell_weight(s.weight_kg, units)} x {s.reps}"


def _group(s: LoggedSet, count: int, units: Units) -> str:
    if count == 1 or s.max_effort:
        return ", ".join([_single(s, units)] * count)
    return f"{count}x{s.reps} {_clause(s, units)}{_effort(s)}"


def render_sets(sets: list[LoggedSet], units: Units = Units.KG) -> str:
    """One canonical line for the sets, in the user's units, that parse_sets reads back exactly.

    Up to 20 sets (what one line may hold); no sets give "".
    """
    if not sets:
        return ""
    first = sets[0]
    same_load = all(
        (s.weight_kg, s.added, s.rpe, s.rir) == (first.weight_kg, first.added, first.rpe, first.rir)
        and not s.max_effort
        for s in sets
    )
    if same_load and len(sets) > 1 and len({s.reps for s in sets}) > 1:
        return ", ".join(str(s.reps) for s in sets) + " " + _clause(first, units) + _effort(first)
    groups: list[tuple[LoggedSet, int]] = []
    for s in sets:
        if groups and groups[-1][0] == s:
            groups[-1] = (s, groups[-1][1] + 1)
        else:
            groups.append((s, 1))
    return ", ".join(_group(s, n, units) for s, n in groups)
