"""The SQLite connection: WAL, foreign keys, migrations at open, and explicit transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import aiosqlite

from bot.storage.filesafety import StorageError, corrupt_advice, explain, prepare_private
from bot.storage.migrations import MIGRATIONS
from bot.unitofwork import CURRENT_UPDATE, committed

log = logging.getLogger(__name__)

# The task that holds the open transaction, so a use case's repo calls join its unit of work
# instead of committing one by one. A task is compared, not a flag, because a task started
# inside a transaction inherits the context but is not part of it.
_TX_OWNER: ContextVar[asyncio.Task[Any] | None] = ContextVar("_TX_OWNER", default=None)


class Database:
    """One aiosqlite connection; writes go through `transaction()` one at a time."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating if needed, private) the file, check it, and bring its schema up to date.

        Raises StorageError, with one line saying what to do, if the file is damaged,
        read-only, locked by another process or cannot be opened.
        """
        path = Path(path)
        prepare_private(path)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as e:
            raise explain(path, e) from e
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA synchronous=NORMAL")
            db = cls(conn, path)
            await db._check()
            await db.migrate()
        except sqlite3.Error as e:
            await conn.close()
            raise explain(path, e) from e
        except BaseException:
            await conn.close()  # a half-opened database must not leave its thread behind
            raise
        return db

    async def _check(self) -> None:
        """A damaged file stops the bot at start-up instead of failing update after update."""
        rows = await self.all("PRAGMA quick_check")
        if [r[0] for r in rows] != ["ok"]:
            log.error("quick_check found %d problem(s) in %s", len(rows), self.path)
            raise StorageError(f"database {self.path} {corrupt_advice()}.")
        # Take the write lock and write (then roll back), so read-only and locked files show
        # up now rather than at a user's first answer.
        version = await self.schema_version()
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            await self.conn.execute(f"PRAGMA user_version={version}")
        finally:
            await self.conn.execute("ROLLBACK")

    async def close(self) -> None:
        """Close the connection."""
        await self.conn.close()

    async def schema_version(self) -> int:
        """The PRAGMA user_version of the open database."""
        row = await self.one("PRAGMA user_version")
        return int(row[0]) if row else 0

    async def migrate(self) -> None:
        """Apply every migration the database has not seen yet, each in its own transaction."""
        current = await self.schema_version()
        if current > len(MIGRATIONS):
            raise RuntimeError(
                f"database {self.path} has schema version {current}, newer than this code "
                f"({len(MIGRATIONS)}); upgrade BackCoach"
            )
        for version in range(current, len(MIGRATIONS)):
            async with self.transaction():
                for statement in _statements(MIGRATIONS[version]):
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version={version + 1}")
            log.info("database migrated to schema version %d", version + 1)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error; one writer at a time.

        Transactions nest: inside an open one (in the same task) this joins it, and the
        outermost commits everything together, so a use case's writes are one unit of work.
        """
        task = asyncio.current_task()
        if task is not None and _TX_OWNER.get() is task:
            yield self.conn
            return
        async with self._write_lock:
            token = _TX_OWNER.set(task)
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
                update_id = CURRENT_UPDATE.get()
                if update_id is not None:
                    await self.conn.execute(
                        "UPDATE update_journal SET status = 'committed' "
                        "WHERE update_id = ? AND status = 'pending'",
                        (update_id,),
                    )
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            finally:
                _TX_OWNER.reset(token)
            await self.conn.execute("COMMIT")
            committed()  # counted per update: a use case must commit once (bot/unitofwork.py)

    async def one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """The first row of a query, or None."""
        async with self.conn.execute(sql, tuple(params)) as cur:
            row: aiosqlite.Row | None = await cur.fetchone()
            return row

    async def all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Every row of a query."""
        async with self.conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]
