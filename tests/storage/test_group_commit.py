"""Group commit on real SQLite files: concurrent units share a COMMIT, each exits durable,
and a failing unit takes only its own writes down."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.storage.db import CURRENT_UPDATE, Database
from bot.storage.filesafety import StorageError

NOW = "2026-12-03T09:00:00+00:00"


def committed_users(path: Path) -> set[int]:
    """The users another process would see now: a fresh connection reads only what is committed."""
    with sqlite3.connect(path) as other:
        return {int(r[0]) for r in other.execute("SELECT id FROM users")}


async def add_user(db: Database, user_id: int) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (user_id, user_id, NOW, NOW),
        )


async def add_user_then_fail(db: Database, user_id: int, error: Exception) -> None:
    """A unit that writes, then finds a problem."""
    async with db.transaction():
        await add_user(db, user_id)  # joins this unit
        raise error


async def test_concurrent_units_share_one_commit_and_each_exits_committed(db: Database) -> None:
    seen_at_exit: dict[int, bool] = {}

    async def unit(user_id: int) -> None:
        await add_user(db, user_id)
        seen_at_exit[user_id] = user_id in committed_users(db.path)

    before = db.commits
    await asyncio.gather(*(unit(i) for i in range(1, 21)))
    assert db.commits - before == 1, "twenty units waiting together end with one COMMIT"
    assert seen_at_exit == {i: True for i in range(1, 21)}, "no unit exits before its COMMIT"
    assert committed_users(db.path) == set(range(1, 21))


async def test_a_finished_unit_is_not_visible_elsewhere_until_its_group_commits(
    db: Database,
) -> None:
    holding = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> None:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (2, 2, ?, ?)",
                (NOW, NOW),
            )
            holding.set()
            await release.wait()

    first = asyncio.create_task(add_user(db, 1))
    await asyncio.sleep(0)  # unit 1 takes the turn first
    second = asyncio.create_task(slow())
    await holding.wait()  # unit 1's body is done; unit 2 joined its group and holds it open
    await asyncio.sleep(0.05)
    assert not first.done(), "unit 1 waits for the COMMIT its group has not made yet"
    assert committed_users(db.path) == set(), "nothing is visible before the group's COMMIT"
    release.set()
    await asyncio.gather(first, second)
    assert committed_users(db.path) == {1, 2}


async def test_a_failing_unit_rolls_back_alone_and_gets_its_error(db: Database) -> None:
    async def duplicate() -> None:
        await add_user(db, 1)  # unit 1 below inserted it first: a constraint error

    results = await asyncio.gather(
        add_user(db, 1),
        add_user_then_fail(db, 50, ValueError("the use case found a problem")),
        add_user(db, 2),
        duplicate(),
        add_user(db, 3),
        return_exceptions=True,
    )
    assert results[0] is None and results[2] is None and results[4] is None
    assert isinstance(results[1], ValueError)
    assert isinstance(results[3], sqlite3.IntegrityError)
    assert committed_users(db.path) == {1, 2, 3}


async def test_the_first_unit_of_a_group_failing_does_not_stop_the_next(db: Database) -> None:
    results = await asyncio.gather(
        add_user_then_fail(db, 9, RuntimeError("boom")), add_user(db, 4), return_exceptions=True
    )
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert committed_users(db.path) == {4}


async def test_a_failed_commit_fails_every_unit_of_its_group_and_saves_none(
    db: Database,
) -> None:
    async def orphan() -> None:
        # A deferred foreign key is checked only at COMMIT: this makes the group's COMMIT fail.
        async with db.transaction() as conn:
            await conn.execute("PRAGMA defer_foreign_keys = ON")
            await conn.execute(
                "INSERT INTO conversations (user_id, flow, state, updated_at) "
                "VALUES (777, 'x', '{}', ?)",
                (NOW,),
            )

    results = await asyncio.gather(
        add_user(db, 1), orphan(), add_user(db, 2), return_exceptions=True
    )
    assert all(isinstance(r, sqlite3.IntegrityError) for r in results), results
    assert committed_users(db.path) == set()
    await add_user(db, 3)  # the connection is usable again
    assert committed_users(db.path) == {3}


async def test_units_cancelled_while_waiting_do_not_strand_the_others(db: Database) -> None:
    tasks = [asyncio.create_task(add_user(db, i)) for i in range(1, 31)]
    await asyncio.sleep(0)
    for task in tasks[1::3]:
        task.cancel()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=10)
    kept = {i for i, t in enumerate(tasks, start=1) if not t.cancelled()}
    assert kept <= committed_users(db.path)
    assert len(kept) >= 20


async def test_nested_units_inside_a_group_join_their_outer_unit(db: Database) -> None:
    async def outer(ok: bool) -> None:
        async with db.transaction():
            await add_user(db, 10 if ok else 11)
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (?, 1, ?, ?)",
                    (20 if ok else 21, NOW, NOW),
                )
            if not ok:
                raise ValueError("undo both")

    results = await asyncio.gather(outer(True), outer(False), return_exceptions=True)
    assert results[0] is None and isinstance(results[1], ValueError)
    assert committed_users(db.path) == {10, 20}


async def test_a_write_is_one_round_trip_and_marks_the_update_committed(db: Database) -> None:
    before = db.round_trips
    assert (
        await db.write(
            "INSERT INTO update_journal (update_id, body, status, received_at) "
            "VALUES (5, '{}', 'pending', ?)",
            (NOW,),
        )
        == 1
    )
    assert db.round_trips - before == 1, "opening, statement and COMMIT travel together"
    before = db.round_trips
    token = CURRENT_UPDATE.set(5)
    try:
        await add_user(db, 1)
    finally:
        CURRENT_UPDATE.reset(token)
    # BEGIN with the INSERT, then the journal mark with the COMMIT
    assert db.round_trips - before == 2
    row = await db.one("SELECT status FROM update_journal WHERE update_id = 5")
    assert row is not None and row[0] == "committed"
    before = db.round_trips
    assert await db.one("SELECT id FROM users") is not None
    assert db.round_trips - before == 1


async def test_a_failing_write_leaves_nothing_and_raises(db: Database) -> None:
    await add_user(db, 1)
    with pytest.raises(sqlite3.IntegrityError):
        await db.write(
            "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (1, 1, ?, ?)",
            (NOW, NOW),
        )
    assert await db.write("UPDATE users SET first_name = 'Ann' WHERE id = 1") == 1
    assert committed_users(db.path) == {1}


async def test_close_commits_what_waits_and_a_reopen_sees_it(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await asyncio.gather(*(add_user(db, i) for i in range(1, 6)))
    await db.close()
    again = await Database.open(path)
    try:
        rows = await again.all("SELECT id FROM users ORDER BY id")
        assert [int(r[0]) for r in rows] == [1, 2, 3, 4, 5]
    finally:
        await again.close()


async def test_close_does_not_wait_for_a_stuck_unit_and_tells_the_units_waiting_on_it(
    tmp_path: Path,
) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    inside, never = asyncio.Event(), asyncio.Event()

    async def stuck() -> None:
        async with db.transaction():
            await add_user(db, 1)
            inside.set()
            await never.wait()  # e.g. a network call that never returns

    waiting = asyncio.create_task(add_user(db, 2))
    await asyncio.sleep(0)  # unit 2 takes the turn first, then waits for the stuck unit
    hanging = asyncio.create_task(stuck())
    await inside.wait()
    await asyncio.wait_for(db.close(wait_s=0.2), timeout=5)
    with pytest.raises(StorageError):
        await waiting
    hanging.cancel()
    await asyncio.gather(hanging, return_exceptions=True)
    assert committed_users(db.path) == set(), "nothing half-committed"


async def test_a_unit_that_writes_nothing_still_marks_its_update_and_commits(
    db: Database,
) -> None:
    await db.write(
        "INSERT INTO update_journal (update_id, body, status, received_at) "
        "VALUES (8, '{}', 'pending', ?)",
        (NOW,),
    )
    token = CURRENT_UPDATE.set(8)
    try:
        async with db.transaction():
            pass  # its opening was never sent with a statement: it goes with the COMMIT
    finally:
        CURRENT_UPDATE.reset(token)
    with sqlite3.connect(db.path) as other:
        [(status,)] = other.execute("SELECT status FROM update_journal WHERE update_id = 8")
    assert status == "committed"


async def test_another_tasks_read_never_carries_a_units_opening(db: Database) -> None:
    await add_user(db, 1)
    reading = asyncio.Event()
    read_done = asyncio.Event()

    async def reader() -> None:
        await reading.wait()
        assert await db.one("SELECT id FROM users") is not None
        assert not db.conn.in_transaction, "the unit's BEGIN was not sent with this read"
        read_done.set()

    async def unit() -> None:
        async with db.transaction() as conn:
            reading.set()
            await read_done.wait()  # another task reads while this unit's opening waits
            await conn.execute(
                "INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (2, 2, ?, ?)",
                (NOW, NOW),
            )
            assert db.conn.in_transaction, "its own first statement opened it"

    await asyncio.gather(reader(), unit())
    assert committed_users(db.path) == {1, 2}


async def test_a_unit_cancelled_twice_while_leaving_still_leaves_the_group_consistent(
    db: Database,
) -> None:
    async def unit(user_id: int) -> None:
        await add_user(db, user_id)

    first = asyncio.create_task(unit(1))
    second = asyncio.create_task(unit(2))
    for _ in range(3):  # cancel the first unit repeatedly while it is on its way out
        await asyncio.sleep(0)
        first.cancel()
    await asyncio.gather(first, second, return_exceptions=True)
    await add_user(db, 3)  # the turn was passed on and the connection is usable
    kept = committed_users(db.path)
    assert {2, 3} <= kept and kept <= {1, 2, 3}
    assert not db.conn.in_transaction
