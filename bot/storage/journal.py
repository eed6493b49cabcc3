"""The update journal's SQL: record an update before it is acknowledged, mark it handled."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.storage.db import Database
from bot.storage.repo import to_text

# Handled updates are remembered this long, so a late redelivery is still recognised.
KEEP_DONE = timedelta(days=2)


class JournalRepo:
    """Rows of `update_journal`; bodies are JSON text the shell encodes and decodes."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, update_id: int, body: str, now: datetime) -> bool:
        """Store a new update as pending; False if this update_id was seen before.

        One call into SQLite, sharing its COMMIT with whatever else is being written; it
        returns once the row is durable.
        """
        added = await self.db.write(
            """INSERT INTO update_journal (update_id, body, status, received_at)
               VALUES (?, ?, 'pending', ?) ON CONFLICT (update_id) DO NOTHING""",
            (update_id, body, to_text(now)),
        )
        return added == 1

    async def finish(self, update_id: int, handled: bool, now: datetime) -> None:
        """Mark the update done (or dropped, over a user's backlog) and forget its body."""
        await self.db.write(
            """UPDATE update_journal SET status = ?, body = NULL, done_at = ?
               WHERE update_id = ? AND status IN ('pending', 'committed')""",
            ("done" if handled else "dropped", to_text(now), update_id),
        )

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
        row = await self.db.one(
            "SELECT status FROM update_journal WHERE update_id = ?", (update_id,)
        )
        return str(row["status"]) if row else None

    async def prune(self, now: datetime) -> int:
        """Forget handled updates older than KEEP_DONE; return how many."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM update_journal WHERE status != 'pending' AND done_at < ?",
                (to_text(now - KEEP_DONE),),
            )
            return cur.rowcount
