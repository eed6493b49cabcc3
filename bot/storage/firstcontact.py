"""What /start needs to know, read and written in ONE call into SQLite's thread.

/start used to pay a round trip each for the user upsert, the user read, the conversation,
the current program (whose 21 KB plan was parsed only to read its outcome) and the new
conversation. Here they run as one function on the connection (`Database.unit`), and the
program's outcome comes from its own column.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.domain.accounts import Units, User
from bot.domain.models import Outcome
from bot.storage.repo import (
    Conversation,
    from_text,
    read_conversation,
    to_text,
    write_conversation,
)

_UPSERT = """INSERT INTO users (id, chat_id, first_name, telegram_language, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id,
                 first_name = excluded.first_name,
                 telegram_language = excluded.telegram_language, updated_at = excluded.updated_at
             RETURNING id, chat_id, first_name, timezone, units, created_at"""


@dataclass(frozen=True)
class FirstContact:
    """The user as stored now, their unfinished conversation, their newest program's outcome."""

    user: User
    conversation: Conversation | None
    outcome: Outcome | None  # None: never issued a program


def first_contact(
    conn: sqlite3.Connection,
    user_id: int,
    chat_id: int,
    first_name: str,
    now: datetime,
    begin: Callable[[FirstContact], Conversation | None] | None = None,
    telegram_language: str | None = None,
) -> FirstContact:
    """Create or refresh the user (as Repo.upsert_user, with the language Telegram reports for
    them, as LanguageRepo.seen) and read what /start decides on;
    `begin` may answer with a conversation to store now (as Repo.save_conversation), in the
    same call. Runs on SQLite's thread inside the caller's unit of work (`Database.unit`).
    """
    stamp = to_text(now)
    row = conn.execute(
        _UPSERT, (user_id, chat_id, first_name, telegram_language, stamp, stamp)
    ).fetchone()
    user = User(
        id=row[0],
        chat_id=row[1],
        first_name=row[2],
        timezone=row[3],
        units=Units(row[4]),
        created_at=from_text(row[5]),
    )
    conversation = read_conversation(conn, user_id)
    latest = conn.execute(
        "SELECT outcome FROM programs WHERE user_id = ? ORDER BY version DESC LIMIT 1",
        (user_id,),
    ).fetchone()
    seen = FirstContact(user, conversation, Outcome(latest[0]) if latest else None)
    fresh = begin(seen) if begin is not None else None
    if fresh is None:
        return seen
    write_conversation(conn, user_id, fresh.flow, fresh.state, now)
    return FirstContact(user, fresh, seen.outcome)
