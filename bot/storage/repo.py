"""Reads and writes of users, answers, program versions, conversations and group notices."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.domain import limits
from bot.domain.accounts import IssuedProgram, Units, User
from bot.domain.models import Plan, Profile
from bot.storage.db import Database
from bot.storage.plans import plan_key, store_plan, unpack


def to_text(moment: datetime) -> str:
    """A timezone-aware moment as ISO-8601 UTC text, the storage format."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: storage only takes timezone-aware moments")
    return moment.astimezone(UTC).isoformat()


def from_text(text: str) -> datetime:
    """Parse the storage format back into an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class Conversation:
    """A user's unfinished conversation: which flow, and its scratch state."""

    flow: str
    state: dict[str, Any]


# A user's unfinished conversation, read and written the same way on every path (the async
# Repo methods below, and the one-call use cases on SQLite's thread).
_CONVERSATION_READ = "SELECT flow, state FROM conversations WHERE user_id = ?"
_CONVERSATION_WRITE = """INSERT INTO conversations (user_id, flow, state, updated_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET flow = excluded.flow,
        state = excluded.state, updated_at = excluded.updated_at"""


def read_conversation(conn: sqlite3.Connection, user_id: int) -> Conversation | None:
    """`Repo.load_conversation` on SQLite's thread, inside a caller's `Database.once`."""
    row = conn.execute(_CONVERSATION_READ, (user_id,)).fetchone()
    return Conversation(str(row[0]), json.loads(row[1])) if row else None


def write_conversation(
    conn: sqlite3.Connection, user_id: int, flow: str, state: dict[str, Any], now: datetime
) -> None:
    """`Repo.save_conversation` on SQLite's thread, inside a caller's `Database.once`."""
    conn.execute(_CONVERSATION_WRITE, (user_id, flow, json.dumps(state), to_text(now)))


# A program with its answers and its plan (from `plans`; '' in programs.plan since migration 9).
_PROGRAM_COLUMNS = "p.*, f.answers, pl.body"
_PROGRAM_TABLES = """programs p JOIN profiles f ON f.id = p.profile_id
                     LEFT JOIN plans pl ON pl.key = p.plan_key"""


class Repo:
    """The project's queries, returning domain values."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # --- users ----------------------------------------------------------------------------

    async def upsert_user(self, user_id: int, chat_id: int, first_name: str, now: datetime) -> User:
        """Create the user on first contact; keep chat and name current afterwards."""
        await self.db.write(
            """INSERT INTO users (id, chat_id, first_name, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET chat_id = excluded.chat_id,
                   first_name = excluded.first_name, updated_at = excluded.updated_at""",
            (user_id, chat_id, first_name, to_text(now), to_text(now)),
        )
        user = await self.get_user(user_id)
        assert user is not None
        return user

    async def get_user(self, user_id: int) -> User | None:
        """The user, or None if the bot has never seen them."""
        row = await self.db.one("SELECT * FROM users WHERE id = ?", (user_id,))
        return _user(row) if row else None

    async def set_units(self, user_id: int, units: Units, now: datetime) -> None:
        """Store the weight units the user logs in."""
        await self.db.write(
            "UPDATE users SET units = ?, updated_at = ? WHERE id = ?",
            (units.value, to_text(now), user_id),
        )

    async def set_timezone(self, user_id: int, timezone: str, now: datetime) -> None:
        """Store the user's IANA timezone."""
        await self.db.write(
            "UPDATE users SET timezone = ?, updated_at = ? WHERE id = ?",
            (timezone, to_text(now), user_id),
        )

    # --- programs -------------------------------------------------------------------------

    async def issue_program(
        self,
        user_id: int,
        profile: Profile,
        plan: Plan,
        now: datetime,
        end_conversation: bool = False,
    ) -> IssuedProgram:
        """Store the answers and the program made from them as the user's next version.

        With end_conversation, the conversation that produced them is cleared in the same
        transaction, so a crash cannot leave a finished set-up still open.
        """
        async with self.db.transaction() as conn:
            if end_conversation:
                await conn.execute("DELETE FROM conversations WHERE user_id = ?", (user_id,))
            return await insert_program(conn, user_id, profile, plan, now)

    async def current_program(self, user_id: int) -> IssuedProgram | None:
        """The newest program version of the user, or None."""
        row = await self.db.one(
            f"""SELECT {_PROGRAM_COLUMNS} FROM {_PROGRAM_TABLES}
               WHERE p.user_id = ? ORDER BY p.version DESC LIMIT 1""",
            (user_id,),
        )
        return _program(row) if row else None

    async def program(self, program_id: int) -> IssuedProgram | None:
        """A specific program version by id."""
        row = await self.db.one(
            f"""SELECT {_PROGRAM_COLUMNS} FROM {_PROGRAM_TABLES}
               WHERE p.id = ?""",
            (program_id,),
        )
        return _program(row) if row else None

    async def program_versions(self, user_id: int) -> list[int]:
        """Every version number issued to the user, oldest first."""
        rows = await self.db.all(
            "SELECT version FROM programs WHERE user_id = ? ORDER BY version", (user_id,)
        )
        return [int(r[0]) for r in rows]

    # --- conversation scratch state -------------------------------------------------------

    async def load_conversation(self, user_id: int) -> Conversation | None:
        """The user's unfinished conversation (flow name and state), or None."""
        row = await self.db.one(_CONVERSATION_READ, (user_id,))
        return Conversation(str(row["flow"]), json.loads(row["state"])) if row else None

    async def save_conversation(
        self, user_id: int, flow: str, state: dict[str, Any], now: datetime
    ) -> None:
        """Store the conversation state, replacing what was there."""
        await self.db.write(_CONVERSATION_WRITE, (user_id, flow, json.dumps(state), to_text(now)))

    async def clear_conversation(self, user_id: int) -> None:
        """Forget the user's conversation state."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM conversations WHERE user_id = ?", (user_id,))

    # --- groups ---------------------------------------------------------------------------

    async def mark_group_told(self, chat_id: int, now: datetime) -> bool:
        """Record that a group was told the bot is private-only; False if it already was."""
        return (
            await self.db.write(
                "INSERT OR IGNORE INTO groups_told (chat_id, told_at) VALUES (?, ?)",
                (chat_id, to_text(now)),
            )
            == 1
        )


def _user(row: aiosqlite.Row) -> User:
    return User(
        id=row["id"],
        chat_id=row["chat_id"],
        first_name=row["first_name"],
        timezone=row["timezone"],
        units=Units(row["units"]),
        created_at=from_text(row["created_at"]),
    )


def _program(row: aiosqlite.Row) -> IssuedProgram:
    body = row["body"]  # None: a row written by code older than migration 9
    plan = unpack(body) if body is not None else Plan.model_validate_json(row["plan"])
    return program_from(row, plan)


def program_from(row: aiosqlite.Row, plan: Plan) -> IssuedProgram:
    """A `programs` row (id, user_id, version, answers, created_at) with its unpacked plan."""
    return IssuedProgram(
        id=row["id"],
        user_id=row["user_id"],
        version=row["version"],
        profile=Profile.model_validate_json(row["answers"]),
        plan=plan,
        created_at=from_text(row["created_at"]),
    )


async def insert_program(
    conn: aiosqlite.Connection, user_id: int, profile: Profile, plan: Plan, now: datetime
) -> IssuedProgram:
    """Inside an open transaction: store the answers and the next program version.

    Answers and plan identical to the current version's issue nothing new (that version is
    returned), so a repeated set-up costs no space; beyond MAX_PROGRAM_VERSIONS distinct
    versions the user is refused (ProgramVersionLimit) and their current program stays.
    """
    answers = profile.model_dump_json()
    key = plan_key(plan.model_dump_json())
    rows = list(
        await conn.execute_fetchall(
            """SELECT p.id, p.version, p.plan_key, p.created_at, f.answers,
                      (SELECT COUNT(*) FROM programs WHERE user_id = p.user_id) AS versions
               FROM programs p JOIN profiles f ON f.id = p.profile_id
               WHERE p.user_id = ? ORDER BY p.version DESC LIMIT 1""",
            (user_id,),
        )
    )
    latest = rows[0] if rows else None
    if latest is not None and latest["plan_key"] == key and latest["answers"] == answers:
        return IssuedProgram(
            id=latest["id"],
            user_id=user_id,
            version=latest["version"],
            profile=profile,
            plan=plan,
            created_at=from_text(latest["created_at"]),
        )
    versions = int(latest["versions"]) if latest is not None else 0
    if limits.over(versions, 1, limits.MAX_PROGRAM_VERSIONS):
        raise limits.ProgramVersionLimit()  # rolls back the caller's whole transaction
    await store_plan(conn, plan)
    cur = await conn.execute(
        "INSERT INTO profiles (user_id, answers, created_at) VALUES (?, ?, ?)",
        (user_id, answers, to_text(now)),
    )
    profile_id = cur.lastrowid
    version = int(latest["version"]) + 1 if latest is not None else 1
    cur = await conn.execute(
        """INSERT INTO programs (user_id, version, profile_id, outcome, plan, plan_key, created_at)
           VALUES (?, ?, ?, ?, '', ?, ?)""",
        (user_id, version, profile_id, plan.outcome.value, key, to_text(now)),
    )
    program_id = cur.lastrowid
    assert program_id is not None
    return IssuedProgram(
        id=program_id,
        user_id=user_id,
        version=version,
        profile=profile,
        plan=plan,
        created_at=from_text(to_text(now)),
    )
