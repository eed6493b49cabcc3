"""Reads and writes of workouts, logged sets and per-exercise targets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import aiosqlite

from bot.domain import limits
from bot.domain.logged import LoggedEntry, LoggedSet, Source
from bot.domain.models import DayKind, SetKind
from bot.domain.targets import SetAim, Target
from bot.domain.workouts import Workout, WorkoutItem, WorkoutStatus
from bot.storage.db import Database
from bot.storage.items import items_json as _items_json
from bot.storage.items import items_text
from bot.storage.repo import from_text, to_text

__all__ = ["LoggedEntry", "NewSet", "Source", "Target", "WorkoutRepo", "items_text"]


class Row(Protocol):
    """A row read by column name: an aiosqlite.Row, or a dict decoded from a JSON object."""

    def __getitem__(self, key: str, /) -> Any: ...


@dataclass(frozen=True)
class NewSet:
    """A set to store: its exercise, kind, what was done and what it was aimed at."""

    exercise_id: str
    kind: SetKind
    set: LoggedSet
    aim: SetAim


class WorkoutRepo:
    """The workout queries, returning domain values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        user_id: int,
        program_id: int,
        session_id: int | None,
        kind: DayKind,
        on: date,
        items: list[WorkoutItem],
        now: datetime,
        light: bool = False,
    ) -> Workout:
        """Open a workout (a user has at most one active); light: a stiff-back day."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                """INSERT INTO workouts (user_id, program_id, session_id, kind, local_date, status,
                                         items, position, started_at, light)
                   VALUES (?, ?, ?, ?, ?, 'active', ?, 0, ?, ?)""",
                (
                    user_id,
                    program_id,
                    session_id,
                    kind.value,
                    on.isoformat(),
                    _items_json(items),
                    to_text(now),
                    int(light),
                ),
            )
            workout_id = cur.lastrowid
        assert workout_id is not None
        found = await self.get(workout_id)
        assert found is not None
        return found

    async def get(self, workout_id: int) -> Workout | None:
        """A workout by id."""
        row = await self.db.one("SELECT * FROM workouts WHERE id = ?", (workout_id,))
        return to_workout(row) if row else None

    async def active(self, user_id: int) -> Workout | None:
        """The user's workout in progress, if any."""
        row = await self.db.one(
            "SELECT * FROM workouts WHERE user_id = ? AND status = 'active'", (user_id,)
        )
        return to_workout(row) if row else None

    async def all_active(self) -> list[Workout]:
        """Every workout in progress (at most one per user; few at any moment)."""
        rows = await self.db.all("SELECT * FROM workouts WHERE status = 'active' ORDER BY id")
        return [to_workout(r) for r in rows]

    async def save(
        self,
        workout: Workout,
        now: datetime,
        logs: list[NewSet] | None = None,
        source: Source | None = None,
        item_index: int | None = None,
    ) -> int | None:
        """Store the workout's progress and, in the same transaction, any newly logged sets.

        The sets belong to the workout's current item (or `item_index`) and to `source`, when
        given. Returns the source's id.
        """
        async with self.db.transaction() as conn:
            await update_workout(conn, workout, now)
            return await insert_logs(
                conn,
                workout.user_id,
                workout.id,
                logs or [],
                now,
                source,
                workout.position if item_index is None else item_index,
            )

    async def log_outside(
        self,
        user_id: int,
        exercise_id: str,
        sets: list[LoggedSet],
        aim: SetAim,
        now: datetime,
        source: Source | None = None,
    ) -> int | None:
        """Log sets that belong to no guided workout; returns the source's id."""
        kind = SetKind.WORKING
        async with self.db.transaction() as conn:
            return await insert_logs(
                conn,
                user_id,
                None,
                [NewSet(exercise_id, SetKind.MAX if s.max_effort else kind, s, aim) for s in sets],
                now,
                source,
            )

    async def entries(self, user_id: int, exercise_id: str, limit: int = 200) -> list[LoggedEntry]:
        """The user's logged sets of one exercise, oldest first."""
        rows = await self.db.all(
            """SELECT * FROM (SELECT * FROM set_logs WHERE user_id = ? AND exercise_id = ?
                              ORDER BY id DESC LIMIT ?) ORDER BY id""",
            (user_id, exercise_id, limit),
        )
        return [to_entry(r) for r in rows]

    async def workout_entries(self, workout_id: int) -> list[LoggedEntry]:
        """Every set logged in one workout, in order."""
        rows = await self.db.all(
            "SELECT * FROM set_logs WHERE workout_id = ? ORDER BY id", (workout_id,)
        )
        return [to_entry(r) for r in rows]

    async def recent(self, user_id: int, limit: int = 5) -> list[Workout]:
        """The user's latest workouts, newest first."""
        rows = await self.db.all(
            "SELECT * FROM workouts WHERE user_id = ? ORDER BY id DESC LIMIT ?", (user_id, limit)
        )
        return [to_workout(r) for r in rows]

    async def target(self, user_id: int, exercise_id: str) -> Target | None:
        """The stored next-time target for an exercise."""
        row = await self.db.one(
            "SELECT * FROM targets WHERE user_id = ? AND exercise_id = ?", (user_id, exercise_id)
        )
        return to_target(row) if row is not None else None

    async def set_target(
        self, user_id: int, exercise_id: str, target: Target, now: datetime
    ) -> None:
        """Store the next-time target for an exercise."""
        await self.db.write(UPSERT_TARGET, target_params(user_id, exercise_id, target, now))


UPSERT_TARGET = """INSERT INTO targets (user_id, exercise_id, weight_kg, reps_min, reps_max,
                                        below_streak, explanation, updated_at, rep_targets)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (user_id, exercise_id) DO UPDATE SET
                       weight_kg = excluded.weight_kg, reps_min = excluded.reps_min,
                       reps_max = excluded.reps_max, below_streak = excluded.below_streak,
                       explanation = excluded.explanation, updated_at = excluded.updated_at,
                       rep_targets = excluded.rep_targets"""


def target_params(
    user_id: int, exercise_id: str, target: Target, now: datetime
) -> tuple[object, ...]:
    """UPSERT_TARGET's parameters."""
    return (
        user_id,
        exercise_id,
        target.weight_kg,
        target.reps_min,
        target.reps_max,
        target.below_streak,
        target.explanation,
        to_text(now),
        json.dumps(list(target.rep_targets)),
    )


UPDATE_WORKOUT = (
    "UPDATE workouts SET items = ?, position = ?, status = ?, ended_at = ? WHERE id = ?"
)


def workout_params(workout: Workout, now: datetime) -> tuple[object, ...]:
    """UPDATE_WORKOUT's parameters: the workout's items, position and status."""
    ended = None if workout.status is WorkoutStatus.ACTIVE else to_text(now)
    return (_items_json(workout.items), workout.position, workout.status.value, ended, workout.id)


async def update_workout(conn: aiosqlite.Connection, workout: Workout, now: datetime) -> None:
    """Store a workout's items, position and status."""
    await conn.execute(UPDATE_WORKOUT, workout_params(workout, now))


INSERT_SOURCE = """INSERT INTO log_sources (user_id, chat_id, message_id, message_date, update_id,
                                         workout_id, exercise_id, text, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   RETURNING id, (SELECT COUNT(*) FROM set_logs
                                  WHERE user_id = ? AND logged_at > ?)"""


def source_params(
    user_id: int, workout_id: int | None, exercise_id: str, source: Source, now: datetime
) -> tuple[object, ...]:
    """INSERT_SOURCE's parameters (the last two count the sets in the daily cap's window)."""
    return (
        user_id,
        source.chat_id,
        source.message_id,
        source.sent_at,
        source.update_id,
        workout_id,
        exercise_id,
        source.text,
        to_text(now),
        user_id,
        to_text(now - limits.WINDOW),
    )


async def _insert_source(
    conn: aiosqlite.Connection,
    user_id: int,
    workout_id: int | None,
    exercise_id: str,
    source: Source,
    now: datetime,
) -> tuple[int, int]:
    """Record where a log came from; (its id, the user's sets in the cap's window).

    The count rides along with the INSERT (RETURNING), one round trip for both.
    """
    rows = list(
        await conn.execute_fetchall(
            INSERT_SOURCE, source_params(user_id, workout_id, exercise_id, source, now)
        )
    )
    return int(rows[0][0]), int(rows[0][1])


COUNT_RECENT_SETS = "SELECT COUNT(*) FROM set_logs WHERE user_id = ? AND logged_at > ?"
INSERT_LOG = """INSERT INTO set_logs (user_id, workout_id, exercise_id, kind, reps, weight_kg,
                                      added, target_reps_min, target_reps_max, target_weight_kg,
                                      logged_at, source_id, item_index, rpe, rir)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def check_daily_cap(recent: int, adding: int) -> None:
    """Refuse sets past the daily cap (raised inside the writing transaction, so all roll back)."""
    if adding and limits.over(recent, adding, limits.MAX_SETS_PER_DAY):
        raise limits.DailyLimit("sets", limits.MAX_SETS_PER_DAY)


def log_rows(
    user_id: int,
    workout_id: int | None,
    logs: list[NewSet],
    now: datetime,
    source_id: int | None,
    item_index: int | None,
) -> list[tuple[object, ...]]:
    """INSERT_LOG's parameters, one tuple per set."""
    return [
        (
            user_id,
            workout_id,
            n.exercise_id,
            n.kind.value,
            n.set.reps,
            None if n.set.weight_kg is None else float(n.set.weight_kg),
            int(n.set.added),
            n.aim.reps_min,
            n.aim.reps_max,
            n.aim.weight_kg,
            to_text(now),
            source_id,
            item_index,
            n.set.rpe,
            n.set.rir,
        )
        for n in logs
    ]


async def insert_logs(
    conn: aiosqlite.Connection,
    user_id: int,
    workout_id: int | None,
    logs: list[NewSet],
    now: datetime,
    source: Source | None = None,
    item_index: int | None = None,
    source_id: int | None = None,
) -> int | None:
    """Inside an open transaction: store sets (and where they came from, if new); the
    source's id. Over the daily cap nothing is stored (DailyLimit)."""
    if not logs:
        return source_id
    # Checked inside the writing transaction, so the refused sets and the workout's
    # progress roll back together, whatever path the sets came by.
    if source is not None and source_id is None:
        source_id, recent = await _insert_source(
            conn, user_id, workout_id, logs[0].exercise_id, source, now
        )
    else:
        since = to_text(now - limits.WINDOW)
        rows = list(await conn.execute_fetchall(COUNT_RECENT_SETS, (user_id, since)))
        recent = int(rows[0][0])
    check_daily_cap(recent, len(logs))
    await conn.executemany(
        INSERT_LOG, log_rows(user_id, workout_id, logs, now, source_id, item_index)
    )
    return source_id


def to_workout(row: Row) -> Workout:
    """A workouts row as the domain's Workout."""
    return Workout(
        id=row["id"],
        user_id=row["user_id"],
        program_id=row["program_id"],
        session_id=row["session_id"],
        kind=DayKind(row["kind"]),
        on=date.fromisoformat(row["local_date"]),
        status=WorkoutStatus(row["status"]),
        items=[WorkoutItem.model_validate(i) for i in json.loads(items_text(row["items"]))],
        position=row["position"],
        light=bool(row["light"]),
    )


def to_entry(row: Row) -> LoggedEntry:
    """A set_logs row as a LoggedEntry."""
    kind = SetKind(row["kind"])
    logged = LoggedSet(
        reps=row["reps"],
        weight_kg=row["weight_kg"],
        added=bool(row["added"]),
        max_effort=kind is SetKind.MAX,
        rpe=row["rpe"],
        rir=row["rir"],
    )
    return LoggedEntry(
        row["exercise_id"],
        kind,
        logged,
        row["workout_id"],
        from_text(row["logged_at"]),
        row["id"],
        row["source_id"],
        row["item_index"],
    )


def to_target(row: Row) -> Target:
    """A targets row as a Target."""
    return Target(
        row["weight_kg"],
        row["reps_min"],
        row["reps_max"],
        row["below_streak"],
        row["explanation"],
        tuple(json.loads(row["rep_targets"])),
    )
