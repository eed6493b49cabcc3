"""A typed CallbackContext whose bot_data carries the app's services instead of string keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.domain.models import Library
from bot.storage.db import Database
from bot.storage.repo import Repo


class BotData:
    """Long-lived services shared by every handler; build_application and post_init fill them."""

    library: Library
    repo: Repo  # set in post_init, once the database is open
    db: Database
    clock: Clock
    db_path: Path


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with typed bot_data."""


App = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, Any]
