"""Reads and writes of the log itself: where sets came from, undo, edits, history and records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.domain.workouts import Workout
from bot.storage.db import Database
from bot.storage.repo import from_text
from bot.storage.workouts import (
    LoggedEntry,
    NewSet,
    Source,
    insert_logs,
    to_entry,
    update_workout,
)

HISTORY_LINES = 10  # lines logged outside a workout shown by /history
RECORD_SETS = 5000  # the most sets /records looks through


@dataclass(frozen=True)
class SourceRow:
    """One message (or button) that logged sets."""

    id: int
    user_id: int
    chat_id: int | None
    message_id: int | None
    update_id: int | None
    workout_id: int | None
    exercise_id: str
    text: str
    failed: bool
    created_at: datetime


def _source(row: aiosqlite.Row) -> SourceRow:
    return SourceRow(
        row["id"],
        row["user_id"],
        row["chat_id"],
        row["message_id"],
        row["update_id"],
        row["workout_id"],
        row["exercise_id"],
        row["text"],
        bool(row["failed"]),
        from_text(row["created_at"]),
    )


class LogRepo:
    """The log queries, returning domain values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def by_message(
        self, chat_id: int, message_id: int, sent_at: int | None = None
    ) -> SourceRow | None:
        """What a message logged, if it logged anything (sent_at: the message's Unix time)."""
        row = await self.db.one(
            """SELECT * FROM log_sources WHERE chat_id = ? AND message_id = ?
                 AND (? IS NULL OR message_date = ?) ORDER BY id DESC LIMIT 1""",
            (chat_id, message_id, sent_at, sent_at),
        )
        return _source(row) if row else None

    async def by_id(self, source_id: int) -> SourceRow | None:
        """A log source by id."""
        row = await self.db.one("SELECT * FROM log_sources WHERE id = ?", (source_id,))
        return _source(row) if row else None

    async def by_update(self, update_id: int) -> SourceRow | None:
        """What an update logged, if it logged anything."""
        row = await self.db.one("SELECT * FROM log_sources WHERE update_id = ?", (update_id,))
        return _source(row) if row else None

    async def entries_of(self, source_id: int) -> list[LoggedEntry]:
        """The sets a message logged that are still in the log, in order."""
        rows = await self.db.all(
            "SELECT * FROM set_logs WHERE source_id = ? ORDER BY id", (source_id,)
        )
        return [to_entry(r) for r in rows]

    async def last_in_workout(self, workout_id: int) -> LoggedEntry | None:
        """The newest set logged in a workout (an edited line keeps its place in the order)."""
        row = await self.db.one(
            """SELECT * FROM set_logs WHERE workout_id = ?
               ORDER BY COALESCE(source_id, 0) DESC, id DESC LIMIT 1""",
            (workout_id,),
        )
        return to_entry(row) if row else None

    async def last_outside(self, user_id: int) -> SourceRow | None:
        """The newest line logged outside a workout that still has sets."""
        row = await self.db.one(
            """SELECT * FROM log_sources s WHERE user_id = ? AND workout_id IS NULL
                 AND EXISTS (SELECT 1 FROM set_logs l WHERE l.source_id = s.id)
               ORDER BY id DESC LIMIT 1""",
            (user_id,),
        )
        return _source(row) if row else None

    async def last_source(self, user_id: int) -> SourceRow | None:
        """The user's newest log source."""
        row = await self.db.one(
            "SELECT * FROM log_sources WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,)
        )
        return _source(row) if row else None

    async def remove(
        self, user_id: int, entry_ids: list[int], workout: Workout | None, now: datetime
    ) -> None:
        """Delete logged sets and, in the same transaction, store the workout they changed."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "DELETE FROM set_logs WHERE id = ? AND user_id = ?",
                [(i, user_id) for i in entry_ids],
            )
            if workout is not None:
                await update_workout(conn, workout, now)

    async def replace(
        self,
        source: SourceRow,
        logs: list[NewSet],
        item_index: int | None,
        workout: Workout | None,
        now: datetime,
    ) -> None:
        """Swap what a message logged for new sets, all in one transaction."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM set_logs WHERE source_id = ?", (source.id,))
            await conn.execute(
                "UPDATE log_sources SET exercise_id = ?, failed = 0 WHERE id = ?",
                (logs[0].exercise_id if logs else source.exercise_id, source.id),
            )
            await insert_logs(
                conn,
                source.user_id,
                source.workout_id,
                logs,
                now,
                None,
                item_index,
                source_id=source.id,
            )
            if workout is not None:
                await update_workout(conn, workout, now)

    async def set_failed(self, source_id: int, failed: bool) -> None:
        """Mark that an error followed this save (a retry of the same text is not logged)."""
        await self.db.write(
            "UPDATE log_sources SET failed = ? WHERE id = ?", (int(failed), source_id)
        )

    async def outside(self, user_id: int, lines: int = HISTORY_LINES) -> list[LoggedEntry]:
        """The sets of the newest lines logged outside a workout, oldest first."""
        rows = await self.db.all(
            """SELECT * FROM set_logs WHERE user_id = ? AND workout_id IS NULL AND (
                   source_id IS NULL OR source_id IN (
                       SELECT id FROM log_sources WHERE user_id = ? AND workout_id IS NULL
                       ORDER BY id DESC LIMIT ?))
               ORDER BY id DESC LIMIT ?""",
            (user_id, user_id, lines, lines * 20),
        )
        return [to_entry(r) for r in reversed(rows)]

    async def everything(self, user_id: int, limit: int = RECORD_SETS) -> list[LoggedEntry]:
        """The user's newest logged sets, oldest first."""
        rows = await self.db.all(
            "SELECT * FROM set_logs WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        )
        return [to_entry(r) for r in reversed(rows)]


__all__ = ["LogRepo", "Source", "SourceRow"]
