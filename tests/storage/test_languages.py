"""Each user's language on a real SQLite file: the choice, Telegram's, and after a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.services.languages import Languages
from bot.storage.db import Database
from bot.storage.languages import LanguageRepo, StoredLanguage
from bot.storage.repo import Repo

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


async def test_a_user_with_no_row_has_nothing_stored(db: Database) -> None:
    repo = LanguageRepo(db)
    assert await repo.get(1) is None
    assert not await repo.choose(1, "ru", NOW)
    assert not await repo.seen(1, "ru")


async def test_choice_and_telegram_language_are_stored_apart(db: Database) -> None:
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    repo = LanguageRepo(db)
    assert await repo.get(1) == StoredLanguage(None, None)
    assert await repo.seen(1, "ru")
    assert await repo.choose(1, "en", NOW)
    assert await repo.get(1) == StoredLanguage("en", "ru")


async def test_the_language_survives_a_restart_for_jobs(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await Repo(db).upsert_user(7, 7, "Ivan", NOW)
    first = Languages(LanguageRepo(db), "en")
    assert await first.for_update(7, "ru-RU") == "ru"
    await db.close()

    db = await Database.open(path)  # a restart: nothing in memory
    again = Languages(LanguageRepo(db), "en")
    assert await again.for_user(7) == "ru"  # a reminder, with no update to read it from
    assert await again.choose(7, "en", NOW)
    assert await again.for_update(7, "ru-RU") == "en"  # the choice beats the app
    await db.close()


async def test_telegram_language_is_written_once_then_read_from_memory(db: Database) -> None:
    await Repo(db).upsert_user(3, 3, "Olga", NOW)
    languages = Languages(LanguageRepo(db), "en")
    assert await languages.for_update(3, "ru") == "ru"
    await db.conn.execute("UPDATE users SET telegram_language = 'xx' WHERE id = 3")
    assert await languages.for_update(3, "ru") == "ru"  # unchanged: no read, no write
    row = await db.one("SELECT telegram_language FROM users WHERE id = 3")
    assert row is not None and row[0] == "xx"
    assert await languages.for_update(3, "en-US") == "en"  # a change is written
    row = await db.one("SELECT telegram_language FROM users WHERE id = 3")
    assert row is not None and row[0] == "en"


async def test_before_the_user_row_exists_the_write_is_tried_again(db: Database) -> None:
    languages = Languages(LanguageRepo(db), "en")
    assert await languages.for_update(5, "ru") == "ru"  # the first update comes before /start
    await Repo(db).upsert_user(5, 5, "Pavel", NOW)
    assert await languages.for_update(5, "ru") == "ru"
    row = await db.one("SELECT telegram_language FROM users WHERE id = 5")
    assert row is not None and row[0] == "ru"


async def test_an_unknown_choice_is_refused(db: Database) -> None:
    await Repo(db).upsert_user(4, 4, "Max", NOW)
    languages = Languages(LanguageRepo(db), "ru")
    assert not await languages.choose(4, "de", NOW)
    assert await languages.for_user(4) == "ru"  # nothing known: the configured default


async def test_a_batch_of_reminders_learns_every_language_in_one_read(db: Database) -> None:
    repo = Repo(db)
    for uid in range(1, 8):
        await repo.upsert_user(uid, uid, f"U{uid}", NOW)
    store = LanguageRepo(db)
    await store.seen(2, "ru")
    await store.choose(3, "ru", NOW)
    languages = Languages(store, "en")
    await languages.preload([1, 2, 3, 99])
    await db.conn.execute("UPDATE users SET language = 'en'")  # later reads would see this
    assert [await languages.for_user(u) for u in (1, 2, 3, 99)] == ["en", "ru", "ru", "en"]
    assert await store.get_many(list(range(1, 1200))) == {
        u: StoredLanguage("en", "ru" if u == 2 else None) for u in range(1, 8)
    }


async def test_memory_is_bounded_and_a_forgotten_user_is_read_again(db: Database) -> None:
    repo = Repo(db)
    for uid in (1, 2, 3):
        await repo.upsert_user(uid, uid, f"U{uid}", NOW)
    languages = Languages(LanguageRepo(db), "en", remember=2)
    assert await languages.choose(1, "ru", NOW)
    await languages.for_user(2)
    await languages.for_user(3)  # user 1 is the least recent: forgotten
    assert len(languages._known) == 2
    assert await languages.for_user(1) == "ru"  # read back from the database


async def test_after_a_restart_recent_users_cost_no_language_lookup(db: Database) -> None:
    repo = Repo(db)
    for uid in range(1, 6):  # user 5 was active last, user 1 first
        await repo.upsert_user(uid, uid, f"U{uid}", NOW + timedelta(minutes=uid))
    store = LanguageRepo(db)
    for uid in range(1, 6):
        await store.seen(uid, "en")
    await store.choose(4, "ru", NOW + timedelta(hours=1))  # a choice is activity too
    languages = Languages(store, "en", remember=3)
    assert await languages.preload_recent() == 3
    before = db.round_trips
    assert [await languages.for_update(u, "en") for u in (3, 4, 5)] == ["en", "ru", "en"]
    assert db.round_trips == before, "the most recent users were read at start-up"
    assert await languages.for_update(1, "en") == "en"
    assert db.round_trips == before + 1, "an older user is read when they come back"
