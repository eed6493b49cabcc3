"""No update lost to a crash, none handled twice: the update journal end to end."""

from __future__ import annotations

import asyncio
import json

from telegram import Update

from bot.storage.db import Database
from bot.storage.journal import JournalRepo
from tests.e2e.conftest import START, Harness


async def test_an_update_fetched_but_not_handled_before_a_crash_is_handled_at_start(
    harness: Harness,
) -> None:
    user = 801
    await harness.send(user, "/help")
    await harness.stop()
    # While the bot is down: the user asks for /help again; the bot had fetched the update
    # (recorded it, and Telegram counts it delivered) and then died before handling it.
    update = harness.standin.send_command(user, "/units")
    harness.standin.confirm(update["update_id"] + 1)
    db = await Database.open(harness.db_path)
    try:
        assert await JournalRepo(db).record(update["update_id"], json.dumps(update), START)
    finally:
        await db.close()
    await harness.start()
    [reply] = await harness.new_messages(user)
    assert "You log weights in" in reply.plain_text, "the recorded update was handled"
    await harness.standin.wait_for(
        lambda: harness.app.bot_data.journal.outstanding == 0, what="the update to be finished"
    )
    assert harness.app.bot_data.journal.replayed == 1
    status = await harness.app.bot_data.journal.repo.status(update["update_id"])
    assert status == "done"


async def test_a_redelivered_update_changes_nothing_twice(harness: Harness) -> None:
    user = 802
    harness.standin.user(user)
    update = harness.standin.send_command(user, "/units lb")
    [reply] = await harness.new_messages(user)
    assert "now in lb" in reply.plain_text
    journal = harness.app.bot_data.journal
    await harness.standin.wait_for(
        lambda: journal.outstanding == 0, what="the update to be finished"
    )
    # Telegram delivers the same update again (its offset was not acknowledged in time).
    await harness.app.update_queue.put(Update.de_json(update, harness.app.bot))
    await asyncio.sleep(0.5)
    assert len(harness.standin.messages(user)) == 1, "no second reply"
    assert journal.duplicates == 1
    assert await journal.repo.status(update["update_id"]) == "done"


async def test_every_fetched_update_is_on_disk_before_telegram_is_told(harness: Harness) -> None:
    user = 803
    harness.standin.user(user)
    for i in range(30):
        harness.standin.send_text(user, f"note {i}")
    await harness.standin.wait_for(
        lambda: harness.standin.pending_updates == 0, timeout=10, what="all to be confirmed"
    )
    # The stand-in forgets updates only once the bot's offset confirms them: by then each
    # must be in the journal (pending or done).
    rows = await harness.app.bot_data.db.all("SELECT update_id FROM update_journal")
    assert len(rows) >= 30


async def test_updates_left_by_a_crash_are_all_handled_even_beyond_the_backlog_cap(
    harness: Harness,
) -> None:
    user = 804
    await harness.restart_with(max_backlog=3)
    await harness.send(user, "/help")
    await harness.stop()
    # Before the stop the bot had fetched (and so acknowledged) 8 more of this user's updates,
    # more than the cap of 3 one user may have waiting, and handled none of them.
    db = await Database.open(harness.db_path)
    try:
        repo = JournalRepo(db)
        for _ in range(8):
            update = harness.standin.send_command(user, "/units")
            harness.standin.confirm(update["update_id"] + 1)
            assert await repo.record(update["update_id"], json.dumps(update), START)
    finally:
        await db.close()
    before = len(harness.standin.messages(user))
    await harness.start()
    replies = await harness.new_messages(user, expect=8)
    assert all("You log weights in" in r.plain_text for r in replies), [
        r.plain_text for r in replies
    ]
    journal = harness.app.bot_data.journal
    await harness.standin.wait_for(lambda: journal.outstanding == 0, what="all to be finished")
    await asyncio.sleep(0.3)
    sent = harness.standin.messages(user)[before:]
    assert len(sent) == 8, "no 'slow down' reply and nothing dropped"
    assert harness.app.update_processor.dropped == 0  # type: ignore[attr-defined]
