"""Free logging's reads and writes as plain functions on SQLite's own connection.

They run inside `Database.once`: a whole use case (read what it needs, decide, write) in one
call into the SQLite thread, so the statements here cost no round trip each.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain import limits
from bot.domain.accounts import IssuedProgram, Units
from bot.domain.logged import LoggedEntry, LoggedSet, Source
from bot.domain.models import DayKind, Plan, SetKind
from bot.domain.sessions import PauseReason
from bot.domain.targets import SetAim, Target
from bot.domain.workouts import Workout
from bot.storage.plans import unpack
from bot.storage.repo import Conversation, from_text, program_from, to_text
from bot.storage.workouts import (
    INSERT_LOG,
    INSERT_SOURCE,
    NewSet,
    check_daily_cap,
    log_rows,
    source_params,
    to_entry,
    to_target,
    to_workout,
)


@dataclass(frozen=True)
class PastLine:
    """A message or tap that logged sets before, with the sets still in the log."""

    id: int
    failed: bool
    created_at: datetime
    text: str
    entries: list[LoggedEntry]


@dataclass(frozen=True)
class ReminderDay:
    """The session a reminder was about: whose it is and which day of which program."""

    user_id: int
    program_id: int
    kind: DayKind


def units(conn: sqlite3.Connection, user_id: int) -> Units | None:
    """The units the user logs in; None if the bot has no record of the user."""
    row = conn.execute("SELECT units FROM users WHERE id = ?", (user_id,)).fetchone()
    return Units(row[0]) if row else None


def conversation(conn: sqlite3.Connection, user_id: int) -> Conversation | None:
    """The user's unfinished conversation, or None."""
    row = conn.execute(
        "SELECT flow, state FROM conversations WHERE user_id = ?", (user_id,)
    ).fetchone()
    return Conversation(str(row[0]), json.loads(row[1])) if row else None


def save_conversation(
    conn: sqlite3.Connection, user_id: int, flow: str, state: dict[str, Any], now: datetime
) -> None:
    """Store the conversation state, replacing what was there."""
    conn.execute(
        """INSERT INTO conversations (user_id, flow, state, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id) DO UPDATE SET flow = excluded.flow,
               state = excluded.state, updated_at = excluded.updated_at""",
        (user_id, flow, json.dumps(state), to_text(now)),
    )


def clear_conversation(conn: sqlite3.Connection, user_id: int) -> None:
    """Forget the user's conversation state."""
    conn.execute("DELETE FROM conversations WHERE user_id = ?", (user_id,))


def active_workout(conn: sqlite3.Connection, user_id: int) -> Workout | None:
    """The user's workout in progress, if any."""
    row = conn.execute(
        "SELECT * FROM workouts WHERE user_id = ? AND status = 'active'", (user_id,)
    ).fetchone()
    return to_workout(row) if row else None


def current_program(conn: sqlite3.Connection, user_id: int) -> IssuedProgram | None:
    """The newest program version of the user, or None."""
    row = conn.execute(
        """SELECT p.*, f.answers FROM programs p JOIN profiles f ON f.id = p.profile_id
           WHERE p.user_id = ? ORDER BY p.version DESC LIMIT 1""",
        (user_id,),
    ).fetchone()
    return _issued(conn, row) if row else None


def program(conn: sqlite3.Connection, program_id: int) -> IssuedProgram | None:
    """A program version by id."""
    row = conn.execute(
        """SELECT p.*, f.answers FROM programs p JOIN profiles f ON f.id = p.profile_id
           WHERE p.id = ?""",
        (program_id,),
    ).fetchone()
    return _issued(conn, row) if row else None


# Plans are stored once per content and never change under their key, and most users share a
# few: the unpacked Plan (a frozen value; decompressing and validating one costs about 0.3 ms)
# is kept per key, so a set log does not pay for it every time.
_PLANS: OrderedDict[str, Plan] = OrderedDict()
_PLANS_KEPT = 256
_PLANS_LOCK = threading.Lock()  # each Database has its own SQLite thread


def _issued(conn: sqlite3.Connection, row: sqlite3.Row) -> IssuedProgram:
    key = row["plan_key"]
    with _PLANS_LOCK:
        plan = _PLANS.get(key) if key is not None else None
        if plan is not None:
            _PLANS.move_to_end(key)
    if plan is None:
        stored = conn.execute("SELECT body FROM plans WHERE key = ?", (key,)).fetchone()
        # A row written before plans moved out of `programs` (migration 9) keeps its JSON.
        plan = unpack(stored[0]) if stored else Plan.model_validate_json(row["plan"])
        if key is not None:
            with _PLANS_LOCK:
                _PLANS[key] = plan
                while len(_PLANS) > _PLANS_KEPT:
                    _PLANS.popitem(last=False)
    return program_from(row, plan)


def paused(conn: sqlite3.Connection, user_id: int) -> PauseReason | None:
    """Why the user's reminders are paused, if they are."""
    row = conn.execute("SELECT paused FROM schedules WHERE user_id = ?", (user_id,)).fetchone()
    return PauseReason(row[0]) if row and row[0] else None


def reminder_day(conn: sqlite3.Connection, session_id: int) -> ReminderDay | None:
    """The session a reminder was about, or None if it is gone."""
    row = conn.execute(
        "SELECT user_id, program_id, kind FROM sessions WHERE id = ?", (session_id,)
    ).fetchone()
    return ReminderDay(int(row[0]), int(row[1]), DayKind(row[2])) if row else None


def target(conn: sqlite3.Connection, user_id: int, exercise_id: str) -> Target | None:
    """The stored next-time target for an exercise."""
    row = conn.execute(
        "SELECT * FROM targets WHERE user_id = ? AND exercise_id = ?", (user_id, exercise_id)
    ).fetchone()
    return to_target(row) if row is not None else None


def known_weight(conn: sqlite3.Connection, user_id: int, exercise_id: str) -> float | None:
    """The weight to offer when sets came without one: today's target, else last time's."""
    stored = target(conn, user_id, exercise_id)
    if stored is not None and stored.weight_kg:
        return stored.weight_kg
    row = conn.execute(
        """SELECT weight_kg FROM set_logs WHERE user_id = ? AND exercise_id = ?
             AND weight_kg IS NOT NULL AND added = 0 ORDER BY id DESC LIMIT 1""",
        (user_id, exercise_id),
    ).fetchone()
    return float(row[0]) if row else None


def _past(conn: sqlite3.Connection, row: sqlite3.Row | None) -> PastLine | None:
    if row is None:
        return None
    entries = conn.execute(
        "SELECT * FROM set_logs WHERE source_id = ? ORDER BY id", (row["id"],)
    ).fetchall()
    return PastLine(
        int(row["id"]),
        bool(row["failed"]),
        from_text(row["created_at"]),
        str(row["text"]),
        [to_entry(e) for e in entries],
    )


def by_message(conn: sqlite3.Connection, source: Source) -> PastLine | None:
    """What this message logged before (a redelivery), if anything."""
    if source.chat_id is None or source.message_id is None:
        return None
    row = conn.execute(
        """SELECT * FROM log_sources WHERE chat_id = ? AND message_id = ?
             AND (? IS NULL OR message_date = ?) ORDER BY id DESC LIMIT 1""",
        (source.chat_id, source.message_id, source.sent_at, source.sent_at),
    ).fetchone()
    return _past(conn, row)


def by_update(conn: sqlite3.Connection, update_id: int | None) -> PastLine | None:
    """What this update (a tap) logged before, if anything."""
    if update_id is None:
        return None
    row = conn.execute(
        "SELECT * FROM log_sources WHERE update_id = ? ORDER BY id DESC LIMIT 1", (update_id,)
    ).fetchone()
    return _past(conn, row)


def last_line(conn: sqlite3.Connection, user_id: int) -> PastLine | None:
    """The user's newest log source (a retry after an error repeats it)."""
    row = conn.execute(
        "SELECT * FROM log_sources WHERE user_id = ? ORDER BY id DESC LIMIT 1", (user_id,)
    ).fetchone()
    return _past(conn, row)


def set_failed(conn: sqlite3.Connection, source_id: int, failed: bool) -> None:
    """Mark whether a log source's reply failed (a retry of it is absorbed once)."""
    conn.execute("UPDATE log_sources SET failed = ? WHERE id = ?", (int(failed), source_id))


def log_outside(
    conn: sqlite3.Connection,
    user_id: int,
    exercise_id: str,
    sets: list[LoggedSet],
    aim: SetAim,
    now: datetime,
    source: Source | None,
) -> int | None:
    """Store sets that belong to no guided workout; the source's id (DailyLimit: over the cap,
    raised before anything of the unit is kept)."""
    logs = [
        NewSet(exercise_id, SetKind.MAX if s.max_effort else SetKind.WORKING, s, aim) for s in sets
    ]
    if not logs:
        return None
    source_id = None
    if source is not None:
        params = source_params(user_id, None, exercise_id, source, now)
        source_id, recent = conn.execute(INSERT_SOURCE, params).fetchone()
    else:
        since = to_text(now - limits.WINDOW)
        (recent,) = conn.execute(
            "SELECT COUNT(*) FROM set_logs WHERE user_id = ? AND logged_at > ?", (user_id, since)
        ).fetchone()
    check_daily_cap(int(recent), len(logs))
    conn.executemany(INSERT_LOG, log_rows(user_id, None, logs, now, source_id, None))
    return None if source_id is None else int(source_id)
