"""The weight units a user logs in: its own small module, so a plain-text prescription
(`bot.domain.text`, `python -m bot plan`) needs no user model to name them."""

from __future__ import annotations

from enum import StrEnum


class Units(StrEnum):
    """Weight units a user logs in."""

    KG = "kg"
    LB = "lb"
