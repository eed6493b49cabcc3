"""The SQLite connection: WAL, foreign keys, migrations at open, group-committed units of work."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar, cast

import aiosqlite

from bot.storage.connection import CountingConnection, Step
from bot.storage.filesafety import StorageError, explain
from bot.storage.migrations import MIGRATIONS, statements
from bot.storage.opening import check, connect
from bot.storage.units import CommitFailed, Work, keeping, opening
from bot.unitofwork import CURRENT_UPDATE as CURRENT_UPDATE  # the shell sets it, per update
from bot.unitofwork import committed

log = logging.getLogger(__name__)

T = TypeVar("T")

# The task that holds the open transaction, so a use case's repo calls join its unit of work
# instead of committing one by one. A task is compared, not a flag, because a task started
# inside a transaction inherits the context but is not part of it.
_TX_OWNER: ContextVar[asyncio.Task[Any] | None] = ContextVar("_TX_OWNER", default=None)

# How many units one COMMIT may end at most, so a steady stream of writers still commits.
MAX_GROUP = 64


class Database:
    """One aiosqlite connection; writes are units of work that share commits (group commit).

    Units run one at a time on the connection. The first unit of a group opens the
    transaction (BEGIN IMMEDIATE), later ones run inside a SAVEPOINT each, so a failing unit
    rolls back only its own writes. When no other unit is waiting (or MAX_GROUP is reached)
    one COMMIT ends the group, and every unit's `async with` exits only after that COMMIT.
    """

    def __init__(self, conn: CountingConnection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.max_group = MAX_GROUP
        self.commits = 0  # COMMITs issued, for tests and benches
        self._turn = asyncio.Lock()  # held by the unit running on the connection
        self._waiting = 0  # units waiting for their turn
        self._open = False  # a group transaction is open
        self._members: list[asyncio.Future[None]] = []  # kept units waiting for the COMMIT
        self._tasks: set[asyncio.Task[Any]] = set()

    @property
    def round_trips(self) -> int:
        """Calls into the SQLite thread so far: what a request costs, measured by difference."""
        return self.conn.calls

    @classmethod
    async def open(cls, path: Path | str, busy_timeout_ms: int = 5000) -> Database:
        """Open (creating if needed, private) the file, check it, and bring its schema up to date.

        Raises StorageError, with one line saying what to do, if the file is damaged,
        read-only, locked by another process or cannot be opened.
        """
        path = Path(path)
        conn = await connect(path, busy_timeout_ms)
        try:
            db = cls(conn, path)
            await check(conn, path)
            await db.migrate()
        except sqlite3.Error as e:
            await conn.close()
            raise explain(path, e) from e
        except BaseException:
            await conn.close()  # a half-opened database must not leave its thread behind
            raise
        return db

    async def close(self, wait_s: float = 10.0) -> None:
        """Commit what is waiting for a COMMIT, then close the connection.

        A unit still running after `wait_s` (stuck at shutdown) is not waited for: closing
        rolls back what it wrote, as a crash would.
        """
        try:
            await asyncio.wait_for(self.flush(), wait_s)
        except TimeoutError:
            log.warning("closing the database with a unit of work still open")
            members, self._members = self._members, []
            for member in members:  # their group will never be committed now
                if not member.done():
                    member.set_exception(StorageError("the database closed before a commit"))
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
                for statement in statements(MIGRATIONS[version]):
                    await self.conn.execute(statement)
                await self.conn.execute(f"PRAGMA user_version={version + 1}")
            log.info("database migrated to schema version %d", version + 1)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """One unit of work: all its writes are kept, or (on any error) none of them.

        Transactions nest: inside an open one (in the same task) this joins it, and the
        outermost unit is the one kept or undone. The `async with` exits only once the
        COMMIT that made the unit durable is done, and raises if that COMMIT failed.
        """
        task = asyncio.current_task()
        if task is not None and _TX_OWNER.get() is task:
            yield self.conn
            return
        first = await self._enter()
        token = _TX_OWNER.set(task)
        # The opening travels with the unit's first statement: one round trip fewer.
        self.conn.set_prelude([opening(first)], task)
        self._open = True
        try:
            yield self.conn
        except BaseException as e:
            _TX_OWNER.reset(token)
            await self._guarded(self._leave(first, e, CURRENT_UPDATE.get()))
            raise
        _TX_OWNER.reset(token)
        await self._guarded(self._leave(first, None, CURRENT_UPDATE.get()))
        committed()  # counted per update: a use case must commit once (bot/unitofwork.py)

    async def write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement as a unit of work in a single call into SQLite; its rowcount.

        Like `transaction()` (it joins the caller's open unit, or shares a group's COMMIT
        and returns after it), but the opening, the statement and the release travel together.
        """
        task = asyncio.current_task()
        if task is not None and _TX_OWNER.get() is task:
            return (await self._hop([(sql, params)]))[0]
        first = await self._enter()
        counts = await self._guarded(
            self._leave(first, None, CURRENT_UPDATE.get(), head=[opening(first), (sql, params)])
        )
        committed()
        return int(counts[1])

    async def flush(self) -> None:
        """Commit the open group now, if any (at close, or when a waiting unit gave up)."""
        await self._enter()
        await self._guarded(self._pass_turn())

    async def _enter(self) -> bool:
        """Wait for this unit's turn on the connection; True if it opens a new group."""
        self._waiting += 1
        try:
            await self._turn.acquire()
        except BaseException:
            self._waiting -= 1
            if self._waiting == 0 and self._members and not self._turn.locked():
                self._spawn(self.flush())  # the unit that was to commit the group has gone
            raise
        self._waiting -= 1
        return not self._open

    async def _leave(
        self,
        first: bool,
        error: BaseException | None,
        update_id: int | None,
        head: Sequence[Step | Work] = (),
    ) -> list[int]:
        """End a unit that holds the turn: keep or undo its writes, pass the turn, and (if
        kept) wait for the COMMIT that makes them durable. `head`: the unit's own statements,
        sent in the same call; their rowcounts are returned."""
        member: asyncio.Future[None] | None = None
        counts: list[int] = []
        unsent = self.conn.take_prelude()  # the unit sent no statement: its opening is here
        skip = len(unsent)
        try:
            if error is not None and unsent:
                if first:
                    self._open = False  # nothing of this unit (or its group) reached SQLite
            elif error is None:
                # Commit now if nobody is waiting to join, in the same call as the release.
                commit = self._waiting == 0 or len(self._members) + 1 >= self.max_group
                steps = [*unsent, *head, *keeping(first, update_id)]
                try:
                    counts = await self._hop([*steps, ("COMMIT", ())] if commit else steps)
                    counts = counts[skip:]
                except CommitFailed as e:
                    error = e.error
                    await self._fail_group(error)
                except BaseException as e:
                    error = e
                    await self._undo(first, error)
                else:
                    if commit:
                        self._committed()
                    else:
                        self._open = True
                        member = asyncio.get_running_loop().create_future()
                        self._members.append(member)
            else:
                await self._undo(first, error)
        finally:
            await self._pass_turn()
        if error is not None:
            raise error
        if member is not None:
            await member
        return counts

    async def _undo(self, first: bool, error: BaseException) -> None:
        """Roll back one unit's writes, leaving the rest of its group as it was."""

        def undo() -> bool:
            # Decided in SQLite's thread, after any statement still queued there (one sent
            # by a call that was then cancelled): the connection's state is known only there.
            raw = self.conn._conn
            if not raw.in_transaction:
                return False  # SQLite already rolled everything back (e.g. a full disk)
            if not first:
                try:
                    raw.execute("ROLLBACK TO unit")
                    raw.execute("RELEASE unit")
                    return True
                except sqlite3.Error:
                    log.warning("could not roll back one unit; rolling back its group")
            raw.execute("ROLLBACK")
            return False

        if not await self.conn._execute(undo):
            # Whatever was not committed is gone: the units waiting for this group's
            # COMMIT fail with this error.
            self._fail_members(error)

    async def _fail_group(self, error: BaseException) -> None:
        """The open group cannot be committed: roll it back; its waiting units get `error`."""

        def rollback() -> None:
            if self.conn._conn.in_transaction:
                self.conn._conn.execute("ROLLBACK")

        with suppress(sqlite3.Error):
            await self.conn._execute(rollback)
        self._fail_members(error)

    def _fail_members(self, error: BaseException) -> None:
        self._open = False
        members, self._members = self._members, []
        for member in members:
            if not member.done():
                member.set_exception(error)

    def _committed(self) -> None:
        """The group's COMMIT is done: every unit waiting for it may go on."""
        self.commits += 1
        self._open = False
        members, self._members = self._members, []
        for member in members:
            if not member.done():
                member.set_result(None)

    async def _pass_turn(self) -> None:
        """Commit the group if nobody else is waiting (or it is full); give up the turn."""
        try:
            if self._members and (self._waiting == 0 or len(self._members) >= self.max_group):
                try:
                    await self._hop([("COMMIT", ())])
                except CommitFailed as e:
                    log.error("a commit of %d unit(s) failed", len(self._members))
                    await self._fail_group(e.error)
                except BaseException as e:  # e.g. the connection is gone: nobody may wait on
                    self._fail_members(e)
                    raise
                else:
                    self._committed()
        finally:
            self._turn.release()

    async def _hop(self, steps: Sequence[Step | Work]) -> list[int]:
        """Run statements in order in one call into the SQLite thread; their rowcounts."""

        def run() -> list[int]:
            raw = self.conn._conn
            counts = []
            for step in steps:
                if isinstance(step, Work):
                    step.run(raw)
                    counts.append(0)
                    continue
                sql, params = step
                try:
                    counts.append(raw.execute(sql, params).rowcount)
                except sqlite3.Error as e:
                    if sql == "COMMIT":
                        raise CommitFailed(e) from e
                    raise
            return counts

        if not steps:
            return []
        result: list[int] = await self.conn._execute(run)
        return result

    async def _guarded(self, work: Any) -> Any:
        """Await `work` to its end even if the caller is cancelled meanwhile, so the
        connection's state (open group, savepoint, turn) always ends consistent."""
        task: asyncio.Future[Any] = asyncio.ensure_future(work)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            while not task.done():  # shielded again: a second cancel must not stop it either
                with suppress(BaseException):
                    await asyncio.shield(task)
            raise

    def _spawn(self, work: Any) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._forget)

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a background commit failed", exc_info=task.exception())

    async def unit(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work`'s statements as one unit of work in ONE call into the SQLite thread.

        A `transaction()` whose statements travel together: the opening rides with them, and
        the release and COMMIT follow in the unit's closing call, so a hot path such as a set
        log pays two round trips for all its writes. `work` runs on aiosqlite's thread and must
        only touch the connection it is given.
        """
        async with self.transaction():
            return await self._on_thread(work)

    async def once(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work` as one unit of work in ONE call into SQLite, COMMIT included when no other
        unit waits to join the group (else the group's last unit commits it, as usual).

        The update is marked committed only if `work` changed a row: a use case that decided
        to write nothing leaves its update pending, so a crash replays it like any read.
        Inside an open unit of the same task it simply joins it. `work` runs on aiosqlite's
        thread, in a copy of the caller's context (so text it translates is in the update's
        language); it must only touch the connection it is given.
        """
        task = asyncio.current_task()
        context = contextvars.copy_context()
        if task is not None and _TX_OWNER.get() is task:
            return await self._on_thread(lambda conn: context.run(work, conn))
        first = await self._enter()
        step = Work(lambda conn: context.run(work, conn), CURRENT_UPDATE.get())
        await self._guarded(self._leave(first, None, None, head=[opening(first), step]))
        if step.changed:
            committed()  # a unit that wrote nothing does not count as the update's commit
        result: T = step.result
        return result

    async def _on_thread(self, work: Callable[[sqlite3.Connection], T]) -> T:
        # aiosqlite has no public "run this on your thread"; _execute is what its own
        # execute_fetchall and execute_insert use, stable since 0.17.
        run = cast(Callable[..., Awaitable[T]], self.conn._execute)
        return await run(work, self.conn._conn)

    async def one(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        """The first row of a query, or None (one round trip)."""
        rows = await self.conn.execute_fetchall(sql, tuple(params))
        for row in rows:
            return row
        return None

    async def all(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """Every row of a query (one round trip)."""
        return list(await self.conn.execute_fetchall(sql, tuple(params)))
