"""Everything stored about one user, read in one place: the sets for charts and export, the
whole record for the JSON export, an import in one transaction, and deleting it all."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from bot.domain.models import DayKind, SetKind
from bot.domain.setlog import LoggedSet
from bot.storage.db import Database
from bot.storage.plans import unpack
from bot.storage.repo import from_text, to_text
from bot.storage.workouts import items_text

# Columns that hold JSON text; the export shows them as JSON, not as strings.
_JSON_COLUMNS = {"answers", "plan", "state", "schedule", "progress", "items"}


@dataclass(frozen=True)
class StoredSet:
    """A logged set with its workout (if any): what charts, reports and the CSV export need."""

    id: int
    exercise_id: str
    kind: SetKind
    set: LoggedSet
    logged_at: datetime
    workout_id: int | None
    workout_on: date | None  # the workout's local date
    workout_kind: DayKind | None
    workout_started: datetime | None
    workout_ended: datetime | None
    workout_name: str | None  # the name in an imported file


@dataclass(frozen=True)
class SessionCount:
    """Over some days: workouts done, and distinct days with a session planned."""

    done: int
    planned: int


@dataclass(frozen=True)
class ImportedSet:
    """One set to import: exercise, kind, the set, when it was done and its workout's name."""

    exercise_id: str
    kind: SetKind
    set: LoggedSet
    performed_at: datetime
    workout_name: str


async def user_tables(conn: aiosqlite.Connection) -> list[str]:
    """Every table with a user_id column, found in the schema (so new tables are covered)."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cur:
        names = [str(r[0]) for r in await cur.fetchall()]
    found = []
    for name in names:
        async with conn.execute(f"PRAGMA table_info('{name}')") as cur:
            if any(r[1] == "user_id" for r in await cur.fetchall()):
                found.append(name)
    return sorted(found)


class UserData:
    """The queries over all of one user's data."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def sets(self, user_id: int) -> list[StoredSet]:
        """Every set the user logged, oldest first (by when it was done)."""
        rows = await self.db.all(
            """SELECT s.*, w.local_date AS w_on, w.kind AS w_kind, w.started_at AS w_started,
                      w.ended_at AS w_ended
               FROM set_logs s LEFT JOIN workouts w ON w.id = s.workout_id
               WHERE s.user_id = ? ORDER BY s.logged_at, s.id""",
            (user_id,),
        )
        return [_stored(r) for r in rows]

    async def sessions_in(self, user_id: int, first: date, last: date) -> SessionCount:
        """Workouts done and sessions planned with local dates from first to last."""
        done = await self.db.one(
            """SELECT COUNT(*) FROM workouts WHERE user_id = ? AND local_date BETWEEN ? AND ?
               AND status != 'active'""",
            (user_id, first.isoformat(), last.isoformat()),
        )
        planned = await self.db.one(
            """SELECT COUNT(DISTINCT local_date) FROM sessions WHERE user_id = ?
               AND local_date BETWEEN ? AND ? AND status NOT IN ('moved', 'cancelled')""",
            (user_id, first.isoformat(), last.isoformat()),
        )
        return SessionCount(int(done[0]) if done else 0, int(planned[0]) if planned else 0)

    async def dump(self, user_id: int) -> dict[str, Any]:
        """Every row about the user, table by table, JSON columns decoded."""
        out: dict[str, Any] = {}
        user = await self.db.one("SELECT * FROM users WHERE id = ?", (user_id,))
        out["users"] = [_row(user)] if user else []
        for table in await user_tables(self.db.conn):
            rows = await self.db.all(
                f"SELECT * FROM {table} WHERE user_id = ? ORDER BY rowid", (user_id,)
            )
            out[table] = [_row(r) for r in rows]
        for program in out.get("programs", []):
            # The plan lives in `plans` (stored once per content): show it in its row.
            key = program.pop("plan_key", None)
            found = await self.db.one("SELECT body FROM plans WHERE key = ?", (key,))
            if found is not None:
                program["plan"] = json.loads(unpack(found["body"]).model_dump_json())
        return out

    async def counts(self, user_id: int) -> dict[str, int]:
        """How many rows each table holds about the user (tables with none left out)."""
        found: dict[str, int] = {}
        for table in ["users", *await user_tables(self.db.conn)]:
            column = "id" if table == "users" else "user_id"
            row = await self.db.one(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (user_id,))
            if row and row[0]:
                found[table] = int(row[0])
        return found

    async def import_sets(
        self, user_id: int, source: str, sets: list[ImportedSet], now: datetime
    ) -> int:
        """Store imported sets in one transaction; return the import's id."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO imports (user_id, source, sets, created_at) VALUES (?, ?, ?, ?)",
                (user_id, source, len(sets), to_text(now)),
            )
            import_id = cur.lastrowid
            await conn.executemany(
                """INSERT INTO set_logs (user_id, workout_id, exercise_id, kind, reps, weight_kg,
                                         added, logged_at, import_id, workout_name, rpe)
                   VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [
                    (
                        user_id,
                        s.exercise_id,
                        s.kind.value,
                        s.set.reps,
                        s.set.weight_kg,
                        int(s.set.added),
                        to_text(s.performed_at),
                        import_id,
                        s.workout_name,
                        s.set.rpe,
                    )
                    for s in sets
                ],
            )
        assert import_id is not None
        return import_id

    async def delete(self, user_id: int) -> int:
        """Delete every row about the user in one transaction; return how many went."""
        deleted = 0
        async with self.db.transaction() as conn:
            # Rows point at each other (sessions at programs, sets at workouts): check at commit.
            await conn.execute("PRAGMA defer_foreign_keys = ON")
            for table in await user_tables(conn):
                cur = await conn.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))
                deleted += max(cur.rowcount, 0)
            cur = await conn.execute("DELETE FROM users WHERE id = ?", (user_id,))
            deleted += max(cur.rowcount, 0)
            # Plans are shared by content; one no program points at any more goes too.
            await conn.execute(
                "DELETE FROM plans WHERE key NOT IN "
                "(SELECT plan_key FROM programs WHERE plan_key IS NOT NULL)"
            )
        return deleted

    # --- the weekly report ------------------------------------------------------------------

    async def report_enabled(self, user_id: int) -> bool:
        """Whether the user gets the weekly report (on unless turned off)."""
        row = await self.db.one("SELECT enabled FROM weekly_reports WHERE user_id = ?", (user_id,))
        return bool(row["enabled"]) if row else True

    async def set_report_enabled(self, user_id: int, enabled: bool, now: datetime) -> None:
        """Turn the weekly report on or off (on: planned again at the next tick)."""
        await self.db.write(
            """INSERT INTO weekly_reports (user_id, enabled, due_ts, updated_at)
               VALUES (?, ?, NULL, ?)
               ON CONFLICT (user_id) DO UPDATE SET enabled = excluded.enabled,
                   due_ts = NULL, updated_at = excluded.updated_at""",
            (user_id, int(enabled), to_text(now)),
        )

    async def unplanned_reports(self, now: datetime, limit: int = 500) -> list[int]:
        """Users with a schedule whose next report is not planned yet (rows made as needed)."""
        await self.db.write(
            """INSERT INTO weekly_reports (user_id, enabled, due_ts, updated_at)
               SELECT user_id, 1, NULL, ? FROM schedules
               WHERE user_id NOT IN (SELECT user_id FROM weekly_reports)""",
            (to_text(now),),
        )
        rows = await self.db.all(
            """SELECT r.user_id FROM weekly_reports r JOIN schedules s ON s.user_id = r.user_id
               WHERE r.enabled = 1 AND r.due_ts IS NULL LIMIT ?""",
            (limit,),
        )
        return [int(r[0]) for r in rows]

    async def plan_report(self, user_id: int, due_ts: int) -> None:
        """Set when the user's next report is due."""
        await self.db.write(
            "UPDATE weekly_reports SET due_ts = ? WHERE user_id = ? AND enabled = 1",
            (due_ts, user_id),
        )

    async def claim_due_reports(self, now_ts: int, limit: int = 100) -> list[tuple[int, int]]:
        """Take the reports that are due: (user id, due ts), never handed out twice."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                """SELECT user_id, due_ts FROM weekly_reports
                   WHERE enabled = 1 AND due_ts IS NOT NULL AND due_ts <= ?
                   ORDER BY due_ts LIMIT ?""",
                (now_ts, limit),
            )
            claimed = [(int(r[0]), int(r[1])) for r in rows]
            await conn.executemany(
                "UPDATE weekly_reports SET due_ts = NULL WHERE user_id = ?",
                [(user_id,) for user_id, _ in claimed],
            )
        return claimed


def _row(row: aiosqlite.Row) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in row.keys():  # noqa: SIM118 - aiosqlite.Row has no iteration over names
        value = row[key]
        if key == "items" and isinstance(value, bytes):
            value = items_text(value)  # a workout's items are kept compressed
        if key in _JSON_COLUMNS and isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = json.loads(value)
        out[key] = value
    return out


def _stored(row: aiosqlite.Row) -> StoredSet:
    kind = SetKind(row["kind"])
    return StoredSet(
        id=row["id"],
        exercise_id=row["exercise_id"],
        kind=kind,
        set=LoggedSet(
            reps=row["reps"],
            weight_kg=row["weight_kg"],
            added=bool(row["added"]),
            max_effort=kind is SetKind.MAX,
            rpe=row["rpe"],
            rir=row["rir"],
        ),
        logged_at=from_text(row["logged_at"]),
        workout_id=row["workout_id"],
        workout_on=date.fromisoformat(row["w_on"]) if row["w_on"] else None,
        workout_kind=DayKind(row["w_kind"]) if row["w_kind"] else None,
        workout_started=from_text(row["w_started"]) if row["w_started"] else None,
        workout_ended=from_text(row["w_ended"]) if row["w_ended"] else None,
        workout_name=row["workout_name"],
    )
