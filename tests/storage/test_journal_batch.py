"""The update journal's batch path on a real SQLite file: a fetched batch is recorded in one call,
finish marks that fall together share one call, and no update is lost or queued twice."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import Bot, Update

from bot.clock import FakeClock
from bot.storage.db import CURRENT_UPDATE, Database
from bot.storage.journal import JournalRepo
from bot.tg.journal import Journal
from bot.unitofwork import UPDATE_COMMITS, Commits

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
BOT = Bot("1:fake")


def fetched(first: int, n: int) -> list[dict[str, Any]]:
    """A getUpdates answer's result as Telegram sends it: n texts from n users."""
    return [
        {
            "update_id": uid,
            "message": {
                "message_id": uid,
                "date": 1_796_000_000,
                "chat": {"id": uid, "type": "private", "first_name": "Ann"},
                "from": {"id": uid, "is_bot": False, "first_name": "Ann", "language_code": "ru"},
                "text": f"deadlift 5x5 {uid}",
            },
        }
        for uid in range(first, first + n)
    ]


def parsed(batch: list[dict[str, Any]]) -> list[Update]:
    out = [Update.de_json(raw, BOT) for raw in batch]
    return [u for u in out if u is not None]


async def test_a_fetched_batch_is_recorded_in_one_call_as_telegram_sent_it(db: Database) -> None:
    journal = Journal(JournalRepo(db), FakeClock(NOW))
    batch = fetched(100, 50)
    before = db.round_trips
    await journal.record_fetched(batch)
    assert db.round_trips - before == 1, "fifty updates, one call into SQLite"
    admitted = [await journal.admit(u) for u in parsed(batch)]
    assert admitted == [True] * 50 and journal.recorded == 50
    assert db.round_trips - before == 1, "queueing them asks SQLite nothing more"
    pending = await journal.repo.pending()
    assert [uid for uid, _ in pending] == list(range(100, 150))
    # The stored body is the update itself: a restart rebuilds the same Update from it.
    again = Update.de_json(json.loads(pending[7][1]), BOT)
    assert again is not None and again.to_dict() == parsed(batch)[7].to_dict()


async def test_a_redelivered_batch_is_not_queued_twice(db: Database) -> None:
    journal = Journal(JournalRepo(db), FakeClock(NOW))
    batch = fetched(1, 3)
    await journal.record_fetched(batch)
    updates = parsed(batch)
    assert [await journal.admit(u) for u in updates] == [True, True, True]
    # Telegram sends the same updates again while they are being handled...
    await journal.record_fetched(batch)
    assert [await journal.admit(u) for u in updates] == [False, False, False]
    # ...and once more after they were finished.
    await asyncio.gather(*(journal.finish(u, True) for u in updates))
    await journal.record_fetched(batch)
    assert [await journal.admit(u) for u in updates] == [False, False, False]
    assert journal.duplicates == 6 and journal.recorded == 3
    assert [await journal.repo.status(u) for u in (1, 2, 3)] == ["done"] * 3


async def test_a_batch_recorded_but_never_queued_is_queued_when_it_comes_again(
    db: Database,
) -> None:
    """PTB fetched and we recorded, then it failed before queueing: Telegram was never told
    (the offset did not move), so the same batch comes again and must not be taken for a
    duplicate, or those messages would go unanswered until a restart."""
    journal = Journal(JournalRepo(db), FakeClock(NOW))
    batch = fetched(10, 2)
    await journal.record_fetched(batch)  # ...and nothing was queued
    await journal.record_fetched(batch)
    assert [await journal.admit(u) for u in parsed(batch)] == [True, True]
    assert journal.duplicates == 0


async def test_an_update_that_came_another_way_is_still_recorded_before_it_is_queued(
    db: Database,
) -> None:
    journal = Journal(JournalRepo(db), FakeClock(NOW))
    (update,) = parsed(fetched(7, 1))
    assert await journal.admit(update) is True
    assert await journal.repo.status(7) == "pending"
    assert await journal.admit(update) is False


async def test_finish_marks_that_fall_together_share_one_call(db: Database) -> None:
    journal = Journal(JournalRepo(db), FakeClock(NOW))
    batch = fetched(200, 40)
    await journal.record_fetched(batch)
    updates = parsed(batch)
    for u in updates:
        await journal.admit(u)
    before = db.round_trips
    await asyncio.gather(*(journal.finish(u, i % 2 == 0) for i, u in enumerate(updates)))
    assert db.round_trips - before <= 2, "forty finishes, one or two calls into SQLite"
    assert journal.outstanding == 0
    statuses = [await journal.repo.status(u.update_id) for u in updates]
    assert statuses == ["done", "dropped"] * 20


async def test_a_finish_mark_belongs_to_no_update(db: Database) -> None:
    """The shared write happens in no update's name: it neither counts as the finishing
    update's commit (each update must commit once) nor marks it committed."""
    journal = Journal(JournalRepo(db), FakeClock(NOW))
    batch = fetched(300, 1)
    await journal.record_fetched(batch)
    (update,) = parsed(batch)
    await journal.admit(update)
    commits = Commits()
    token, counted = CURRENT_UPDATE.set(300), UPDATE_COMMITS.set(commits)
    try:
        await journal.finish(update, True)
    finally:
        CURRENT_UPDATE.reset(token)
        UPDATE_COMMITS.reset(counted)
    assert commits.count == 0
    assert await journal.repo.status(300) == "done"


async def test_an_update_whose_finish_mark_failed_stays_queued(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not written as done, it is still queued in this run: a redelivery of it is a duplicate,
    not a second run of its handler."""
    journal = Journal(JournalRepo(db), FakeClock(NOW))
    batch = fetched(400, 1)
    await journal.record_fetched(batch)
    (update,) = parsed(batch)
    await journal.admit(update)

    async def full_disk(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(journal.repo, "finish_many", full_disk)
    with pytest.raises(sqlite3.OperationalError):
        await journal.finish(update, True)
    assert journal.outstanding == 1 and journal.finished_up_to == 0
    await journal.record_fetched(batch)
    assert await journal.admit(update) is False
