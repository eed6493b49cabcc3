"""The vocabulary of the coaching core: the field types and enums the models are built from.

`bot.domain.models` builds the content, profile and plan models from these and re-exports them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class Goal(StrEnum):
    """What the user wants from back training."""

    WIDTH = "width"
    THICKNESS = "thickness"
    STRENGTH = "strength"
    HEALTH = "health"


class Level(StrEnum):
    """Training experience."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class DayKind(StrEnum):
    """The two days of the split."""

    UPPER = "upper"
    LOWER = "lower"


class Pattern(StrEnum):
    """Movement pattern; replacements keep the pattern."""

    WARMUP = "warmup"
    VERTICAL_PULL = "vertical-pull"
    HORIZONTAL_PULL = "horizontal-pull"
    HINGE = "hinge"
    SHRUG = "shrug"
    PULLOVER = "pullover"
    REAR_DELT = "rear-delt"
    SPINAL_EXTENSION = "spinal-extension"
    STRETCH = "stretch"


class Property(StrEnum):
    """Safety-relevant properties of an exercise, which conditions rule out."""

    AXIAL_LOAD = (
        "axial-load"  # the spine carries the load lengthwise (standing or bent over with a bar)
    )
    HEAVY_FREE_WEIGHT = "heavy-free-weight"  # a heavy barbell or dumbbell, not guided by a machine
    TWISTING = "twisting"  # rotation of the trunk, or a real risk of it (one-sided pulls)
    JUMPING = "jumping"
    EXPLOSIVE = "explosive"  # a fast, forceful phase or a sudden movement
    LOADED_SPINAL_FLEXION = "loaded-spinal-flexion"  # the spine bends and straightens under load
    ADDED_LOAD = "added-load"  # weight added to a bodyweight movement (belt, vest)
    HANGING = "hanging"  # hangs the full bodyweight from the hands


class Equipment(StrEnum):
    """What a gym may or may not have."""

    BARBELL = "barbell"
    DUMBBELL = "dumbbell"
    CABLE = "cable"
    PULLUP_BAR = "pullup-bar"
    ASSISTED_PULLUP = "assisted-pullup"
    ROW_MACHINE = "row-machine"
    T_BAR = "t-bar"
    BENCH = "bench"
    HYPEREXTENSION_BENCH = "hyperextension-bench"
    CARDIO_MACHINE = "cardio-machine"
    JUMP_ROPE = "jump-rope"


class LoadKind(StrEnum):
    """How an exercise is loaded, which sets its progression step."""

    BARBELL = "barbell"
    DUMBBELL = "dumbbell"
    CABLE = "cable"
    MACHINE = "machine"
    BODYWEIGHT = "bodyweight"
    NONE = "none"


class Outcome(StrEnum):
    """The result of screening."""

    CLEAR = "clear"
    RESTRICTED = "restricted"
    REFER = "refer"


class ConditionOutcome(StrEnum):
    """What a single condition means for training."""

    REFER = "refer"
    RESTRICT = "restrict"


class SetKind(StrEnum):
    """Kinds of sets in a prescription."""

    WARMUP = "warmup"
    WORKING = "working"
    MAX = "max"
