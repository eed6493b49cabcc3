"""aiosqlite storage: the connection, numbered migrations, and the only SQL in the project."""

from bot.storage.db import Database

__all__ = ["Database"]
