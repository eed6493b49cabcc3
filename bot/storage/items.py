"""How a workout's items are stored: compressed JSON, readable from SQL as workout_items()."""

from __future__ import annotations

import json
import zlib

import aiosqlite

from bot.domain.workouts import WorkoutItem


def items_json(items: list[WorkoutItem]) -> bytes:
    """The items as stored (about 2 KB of JSON becomes about 0.5 KB)."""
    # Compressed: the row is rewritten at every logged line and was half of what a training
    # user stores.
    return zlib.compress(json.dumps([i.model_dump(mode="json") for i in items]).encode())


def items_text(stored: str | bytes) -> str:
    """A workout's stored items as JSON text (rows before compression hold the text itself)."""
    return zlib.decompress(stored).decode() if isinstance(stored, bytes) else stored


async def register(conn: aiosqlite.Connection) -> None:
    """Make workout_items() callable from SQL, so a query can read a workout's exercises."""
    await conn.create_function("workout_items", 1, items_text, deterministic=True)
