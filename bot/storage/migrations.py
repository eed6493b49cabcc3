"""Numbered schema migrations; PRAGMA user_version records how far a database has come."""

from __future__ import annotations

# Each entry upgrades the schema from version i to i + 1. Never edit a released entry:
# append a new one. Times are ISO-8601 UTC text; JSON columns hold pydantic dumps.
MIGRATIONS: list[str] = [
    # 1: users, their answers, issued programs (versioned), conversation scratch state.
    """
    CREATE TABLE users (
        id          INTEGER PRIMARY KEY,           -- Telegram user id
        chat_id     INTEGER NOT NULL,
        first_name  TEXT NOT NULL DEFAULT '',
        timezone    TEXT,                          -- IANA name, NULL until asked
        units       TEXT NOT NULL DEFAULT 'kg' CHECK (units IN ('kg', 'lb')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE profiles (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        answers     TEXT NOT NULL,                 -- the Profile as JSON
        created_at  TEXT NOT NULL
    );
    CREATE TABLE programs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL,
        profile_id  INTEGER NOT NULL REFERENCES profiles(id),
        outcome     TEXT NOT NULL,
        plan        TEXT NOT NULL,                 -- the issued Plan as JSON, frozen
        created_at  TEXT NOT NULL,
        UNIQUE (user_id, version)
    );
    CREATE TABLE conversations (
        user_id     INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        flow        TEXT NOT NULL,
        state       TEXT NOT NULL,                 -- the flow's scratch state as JSON
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE groups_told (
        chat_id     INTEGER PRIMARY KEY,
        told_at     TEXT NOT NULL
    );
    """,
]
