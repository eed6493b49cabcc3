"""No update lost to a crash: the update queue records each update in SQLite before it is queued.

PTB's Updater puts every fetched update into the application's update_queue and only then
moves its offset on; Telegram learns the updates were received at the next getUpdates call.
So a queue whose `put` commits the update to the journal first means every update Telegram
considers delivered is already on disk. Its row turns 'committed' with the handler's first
write (same transaction) and 'done' when the handler returns. At start-up 'pending' ones are
queued again before polling begins; 'committed' ones are not run twice, the user is told the
bot restarted. A redelivered update_id that was seen before is not queued again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime
from typing import Protocol

from telegram import Bot, Update
from telegram.error import TelegramError

from bot.clock import Clock
from bot.i18n import DEFAULT_LANGUAGE, N_, _, pick_language, use_language

log = logging.getLogger(__name__)


class JournalStore(Protocol):
    """The update journal in SQLite (bot/storage/journal.py's JournalRepo, wired in bot/app.py)."""

    async def record(self, update_id: int, body: str, now: datetime) -> bool:
        """Record a fetched update; False if its id was seen before."""
        ...

    async def finish(self, update_id: int, handled: bool, now: datetime) -> None:
        """Mark an update done (or dropped)."""
        ...

    async def pending(self, limit: int = 10_000) -> list[tuple[int, str]]:
        """Recorded but unfinished updates, oldest first."""
        ...

    async def committed(self, limit: int = 10_000) -> list[tuple[int, str]]:
        """Updates whose writes are in but which never finished."""
        ...

    async def status(self, update_id: int) -> str | None:
        """An update's journal status, or None."""
        ...

    async def prune(self, now: datetime) -> int:
        """Forget old finished updates; how many."""
        ...


class Journal:
    """Records, replays and finishes updates; counts what it did for tests and benches."""

    def __init__(self, repo: JournalStore, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock
        self._queued: set[int] = set()  # update_ids queued in this run and not yet finished
        self._replaying: set[int] = set()  # of those, the ones a crash left (queued at start-up)
        self.recorded = 0
        self.duplicates = 0
        self.replayed = 0

    @property
    def outstanding(self) -> int:
        """Updates queued in this run and not finished yet."""
        return len(self._queued)

    async def admit(self, update: Update) -> bool:
        """Record a fetched update; False if it was already seen (do not queue it again)."""
        uid = update.update_id
        if uid in self._queued:
            self.duplicates += 1
            return False
        started = time.perf_counter()
        body = json.dumps(update.to_dict(), separators=(",", ":"))
        if not await self.repo.record(uid, body, self.clock()):
            self.duplicates += 1
            log.debug("update %d was already handled; ignored", uid)
            return False
        self._queued.add(uid)
        self.recorded += 1
        log.debug("update %d recorded in %.1f ms", uid, (time.perf_counter() - started) * 1000)
        return True

    async def finish(self, update: object, handled: bool) -> None:
        """Mark an update done (or dropped) once the processor is through with it."""
        if not isinstance(update, Update):
            return
        await self.repo.finish(update.update_id, handled, self.clock())
        self._queued.discard(update.update_id)
        self._replaying.discard(update.update_id)

    def is_replay(self, update: object) -> bool:
        """Whether this update was fetched before a stop and queued again at start-up.

        Telegram already counts it delivered, so it must be handled whatever the user's backlog.
        """
        return isinstance(update, Update) and update.update_id in self._replaying

    async def answer_interrupted(self, bot: Bot) -> int:
        """Updates whose writes were saved but whose reply a crash cut off: say so, finish them.

        Running them again would apply their writes twice, so they are not replayed.
        """
        rows = await self.repo.committed()
        for uid, body in rows:
            update = Update.de_json(json.loads(body), bot)
            chat = update.effective_chat if update is not None else None
            user = update.effective_user if update is not None else None
            if chat is not None:
                # At start-up there is no processor lane yet: the update's own language code.
                code = user.language_code if user is not None else None
                try:
                    with use_language(pick_language(None, code, DEFAULT_LANGUAGE)):
                        await bot.send_message(chat.id, _(RESTARTED))
                except TelegramError:
                    log.warning("could not tell a user about update %d after a restart", uid)
            await self.repo.finish(uid, True, self.clock())
        return len(rows)

    async def unfinished(self, bot: Bot) -> list[Update]:
        """Updates recorded before a crash but never finished, oldest first, marked queued."""
        out = []
        for uid, body in await self.repo.pending():
            update = Update.de_json(json.loads(body), bot)
            if update is None:  # pragma: no cover - a stored body is always a whole update
                continue
            self._queued.add(uid)
            self._replaying.add(uid)
            out.append(update)
        self.replayed += len(out)
        return out


RESTARTED = N_(
    "I restarted just after saving your last message, before I could answer it. "
    "Nothing is lost: send /today to see where you are, or just carry on."
)


class JournalQueue(asyncio.Queue[object]):
    """PTB's update_queue, with every Update recorded in the journal before it is queued."""

    def __init__(self) -> None:
        super().__init__()
        self.journal: Journal | None = None  # set once the database is open

    async def put(self, item: object) -> None:
        """Record, then queue; an update already seen is not queued again."""
        journal = self.journal
        if isinstance(item, Update) and journal is not None and not await journal.admit(item):
            return
        await super().put(item)

    async def replay(self, bot: Bot) -> int:
        """Queue the updates a crash left unfinished, ahead of anything fetched now."""
        assert self.journal is not None
        cut_off = await self.journal.answer_interrupted(bot)
        if cut_off:
            log.warning("%d update(s) were saved but not answered before a stop", cut_off)
        updates = await self.journal.unfinished(bot)
        for update in updates:
            await super().put(update)
        if updates:
            log.warning(
                "%d update(s) were not finished before a stop; handling them now", len(updates)
            )
        return len(updates)
