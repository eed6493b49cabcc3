"""Opening the SQLite file: a private file, one counted connection, and the connection's PRAGMAs.

Checking the file at start-up is here too; `bot.storage.db.Database.open` then migrates it.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import aiosqlite

from bot.storage.connection import CountingConnection
from bot.storage.filesafety import StorageError, corrupt_advice, explain, prepare_private
from bot.storage.items import register as register_items
from bot.storage.plans import register

log = logging.getLogger(__name__)


async def connect(path: Path, busy_timeout_ms: int) -> CountingConnection:
    """The connection, in WAL mode with foreign keys on and the custom functions registered.

    Raises StorageError, with one line saying what to do, if the file cannot be opened; a
    connection that fails half-way is closed, so its thread is not left behind.
    """
    prepare_private(path)
    location = str(path)
    conn = CountingConnection(lambda: sqlite3.connect(location, isolation_level=None), 64)
    try:
        await conn
    except sqlite3.Error as e:
        raise explain(path, e) from e
    try:
        conn.row_factory = aiosqlite.Row
        await conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        await conn.execute("PRAGMA journal_mode=WAL")
        await conn.execute("PRAGMA foreign_keys=ON")
        await conn.execute("PRAGMA synchronous=NORMAL")
        await register(conn)
        await register_items(conn)
    except sqlite3.Error as e:
        await conn.close()
        raise explain(path, e) from e
    except BaseException:
        await conn.close()
        raise
    return conn


async def check(conn: CountingConnection, path: Path) -> None:
    """A damaged file stops the bot at start-up instead of failing update after update."""
    rows = list(await conn.execute_fetchall("PRAGMA quick_check"))
    if [r[0] for r in rows] != ["ok"]:
        log.error("quick_check found %d problem(s) in %s", len(rows), path)
        raise StorageError(f"database {path} {corrupt_advice()}.")
    # Take the write lock and write (then roll back), so read-only and locked files show
    # up now rather than at a user's first answer.
    versions = list(await conn.execute_fetchall("PRAGMA user_version"))
    version = int(versions[0][0]) if versions else 0
    await conn.execute("BEGIN IMMEDIATE")
    try:
        await conn.execute(f"PRAGMA user_version={version}")
    finally:
        await conn.execute("ROLLBACK")
