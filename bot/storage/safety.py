"""Reads and writes of back checks, pain reports and check-ins."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.safety import BackFeeling
from bot.storage.db import Database
from bot.storage.repo import to_text
from bot.storage.schedules import ts


class SafetyRepo:
    """The safety queries, returning domain values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_back_check(
        self,
        user_id: int,
        on: date,
        feeling: BackFeeling,
        session_id: int | None,
        now: datetime,
    ) -> list[tuple[date, BackFeeling]]:
        """Store today's answer; return the earlier answers with their dates, oldest first."""
        rows = await self.db.all(
            """SELECT local_date, feeling FROM back_checks WHERE user_id = ?
               ORDER BY id DESC LIMIT 30""",
            (user_id,),
        )
        await self.db.write(
            """INSERT INTO back_checks (user_id, local_date, feeling, session_id, checked_at)
               VALUES (?, ?, ?, ?, ?)""",
            (user_id, on.isoformat(), feeling.value, session_id, to_text(now)),
        )
        return [
            (date.fromisoformat(r["local_date"]), BackFeeling(r["feeling"])) for r in reversed(rows)
        ]

    async def back_checks(self, user_id: int) -> list[tuple[date, BackFeeling]]:
        """Every back check of the user with its local date, oldest first."""
        rows = await self.db.all(
            "SELECT local_date, feeling FROM back_checks WHERE user_id = ? ORDER BY id",
            (user_id,),
        )
        return [(date.fromisoformat(r["local_date"]), BackFeeling(r["feeling"])) for r in rows]

    async def feelings_on(self, user_id: int, on: date) -> list[BackFeeling]:
        """The back-check answers of one local day, in order."""
        rows = await self.db.all(
            "SELECT feeling FROM back_checks WHERE user_id = ? AND local_date = ? ORDER BY id",
            (user_id, on.isoformat()),
        )
        return [BackFeeling(r["feeling"]) for r in rows]

    async def add_pain(
        self, user_id: int, exercise_id: str, workout_id: int | None, now: datetime
    ) -> int:
        """Record that an exercise hurt; return how often it has hurt in all."""
        async with self.db.transaction() as conn:
            await conn.execute(
                """INSERT INTO pain_reports (user_id, exercise_id, workout_id, reported_at)
                   VALUES (?, ?, ?, ?)""",
                (user_id, exercise_id, workout_id, to_text(now)),
            )
            rows = list(
                await conn.execute_fetchall(
                    "SELECT COUNT(*) FROM pain_reports WHERE user_id = ? AND exercise_id = ?",
                    (user_id, exercise_id),
                )
            )
        return int(rows[0][0])

    async def set_checkin(self, user_id: int, due: datetime, now: datetime) -> None:
        """Check in with the user at `due` (one pending check-in per user)."""
        await self.db.write(
            """INSERT INTO checkins (user_id, due_ts, created_at) VALUES (?, ?, ?)
               ON CONFLICT (user_id) DO UPDATE SET due_ts = excluded.due_ts""",
            (user_id, ts(due), to_text(now)),
        )

    async def claim_due_checkins(self, now: datetime, limit: int = 100) -> list[tuple[int, int]]:
        """Take the check-ins that are due: (user id, chat id) pairs, never handed out twice."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                """DELETE FROM checkins WHERE user_id IN (
                       SELECT user_id FROM checkins WHERE due_ts <= ? ORDER BY due_ts LIMIT ?)
                   RETURNING user_id, (SELECT chat_id FROM users WHERE id = user_id)""",
                (ts(now), limit),
            )
            return [(int(r[0]), int(r[1])) for r in rows]
