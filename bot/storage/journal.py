"""The update journal's SQL: record an update before it is acknowledged, mark it handled."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from bot.storage.db import Database
from bot.storage.repo import to_text

# Handled updates are remembered this long, so a late redelivery is still recognised.
KEEP_DONE = timedelta(days=2)
_RECORD = """INSERT INTO update_journal (update_id, body, status, received_at)
             VALUES (?, ?, 'pending', ?) ON CONFLICT (update_id) DO NOTHING"""
_STATUS = "SELECT status FROM update_journal WHERE update_id = ?"
_FINISH = """UPDATE update_journal SET status = ?, body = NULL, done_at = ?
             WHERE update_id = ? AND status IN ('pending', 'committed')"""


class JournalRepo:
    """Rows of `update_journal`; bodies are JSON text the shell encodes and decodes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, update_id: int, body: str, now: datetime) -> bool:
        """Store a new update as pending; False if this update_id was seen before.

        One call into SQLite, sharing its COMMIT with whatever else is being written; it
        returns once the row is durable.
        """
        added = await self.db.write(_RECORD, (update_id, body, to_text(now)))
        return added == 1

    async def record_many(self, bodies: list[tuple[int, str]], now: datetime) -> dict[int, str]:
        """Store a fetched batch as pending in one call into SQLite (one COMMIT, shared as
        usual); for each update_id, 'new' or the status it already had."""
        received = to_text(now)

        def work(conn: sqlite3.Connection) -> dict[int, str]:
            out: dict[int, str] = {}
            for update_id, body in bodies:
                cur = conn.execute(_RECORD, (update_id, body, received))
                if cur.rowcount == 1:
                    out[update_id] = "new"
                    continue
                row = conn.execute(_STATUS, (update_id,)).fetchone()
                out[update_id] = str(row[0]) if row else "new"
            return out

        return await self.db.once(work)

    async def finish_many(self, outcomes: list[tuple[int, bool]], now: datetime) -> None:
        """`finish` for several updates in one call into SQLite."""
        done_at = to_text(now)
        rows = [("done" if handled else "dropped", done_at, uid) for uid, handled in outcomes]

        def work(conn: sqlite3.Connection) -> None:
            conn.executemany(_FINISH, rows)

        await self.db.once(work)

    async def finish(self, update_id: int, handled: bool, now: datetime) -> None:
        """Mark the update done (or dropped, over a user's backlog) and forget its body."""
        await self.db.write(_FINISH, ("done" if handled else "dropped", to_text(now), update_id))

    async def pending(self, limit: int = 10_000) -> list[tuple[int, str]]:
        """Recorded but unfinished updates, oldest first."""
        rows = await self.db.all(
            """SELECT update_id, body FROM update_journal WHERE status = 'pending'
               ORDER BY update_id LIMIT ?""",
            (limit,),
        )
        return [(int(r["update_id"]), str(r["body"])) for r in rows]

    async def committed(self, limit: int = 10_000) -> list[tuple[int, str]]:
        """Updates whose writes are in but whose handler did not finish (its reply may be lost)."""
        rows = await self.db.all(
            """SELECT update_id, body FROM update_journal WHERE status = 'committed'
               ORDER BY update_id LIMIT ?""",
            (limit,),
        )
        return [(int(r["update_id"]), str(r["body"])) for r in rows]

    async def status(self, update_id: int) -> str | None:
        """'pending', 'done', 'dropped', or None if never recorded."""
        row = await self.db.one(_STATUS, (update_id,))
        return str(row["status"]) if row else None

    async def prune(self, now: datetime) -> int:
        """Forget handled updates older than KEEP_DONE; return how many."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM update_journal WHERE status != 'pending' AND done_at < ?",
                (to_text(now - KEEP_DONE),),
            )
            return cur.rowcount
