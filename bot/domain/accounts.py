"""Values the storage layer hands back: users and the program versions issued to them."""

from __future__ import annotations

from pydantic import AwareDatetime

from bot.domain.models import Frozen, Plan, Profile
from bot.domain.units import Units as Units


class User(Frozen):
    """A Telegram user known to the bot."""

    id: int
    chat_id: int
    first_name: str
    timezone: str | None
    units: Units
    created_at: AwareDatetime


class IssuedProgram(Frozen):
    """One version of a user's program, with the answers it was made from."""

    id: int
    user_id: int
    version: int
    profile: Profile
    plan: Plan
    created_at: AwareDatetime
