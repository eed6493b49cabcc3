"""Database.once on real SQLite files: a whole use case in one call into SQLite, COMMIT included,
marking its update committed only if it wrote."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.i18n import _, reset_language, set_language
from bot.storage.db import CURRENT_UPDATE, Database
from tests.storage.test_group_commit import NOW, add_user, committed_users


def journal(db_path: Path, update_id: int) -> str:
    with sqlite3.connect(db_path) as other:
        row = other.execute(
            "SELECT status FROM update_journal WHERE update_id = ?", (update_id,)
        ).fetchone()
    return str(row[0])


async def record(db: Database, update_id: int) -> None:
    await db.write(
        "INSERT INTO update_journal (update_id, body, status, received_at) "
        "VALUES (?, '{}', 'pending', ?)",
        (update_id, NOW),
    )


def insert_user(user_id: int) -> Callable[[sqlite3.Connection], int]:
    def work(conn: sqlite3.Connection) -> int:
        conn.execute(
            "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (user_id, user_id, NOW, NOW),
        )
        return user_id

    return work


async def test_a_writing_unit_is_one_round_trip_durable_and_marks_its_update(
    db: Database,
) -> None:
    await record(db, 7)
    before, commits = db.round_trips, db.commits
    token = CURRENT_UPDATE.set(7)
    try:
        got = await db.once(insert_user(1))
    finally:
        CURRENT_UPDATE.reset(token)
    assert got == 1
    assert db.round_trips - before == 1, "opening, work, journal mark and COMMIT together"
    assert db.commits - commits == 1
    assert committed_users(db.path) == {1}, "durable when once() returns"
    assert journal(db.path, 7) == "committed"


async def test_a_unit_that_writes_nothing_leaves_its_update_pending(db: Database) -> None:
    await record(db, 8)
    token = CURRENT_UPDATE.set(8)
    try:
        got = await db.once(lambda conn: conn.execute("SELECT COUNT(*) FROM users").fetchone()[0])
    finally:
        CURRENT_UPDATE.reset(token)
    assert got == 0
    assert journal(db.path, 8) == "pending", "a crash replays a read; it never skips it"


async def test_a_failing_unit_keeps_nothing_and_raises(db: Database) -> None:
    def fails(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (3, 3, ?, ?)",
            (NOW, NOW),
        )
        raise LookupError("decided too late that it cannot go on")

    with pytest.raises(LookupError):
        await db.once(fails)
    assert committed_users(db.path) == set()
    await db.once(insert_user(4))
    assert committed_users(db.path) == {4}, "the connection is usable after the rollback"


async def test_units_waiting_together_share_a_commit_and_inside_a_transaction_join_it(
    db: Database,
) -> None:
    before = db.commits
    await asyncio.gather(
        *(db.once(insert_user(i)) for i in range(10, 20)),
        *(add_user(db, i) for i in range(20, 25)),
    )
    assert committed_users(db.path) == set(range(10, 25))
    assert db.commits - before < 15, "units waiting together share COMMITs"
    with pytest.raises(RuntimeError):
        async with db.transaction():
            await db.once(insert_user(30))
            raise RuntimeError("the outer unit fails")
    assert 30 not in committed_users(db.path), "a joined unit goes with its outer unit"


async def test_the_work_runs_in_the_callers_context_so_its_words_are_in_the_users_language(
    db: Database,
) -> None:
    token = set_language("ru")
    try:
        said = await db.once(lambda conn: _("Kept as it was."))
        async with db.transaction():  # joined: the same holds inside an open unit
            said_inside = await db.once(lambda conn: _("Kept as it was."))
    finally:
        reset_language(token)
    assert said == said_inside != "Kept as it was."
    assert await db.once(lambda conn: _("Kept as it was.")) == "Kept as it was."
