"""No update lost to a crash: every fetched update is in SQLite before it is queued.

PTB's Updater puts every fetched update into the application's update_queue and only then
moves its offset on; Telegram learns the updates were received at the next getUpdates call.
The getUpdates transport hands each fetched batch to `Journal.record_fetched` first (one call
into SQLite for the batch, each update stored as Telegram sent it), and the queue's `put` only
queues what that found new; so every update Telegram considers delivered is already on disk.
A row turns 'committed' with the handler's first write (same transaction) and 'done' when the
handler returns (finishes that fall together share one write). At start-up 'pending' ones are
queued again before polling begins; 'committed' ones are not run twice, the user is told the
bot restarted. A redelivered update_id that was seen before is not queued again."""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

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

    async def record_many(self, bodies: list[tuple[int, str]], now: datetime) -> dict[int, str]:
        """Record a fetched batch; per update_id 'new' or the status it already had."""
        ...

    async def finish(self, update_id: int, handled: bool, now: datetime) -> None:
        """Mark an update done (or dropped)."""
        ...

    async def finish_many(self, outcomes: list[tuple[int, bool]], now: datetime) -> None:
        """Mark several updates done (or dropped)."""
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


@dataclass
class _Finishing:
    """Finish marks that go to SQLite together, and the write they wait for."""

    written: asyncio.Future[None]
    outcomes: list[tuple[int, bool]] = field(default_factory=list)


class Journal:
    """Records, replays and finishes updates; counts what it did for tests and benches."""

    def __init__(self, repo: JournalStore, clock: Clock) -> None:
        self.repo = repo
        self.clock = clock
        self._queued: set[int] = set()  # update_ids queued in this run and not yet finished
        self._replaying: set[int] = set()  # of those, the ones a crash left (queued at start-up)
        self._verdicts: dict[int, bool] = {}  # fetched and recorded, not yet queued: new?
        self._finishing: _Finishing | None = None  # finish marks waiting for their write
        self._finish_turn = asyncio.Lock()
        self._writing: set[asyncio.Task[None]] = set()
        self.finished_up_to = 0  # the highest update_id finished in this run
        self.recorded = 0
        self.duplicates = 0
        self.replayed = 0

    @property
    def outstanding(self) -> int:
        """Updates queued in this run and not finished yet."""
        return len(self._queued)

    async def record_fetched(self, batch: list[dict[str, Any]]) -> None:
        """Record a whole getUpdates answer, as Telegram sent it, in one call into SQLite.

        Called by the getUpdates transport before PTB parses the batch (bot/tg/transport.py),
        so each update is stored from its own JSON (no `to_dict()` round again) and a batch of
        a hundred costs one round trip, not a hundred. `admit` then only reads the verdict.
        """
        # A verdict left from an earlier batch belongs to one PTB never queued (it failed
        # between fetching and queueing); that batch comes again and is judged afresh.
        self._verdicts.clear()
        bodies = []
        for raw in batch:
            uid = raw.get("update_id")
            if isinstance(uid, int) and uid not in self._queued:
                bodies.append((uid, json.dumps(raw, separators=(",", ":"))))
        if not bodies:
            return
        started = time.perf_counter()
        verdicts = await self.repo.record_many(bodies, self.clock())
        log.debug(
            "update(s) %s recorded in %.1f ms",
            ", ".join(str(uid) for uid, _ in bodies),
            (time.perf_counter() - started) * 1000,
        )
        for uid, status in verdicts.items():
            # Recorded before but never queued in this run (see above): queue it now.
            self._verdicts[uid] = status == "new" or status == "pending"

    async def admit(self, update: Update) -> bool:
        """Record a fetched update; False if it was already seen (do not queue it again)."""
        uid = update.update_id
        if uid in self._queued:
            self.duplicates += 1
            return False
        verdict = self._verdicts.pop(uid, None)
        if verdict is None:  # not fetched through the journaled transport: record it alone
            started = time.perf_counter()
            body = json.dumps(update.to_dict(), separators=(",", ":"))
            verdict = await self.repo.record(uid, body, self.clock())
            log.debug("update %d recorded in %.1f ms", uid, (time.perf_counter() - started) * 1000)
        if not verdict:
            self.duplicates += 1
            log.debug("update %d was already handled; ignored", uid)
            return False
        self._queued.add(uid)
        self.recorded += 1
        return True

    async def finish(self, update: object, handled: bool) -> None:
        """Mark an update done (or dropped) once the processor is through with it.

        Updates finishing at the same time share one call into SQLite: each waits for the
        write that carries its mark, which the first of them starts.
        """
        if not isinstance(update, Update):
            return
        uid = update.update_id
        batch = self._finishing
        if batch is None:
            batch = self._finishing = _Finishing(asyncio.get_running_loop().create_future())
            # In a fresh context: the write belongs to no update (it must not count as one's
            # commit, nor mark one committed).
            task = asyncio.get_running_loop().create_task(
                self._write_finished(batch), context=contextvars.Context()
            )
            self._writing.add(task)
            task.add_done_callback(self._writing.discard)
        batch.outcomes.append((uid, handled))
        await asyncio.shield(batch.written)
        # Only once written: an update whose mark failed stays queued, so a redelivery of it
        # is still a duplicate (as when each update was finished alone).
        self._queued.discard(uid)
        self._replaying.discard(uid)
        self.finished_up_to = max(self.finished_up_to, uid)

    async def _write_finished(self, batch: _Finishing) -> None:
        """Write one batch of finish marks, after the batch before it (one at a time)."""
        try:
            async with self._finish_turn:
                if self._finishing is batch:
                    self._finishing = None  # later finishes start the next batch
                await self.repo.finish_many(batch.outcomes, self.clock())
        except BaseException as e:
            batch.written.set_exception(e)
            if not isinstance(e, Exception):
                raise
        else:
            batch.written.set_result(None)

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

    async def record_fetched(self, batch: list[dict[str, Any]]) -> None:
        """The getUpdates transport's hook: record a fetched batch before PTB parses it."""
        if self.journal is not None:
            await self.journal.record_fetched(batch)

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
