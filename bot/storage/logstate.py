"""What a set log reads, in one query, and what it writes, in one round trip."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import limits
from bot.domain.accounts import Units
from bot.domain.logged import LoggedEntry, Source
from bot.domain.models import Profile
from bot.domain.workouts import Workout
from bot.storage.db import Database
from bot.storage.repo import from_text, to_text
from bot.storage.workouts import (
    COUNT_RECENT_SETS,
    INSERT_LOG,
    INSERT_SOURCE,
    UPDATE_WORKOUT,
    UPSERT_TARGET,
    NewSet,
    Target,
    check_daily_cap,
    log_rows,
    source_params,
    target_params,
    to_entry,
    to_target,
    to_workout,
    workout_params,
)

RECENT_PER_EXERCISE = 60  # working sets per exercise read for 'last time' (a session has fewer)

_ENTRY = """json_object('exercise_id', exercise_id, 'kind', kind, 'reps', reps,
    'weight_kg', weight_kg, 'added', added, 'rpe', rpe, 'rir', rir, 'workout_id', workout_id,
    'logged_at', logged_at, 'id', id, 'source_id', source_id, 'item_index', item_index)"""
_SOURCE = "json_object('id', id, 'failed', failed, 'created_at', created_at, 'text', text)"

# Scalar subqueries, one row: the user, the workout in progress, the log sources this message
# may repeat, the user's targets, the current answers, and the latest working sets of every
# exercise in the workout. Each subquery is served by an index.
_STATE = f"""
WITH w AS (SELECT * FROM workouts WHERE user_id = :user AND status = 'active'),
     ex AS (SELECT DISTINCT json_extract(i.value, '$.exercise_id') AS id
            FROM w, json_each(workout_items(w.items)) AS i),
     by_message AS (SELECT * FROM log_sources WHERE chat_id = :chat AND message_id = :message
                      AND (:sent IS NULL OR message_date = :sent) ORDER BY id DESC LIMIT 1),
     by_update AS (SELECT * FROM log_sources WHERE update_id = :update_id
                   ORDER BY id DESC LIMIT 1),
     last_source AS (SELECT * FROM log_sources WHERE user_id = :user ORDER BY id DESC LIMIT 1),
     recent AS (SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY exercise_id
                                                            ORDER BY id DESC) AS n
                               FROM set_logs WHERE user_id = :user AND kind != 'warmup'
                                 AND exercise_id IN (SELECT id FROM ex))
                WHERE n <= {RECENT_PER_EXERCISE})
SELECT
  (SELECT json_object('units', units, 'timezone', timezone) FROM users WHERE id = :user),
  (SELECT {_SOURCE} FROM by_message),
  (SELECT {_SOURCE} FROM by_update),
  (SELECT {_SOURCE} FROM last_source),
  (SELECT json_group_array({_ENTRY}) FROM set_logs WHERE source_id IN
      (SELECT id FROM by_message UNION SELECT id FROM by_update UNION SELECT id FROM last_source)),
  (SELECT json_group_array(json_object('exercise_id', exercise_id, 'weight_kg', weight_kg,
                                       'reps_min', reps_min, 'reps_max', reps_max,
                                       'below_streak', below_streak,
                                       'explanation', explanation,
                                       'rep_targets', rep_targets))
   FROM targets WHERE user_id = :user),
  (SELECT f.answers FROM programs p JOIN profiles f ON f.id = p.profile_id
   WHERE p.user_id = :user ORDER BY p.version DESC LIMIT 1),
  (SELECT json_group_array({_ENTRY}) FROM (SELECT * FROM recent ORDER BY id)),
  w.*  -- the workout's own columns: its items may be stored as text or as bytes
FROM (SELECT 1) LEFT JOIN w ON 1
"""


@dataclass(frozen=True)
class PastSource:
    """A message or tap that logged sets before, with the sets still in the log."""

    id: int
    failed: bool
    created_at: datetime
    text: str
    entries: list[LoggedEntry]


@dataclass(frozen=True)
class LogState:
    """Everything a set log needs to know, read at once."""

    units: Units
    timezone: str | None
    workout: Workout | None
    by_message: PastSource | None  # this message logged before (a redelivery)
    by_update: PastSource | None  # this update logged before (a tap delivered twice)
    last_source: PastSource | None  # the newest line (a retry after an error repeats it)
    targets: dict[str, Target]
    profile: Profile | None
    recent: dict[str, list[LoggedEntry]]  # latest working sets per exercise, oldest first


async def load(db: Database, user_id: int, source: Source | None) -> LogState:
    """The state of a user's set log, in one query (one round trip)."""
    rows = list(await db.conn.execute_fetchall(_STATE, _params(user_id, source)))
    return _state(rows[0])


def load_on(conn: sqlite3.Connection, user_id: int, source: Source | None) -> LogState:
    """The same, on SQLite's own thread (inside Database.once): no round trip of its own."""
    return _state(conn.execute(_STATE, _params(user_id, source)).fetchone())


def _params(user_id: int, source: Source | None) -> dict[str, Any]:
    return {
        "user": user_id,
        "chat": source.chat_id if source else None,
        "message": source.message_id if source else None,
        "sent": source.sent_at if source else None,
        "update_id": source.update_id if source else None,
    }


def _state(row: Any) -> LogState:
    user, msg, upd, last, done, targets, answers, recent = tuple(row)[:8]
    user_d: dict[str, Any] = json.loads(user) if user else {}
    done_entries = [to_entry(e) for e in json.loads(done)]
    by_exercise: dict[str, list[LoggedEntry]] = {}
    for e in json.loads(recent):
        entry = to_entry(e)
        by_exercise.setdefault(entry.exercise_id, []).append(entry)
    return LogState(
        units=Units(user_d.get("units", Units.KG.value)),
        timezone=user_d.get("timezone"),
        workout=to_workout(row) if row["id"] is not None else None,
        by_message=_past(msg, done_entries),
        by_update=_past(upd, done_entries),
        last_source=_past(last, done_entries),
        targets={t["exercise_id"]: to_target(t) for t in json.loads(targets)},
        profile=Profile.model_validate_json(answers) if answers else None,
        recent=by_exercise,
    )


@dataclass(frozen=True)
class SetWrite:
    """One set log's writes: the workout's progress, the sets and where they came from."""

    workout: Workout
    logs: list[NewSet]
    source: Source | None
    item_index: int
    now: datetime
    first_target: tuple[str, Target] | None = None  # a first weight becomes the target


async def write(db: Database, change: SetWrite) -> int | None:
    """Store a set log as one unit of work in one round trip; returns its source's id."""
    return await db.once(lambda conn: _write(conn, change))


def write_on(conn: sqlite3.Connection, change: SetWrite) -> int | None:
    """Store a set log on SQLite's own thread, inside an open unit (Database.once)."""
    return _write(conn, change)


def _write(conn: sqlite3.Connection, change: SetWrite) -> int | None:
    w, now = change.workout, change.now
    if change.first_target is not None:
        exercise_id, target = change.first_target
        conn.execute(UPSERT_TARGET, target_params(w.user_id, exercise_id, target, now))
    conn.execute(UPDATE_WORKOUT, workout_params(w, now))
    if not change.logs:
        return None
    source_id = None
    if change.source is not None:  # the cap's count rides with the INSERT
        first = change.logs[0].exercise_id
        params = source_params(w.user_id, w.id, first, change.source, now)
        source_id, recent = conn.execute(INSERT_SOURCE, params).fetchone()
    else:
        since = to_text(now - limits.WINDOW)
        (recent,) = conn.execute(COUNT_RECENT_SETS, (w.user_id, since)).fetchone()
    check_daily_cap(int(recent), len(change.logs))
    conn.executemany(
        INSERT_LOG, log_rows(w.user_id, w.id, change.logs, now, source_id, change.item_index)
    )
    return source_id


def _past(raw: str | None, done: list[LoggedEntry]) -> PastSource | None:
    if not raw:
        return None
    d = json.loads(raw)
    return PastSource(
        d["id"],
        bool(d["failed"]),
        from_text(d["created_at"]),
        d["text"],
        [e for e in done if e.source_id == d["id"]],
    )
