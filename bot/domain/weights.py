"""Weights in kg and lb: the storage grid, exact spellings, and display.

`LoggedSet.weight_kg` is kept in kg on a grid of 0.000001 kg, fine enough that every weight
typed in either unit (to 0.01) maps to exactly one stored value; see bot/domain/setlog.py.
"""

from __future__ import annotations

import re
from decimal import Decimal

from bot.domain.units import Units

KG_PER_LB = Decimal("0.45359237")
GRID = Decimal("0.000001")


def to_grid(value: Decimal, unit: Units) -> Decimal:
    """A weight in `unit` as kg on the storage grid."""
    kg = value * KG_PER_LB if unit is Units.LB else value
    return kg.quantize(GRID)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _spell_in(kg: Decimal, unit: Units) -> str | None:
    """An exact spelling of `kg` in `unit` with at most 2 decimals, if there is one."""
    value = kg if unit is Units.KG else kg / KG_PER_LB
    for places in (0, 1, 2):
        candidate = value.quantize(Decimal(1).scaleb(-places))
        if candidate > 0 and to_grid(candidate, unit) == kg:
            return f"{_plain(candidate)} {unit.value}"
    return None


def spell_weight(weight_kg: float, units: Units = Units.KG) -> str:
    """A weight with its unit, written so that parse_sets reads back exactly the same kg."""
    kg = Decimal(repr(weight_kg)).quantize(GRID)
    other = Units.LB if units is Units.KG else Units.KG
    return _spell_in(kg, units) or _spell_in(kg, other) or f"{_plain(kg)} kg"


def show_weight(weight_kg: float, units: Units = Units.KG) -> str:
    """A weight for reading in the user's unit, to 2 decimals at most ("52.5 kg", "135 lb")."""
    value = Decimal(repr(weight_kg))
    if units is Units.LB:
        value = value / KG_PER_LB
    return f"{_plain(value.quantize(Decimal('0.01')))} {units.value}"


_LONE_WEIGHT = re.compile(r"^\s*@?\s*([0-9]{1,3}(?:[.,][0-9]{1,2})?)\s*(kg|kgs|lb|lbs)?\s*\.?\s*$")


def parse_weight(text: str, units: Units = Units.KG) -> float | None:
    """A lone weight such as '40', '42,5 kg' or '90 lb', in kg on the grid; None if not one."""
    m = _LONE_WEIGHT.match(text.lower())
    if m is None:
        return None
    word = m.group(2) or ""
    unit = units if not word else Units.LB if word.startswith("lb") else Units.KG
    kg = to_grid(Decimal(m.group(1).replace(",", ".")), unit)
    return float(kg) if 0 < kg <= 500 else None
