"""Storage fixtures: a fresh database in a real SQLite file per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage.db import Database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """An open database (schema up to date) in the test's own folder, closed afterwards."""
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()
