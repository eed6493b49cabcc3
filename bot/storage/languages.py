"""Reads and writes of each user's language: the one they chose and the one Telegram reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.storage.db import Database
from bot.storage.repo import to_text


@dataclass(frozen=True)
class StoredLanguage:
    """A user's stored languages; None where nothing is known."""

    chosen: str | None
    telegram: str | None


class LanguageRepo:
    """The two language columns of the users table."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, user_id: int) -> StoredLanguage | None:
        """The user's languages, or None if the bot has no record of them yet."""
        row = await self.db.one(
            "SELECT language, telegram_language FROM users WHERE id = ?", (user_id,)
        )
        return StoredLanguage(row[0], row[1]) if row else None

    async def get_many(self, user_ids: list[int]) -> dict[int, StoredLanguage]:
        """The languages of several users in one query (a batch of reminders)."""
        found: dict[int, StoredLanguage] = {}
        for start in range(0, len(user_ids), 500):  # SQLite's bound-parameter limit
            chunk = user_ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = await self.db.all(
                f"SELECT id, language, telegram_language FROM users WHERE id IN ({marks})", chunk
            )
            found.update({row[0]: StoredLanguage(row[1], row[2]) for row in rows})
        return found

    async def recent(self, limit: int) -> dict[int, StoredLanguage]:
        """The languages of the `limit` users most recently active, in one query."""
        rows = await self.db.all(
            """SELECT id, language, telegram_language FROM users
               ORDER BY updated_at DESC, id DESC LIMIT ?""",
            (limit,),
        )
        return {row[0]: StoredLanguage(row[1], row[2]) for row in reversed(rows)}

    async def choose(
        self, user_id: int, lang: str, now: datetime, chat_id: int | None = None, name: str = ""
    ) -> bool:
        """Store the user's own choice; False if there is no such user and no chat to make one.

        With the chat, a user who picks a language before /start gets their row in the same
        statement: the tap is one commit.
        """
        async with self.db.transaction() as conn:
            if chat_id is None:
                cur = await conn.execute(
                    "UPDATE users SET language = ?, updated_at = ? WHERE id = ?",
                    (lang, to_text(now), user_id),
                )
                return cur.rowcount > 0
            await conn.execute(
                """INSERT INTO users (id, chat_id, first_name, language, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET language = excluded.language,
                       updated_at = excluded.updated_at""",
                (user_id, chat_id, name, lang, to_text(now), to_text(now)),
            )
            return True

    async def seen(self, user_id: int, telegram: str | None) -> bool:
        """Store the language Telegram reports for the user; False if there is no such user yet."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE users SET telegram_language = ? WHERE id = ?", (telegram, user_id)
            )
            return cur.rowcount > 0
