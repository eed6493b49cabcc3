"""The aiosqlite connection the storage layer uses: it counts round trips and sends a unit's
opening statement along with that unit's first call."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite

# One statement and its parameters.
Step = tuple[str, Sequence[Any]]


class CountingConnection(aiosqlite.Connection):
    """An aiosqlite connection that counts its calls into the SQLite thread (round trips),
    and sends a unit's opening statement along with that unit's first call."""

    def __init__(self, connector: Callable[[], sqlite3.Connection], iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self.calls = 0
        self._prelude: list[Step] = []
        self._prelude_owner: asyncio.Task[Any] | None = None

    def set_prelude(self, steps: list[Step], owner: asyncio.Task[Any] | None) -> None:
        """Run `steps` just before the next call made by `owner` (BEGIN or SAVEPOINT)."""
        self._prelude, self._prelude_owner = steps, owner

    def take_prelude(self) -> list[Step]:
        """The statements not sent yet (the unit made no call); they will not be sent."""
        steps, self._prelude, self._prelude_owner = self._prelude, [], None
        return steps

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        # Every aiosqlite call (connection and cursor) goes through this one method in 0.20-0.22
        # (pinned in pyproject.toml); tests/storage/test_group_commit.py counts on it.
        self.calls += 1
        # Only the owner's own call carries its opening: another task's read must never
        # fail with (or be blamed for) a BEGIN it did not ask for.
        if self._prelude and asyncio.current_task() is self._prelude_owner:
            steps = self.take_prelude()
            raw = self._conn

            def opened() -> Any:
                for sql, params in steps:
                    raw.execute(sql, params)
                return fn(*args, **kwargs)

            return await super()._execute(opened)  # type: ignore[no-untyped-call]
        return await super()._execute(fn, *args, **kwargs)  # type: ignore[no-untyped-call]
