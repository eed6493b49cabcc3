"""Reads and writes of schedules and planned sessions, including claiming due reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import aiosqlite

from bot.domain.accounts import IssuedProgram
from bot.domain.calendar import PlannedSession, Progress, Schedule
from bot.domain.models import DayKind, Plan, Profile
from bot.domain.sessions import OPEN, PauseReason, Session, SessionStatus
from bot.storage.db import Database
from bot.storage.repo import insert_program, to_text

_OPEN_SQL = "(" + ", ".join(f"'{s.value}'" for s in OPEN) + ")"
_SESSION_COLUMNS = """s.id, s.user_id, u.chat_id, s.program_id, s.kind, s.local_date, s.due_ts,
                      s.expires_ts, s.status"""


def ts(moment: datetime) -> int:
    """Unix seconds of an aware moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: storage only takes timezone-aware moments")
    return int(moment.timestamp())


def from_ts(seconds: int) -> datetime:
    """An aware UTC moment from Unix seconds."""
    return datetime.fromtimestamp(seconds, UTC)


@dataclass(frozen=True)
class SavedSchedule:
    """A user's stored schedule, what was done when, and whether reminders are paused."""

    schedule: Schedule
    progress: Progress
    paused: PauseReason | None


@dataclass(frozen=True)
class SetUp:
    """What a finished set-up stored: the new program (None: kept the current one) and the
    first planned session (None: nothing to plan)."""

    issued: IssuedProgram | None
    session: Session | None


class ScheduleRepo:
    """The schedule and session queries, returning domain values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- schedules ------------------------------------------------------------------------

    async def save_schedule(
        self, user_id: int, schedule: Schedule, progress: Progress, now: datetime
    ) -> None:
        """Store the user's schedule and progress (and unpause their reminders)."""
        async with self.db.transaction() as conn:
            await _upsert_schedule(conn, user_id, schedule, progress, now)

    async def schedule(self, user_id: int) -> SavedSchedule | None:
        """The user's schedule, progress and pause state, or None."""
        row = await self.db.one(
            "SELECT schedule, progress, paused FROM schedules WHERE user_id = ?", (user_id,)
        )
        if row is None:
            return None
        return SavedSchedule(
            Schedule.model_validate_json(row["schedule"]),
            Progress.model_validate_json(row["progress"]),
            PauseReason(row["paused"]) if row["paused"] else None,
        )

    async def set_paused(self, user_id: int, reason: PauseReason | None, now: datetime) -> bool:
        """Pause or resume reminders; False if the user has no schedule."""
        return (
            await self.db.write(
                "UPDATE schedules SET paused = ?, updated_at = ? WHERE user_id = ?",
                (reason.value if reason else None, to_text(now), user_id),
            )
            == 1
        )

    # --- sessions -------------------------------------------------------------------------

    async def replace_open_session(
        self,
        user_id: int,
        program_id: int,
        planned: PlannedSession | None,
        expires_at: datetime | None,
        now: datetime,
        *,
        close_as: SessionStatus = SessionStatus.CANCELLED,
        progress: tuple[Schedule, Progress] | None = None,
    ) -> Session | None:
        """Close the open session (if any) as `close_as`, store the next one, in one step.

        With `progress`, the schedule's progress is saved in the same transaction, so the
        plan and what it was computed from can never disagree after a crash.
        """
        async with self.db.transaction() as conn:
            if progress is not None:
                await _upsert_schedule(
                    conn, user_id, progress[0], progress[1], now, keep_pause=True
                )
            session_id = await _replace_open(
                conn, user_id, program_id, planned, expires_at, now, close_as
            )
        return None if session_id is None else await self.session(session_id)

    async def finish_setup(
        self,
        user_id: int,
        now: datetime,
        *,
        issue: tuple[Profile, Plan] | None,
        timezone: str | None,
        schedule: tuple[Schedule, Progress] | None,
        planned: tuple[PlannedSession, datetime] | None,
    ) -> SetUp:
        """End a set-up in one transaction: the conversation, the program, the timezone, the
        schedule and the first planned session are all stored, or (after a crash) none is."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM conversations WHERE user_id = ?", (user_id,))
            issued = await insert_program(conn, user_id, *issue, now) if issue else None
            if timezone is not None:
                await conn.execute(
                    "UPDATE users SET timezone = ?, updated_at = ? WHERE id = ?",
                    (timezone, to_text(now), user_id),
                )
            if schedule is not None:
                await _upsert_schedule(conn, user_id, schedule[0], schedule[1], now)
            program_id = issued.id if issued else await _current_program_id(conn, user_id)
            if program_id is None:
                planned = None
            session_id = await _replace_open(
                conn,
                user_id,
                program_id or 0,
                planned[0] if planned else None,
                planned[1] if planned else None,
                now,
                SessionStatus.CANCELLED,
            )
        return SetUp(issued, None if session_id is None else await self.session(session_id))

    async def session(self, session_id: int) -> Session | None:
        """One session by id."""
        row = await self.db.one(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.id = ?",
            (session_id,),
        )
        return _session(row) if row else None

    async def open_session(self, user_id: int) -> Session | None:
        """The user's open (planned, sending or reminded) session, if any."""
        row = await self.db.one(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id "
            f"WHERE s.user_id = ? AND s.status IN {_OPEN_SQL}",
            (user_id,),
        )
        return _session(row) if row else None

    async def history(self, user_id: int, limit: int = 20) -> list[Session]:
        """The user's sessions, newest first."""
        rows = await self.db.all(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.user_id = ? ORDER BY s.id DESC LIMIT ?",
            (user_id, limit),
        )
        return [_session(r) for r in rows]

    async def claim_due(self, now: datetime, limit: int) -> list[Session]:
        """Atomically mark up to `limit` due reminders as being sent, oldest due first.

        Claiming before sending makes delivery at most once: a crash after the claim can
        lose a reminder, but never sends one twice. Paused users are left alone.
        """
        async with self.db.transaction() as conn:
            claimed = await conn.execute_fetchall(
                """UPDATE sessions SET status = 'sending'
                   WHERE id IN (
                       SELECT s.id FROM sessions s JOIN schedules c ON c.user_id = s.user_id
                       WHERE s.status = 'planned' AND s.due_ts <= ? AND c.paused IS NULL
                       ORDER BY s.due_ts, s.id LIMIT ?)
                   RETURNING id""",
                (ts(now), limit),
            )
            ids = [int(r[0]) for r in claimed]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self.db.all(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id "
            f"WHERE s.id IN ({marks}) ORDER BY s.due_ts, s.id",
            ids,
        )
        return [_session(r) for r in rows]

    async def mark(
        self, session_id: int, status: SessionStatus, now: datetime, *, only_if: SessionStatus
    ) -> bool:
        """Move a session from one status to another; False if it was not in `only_if`."""
        column = "reminded_at" if status is SessionStatus.REMINDED else "closed_at"
        return (
            await self.db.write(
                f"UPDATE sessions SET status = ?, {column} = ? WHERE id = ? AND status = ?",
                (status.value, to_text(now), session_id, only_if.value),
            )
            == 1
        )

    async def snooze(self, session_id: int, due_at: datetime) -> bool:
        """Put a reminded session back in the queue for a later time."""
        return (
            await self.db.write(
                "UPDATE sessions SET status = 'planned', due_ts = ? "
                "WHERE id = ? AND status = 'reminded'",
                (ts(due_at), session_id),
            )
            == 1
        )

    async def recover_interrupted(self, now: datetime) -> int:
        """After a crash: a claimed reminder may have gone out, so count it as sent."""
        return await self.db.write(
            "UPDATE sessions SET status = 'reminded', reminded_at = ? WHERE status = 'sending'",
            (to_text(now),),
        )

    async def expire_all(self, now: datetime) -> int:
        """Every reminded session whose day is over becomes missed, in two set-based updates;
        their users are marked to have the next session planned (see `needing_plan`)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE schedules SET needs_plan = 1 WHERE user_id IN (SELECT user_id FROM "
                "sessions WHERE status = 'reminded' AND expires_ts <= ?)",
                (ts(now),),
            )
            cur = await conn.execute(
                "UPDATE sessions SET status = 'missed', closed_at = ? "
                "WHERE status = 'reminded' AND expires_ts <= ?",
                (to_text(now), ts(now)),
            )
            return cur.rowcount

    async def mark_unplanned(self) -> int:
        """Mark every user with a schedule and a program to train from, but no open session,
        to be planned (at start-up). A referred user's newest program has nothing to plan."""
        return await self.db.write(
            f"""UPDATE schedules SET needs_plan = 1 WHERE needs_plan = 0 AND NOT EXISTS (
                    SELECT 1 FROM sessions s WHERE s.user_id = schedules.user_id
                    AND s.status IN {_OPEN_SQL})
                AND (SELECT p.outcome FROM programs p WHERE p.user_id = schedules.user_id
                     ORDER BY p.version DESC LIMIT 1) != 'refer'"""
        )

    async def needing_plan(self, limit: int) -> list[int]:
        """Users whose next session is still to be planned."""
        rows = await self.db.all(
            "SELECT user_id FROM schedules WHERE needs_plan = 1 ORDER BY user_id LIMIT ?",
            (limit,),
        )
        return [int(r[0]) for r in rows]

    async def planned_nothing(self, user_id: int) -> None:
        """The user has nothing to plan (no program with training days): stop asking."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE schedules SET needs_plan = 0 WHERE user_id = ?", (user_id,))

    async def count_by_status(self) -> dict[str, int]:
        """How many sessions are in each status (for tests and benchmarks)."""
        rows = await self.db.all("SELECT status, COUNT(*) FROM sessions GROUP BY status")
        return {str(r[0]): int(r[1]) for r in rows}


async def _upsert_schedule(
    conn: aiosqlite.Connection,
    user_id: int,
    schedule: Schedule,
    progress: Progress,
    now: datetime,
    keep_pause: bool = False,
) -> None:
    # A new schedule ends a pause, except a medical one: only the user's word that a doctor
    # cleared them ends that.
    pause_sql = (
        "" if keep_pause else ", paused = CASE WHEN paused = 'medical' THEN paused ELSE NULL END"
    )
    # Saving the progress always comes with planning from it, so the mark is cleared here.
    await conn.execute(
        f"""INSERT INTO schedules (user_id, schedule, progress, paused, updated_at)
            VALUES (?, ?, ?, NULL, ?)
            ON CONFLICT (user_id) DO UPDATE SET schedule = excluded.schedule,
                progress = excluded.progress, updated_at = excluded.updated_at,
                needs_plan = 0{pause_sql}""",
        (user_id, schedule.model_dump_json(), progress.model_dump_json(), to_text(now)),
    )


async def _replace_open(
    conn: aiosqlite.Connection,
    user_id: int,
    program_id: int,
    planned: PlannedSession | None,
    expires_at: datetime | None,
    now: datetime,
    close_as: SessionStatus,
) -> int | None:
    await conn.execute(
        f"UPDATE sessions SET status = ?, closed_at = ? "
        f"WHERE user_id = ? AND status IN {_OPEN_SQL}",
        (close_as.value, to_text(now), user_id),
    )
    if planned is None or expires_at is None:
        return None
    cur = await conn.execute(
        """INSERT INTO sessions (user_id, program_id, kind, local_date, due_ts,
                                 expires_ts, status, created_at)
           VALUES (?, ?, ?, ?, ?, ?, 'planned', ?)""",
        (
            user_id,
            program_id,
            planned.kind.value,
            planned.on.isoformat(),
            ts(planned.due_utc),
            ts(expires_at),
            to_text(now),
        ),
    )
    return cur.lastrowid


async def _current_program_id(conn: aiosqlite.Connection, user_id: int) -> int | None:
    rows = list(
        await conn.execute_fetchall(
            "SELECT id FROM programs WHERE user_id = ? ORDER BY version DESC LIMIT 1", (user_id,)
        )
    )
    return int(rows[0][0]) if rows else None


def _session(row: aiosqlite.Row) -> Session:
    return Session(
        id=row["id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        program_id=row["program_id"],
        kind=DayKind(row["kind"]),
        on=date.fromisoformat(row["local_date"]),
        due_at=from_ts(row["due_ts"]),
        expires_at=from_ts(row["expires_ts"]),
        status=SessionStatus(row["status"]),
    )
