"""Per-user sequential update processing on top of PTB's concurrent_updates.

PTB either handles one update at a time (so one user's burst, whose replies the pacer spaces
at about 1/s, stalls every other user) or all of them concurrently (so one user's two quick
messages can race through the same conversation state). This processor runs different users
concurrently and each user's updates strictly in arrival order, with a cap on how many one
user may have waiting: beyond it their updates are dropped, with one polite reply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.i18n import DEFAULT_LANGUAGE, N_, reset_language, set_language
from bot.unitofwork import CURRENT_UPDATE, UPDATE_COMMITS, Commits

log = logging.getLogger(__name__)

SLOW_DOWN = N_(
    "Whoa, that's a lot of messages at once. I'm working through the first ones; "
    "please wait for my replies before sending more."
)

# Told about an update: (update, handled) once it has finished or was dropped.
Finished = Callable[[object, bool], Awaitable[None]]
# Sends the one polite reply to the chat of an update that went over its user's backlog.
Notify = Callable[[Update], Awaitable[None]]
# Whether an update must be handled even over its user's backlog (one replayed after a stop).
Exempt = Callable[[object], bool]
# The language to answer an update in (the user's choice, else their Telegram app's).
Language = Callable[[Update], Awaitable[str]]


@dataclass
class _Lane:
    """One user's queue: a lock held while an update runs, and how many wait for it."""

    lock: asyncio.Lock
    backlog: int = 0
    warned: bool = False


class PerUserProcessor(BaseUpdateProcessor):
    """Different users run concurrently; one user's updates run one at a time, in order."""

    def __init__(self, max_backlog: int = 20, max_concurrent_updates: int = 4096) -> None:
        # The semaphore bounds the tasks PTB may run; a flooding user holds at most
        # max_backlog of them (the rest are dropped at once), so others always get a slot.
        super().__init__(max_concurrent_updates)
        self.max_backlog = max_backlog
        self._lanes: dict[int, _Lane] = {}
        self.dropped = 0
        self.on_finished: Finished | None = None
        self.notify: Notify | None = None
        self.language: Language | None = None
        self.exempt: Exempt | None = None
        self.default_language = DEFAULT_LANGUAGE
        self._tasks: set[asyncio.Task[Any]] = set()
        # How many updates committed 0, 1, 2... transactions, and the last few that committed
        # more than once (a crash between two commits would leave the second undone).
        self.commits: Counter[int] = Counter()
        self.split: deque[int | None] = deque(maxlen=100)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Let the last 'slow down' replies finish."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def backlog(self, key: int) -> int:
        """How many updates of this user are running or waiting (for tests and benches)."""
        lane = self._lanes.get(key)
        return lane.backlog if lane else 0

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run the update in its user's lane, or drop it if the lane is full."""
        key = lane_key(update)
        if key is None:
            await self._run(update, coroutine)
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane(asyncio.Lock())
        if lane.backlog >= self.max_backlog and not self._exempt(update):
            self._drop(update, coroutine, lane)
            return
        lane.backlog += 1
        try:
            async with lane.lock:
                await self._run(update, coroutine)
        finally:
            lane.backlog -= 1
            if lane.backlog == 0:
                # An idle lane is forgotten, so memory follows the active users only.
                del self._lanes[key]

    def _exempt(self, update: object) -> bool:
        # Updates replayed at start-up were acknowledged to Telegram before the stop: dropping
        # them would lose them for good, so they queue beyond the cap (their number is bounded
        # by what the last run had admitted).
        return self.exempt is not None and self.exempt(update)

    async def _run(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        # Every text the handlers render for this update is translated into this language. It
        # is looked up before the update is marked current: remembering the user's Telegram
        # language is not the handler's write, and must not mark the update as committed.
        try:
            lang = await self.language_of(update)
        except BaseException:
            if asyncio.iscoroutine(coroutine):
                coroutine.close()  # cancelled before it started: it is never awaited
            raise
        lang_token = set_language(lang)
        uid = _update_id(update)
        commits = Commits()
        token = CURRENT_UPDATE.set(uid)
        counting = UPDATE_COMMITS.set(commits)
        try:
            await coroutine
        finally:
            reset_language(lang_token)
            UPDATE_COMMITS.reset(counting)
            CURRENT_UPDATE.reset(token)
            self.commits[commits.count] += 1
            if commits.count > 1:
                self.split.append(uid)
                log.warning("update %s committed %d times, not once", uid, commits.count)
            log.debug("update %s handled in %.1f ms", uid, (time.perf_counter() - started) * 1000)
            if self.on_finished is not None:
                await self.on_finished(update, True)

    async def language_of(self, update: object) -> str:
        """The language to answer this update in; the default if it cannot be told."""
        if self.language is None or not isinstance(update, Update):
            return self.default_language
        try:
            return await self.language(update)
        except Exception:
            # A failed lookup must not cost the update: it is answered in the default language.
            log.warning("could not look up the language for update %s", _update_id(update))
            return self.default_language

    def _drop(self, update: object, coroutine: Awaitable[Any], lane: _Lane) -> None:
        if asyncio.iscoroutine(coroutine):
            coroutine.close()  # never awaited: the update is not processed
        self.dropped += 1
        log.info("user backlog full; dropped update %s", _update_id(update))
        if self.on_finished is not None:
            self._spawn(self.on_finished(update, False))
        if not lane.warned and self.notify is not None and isinstance(update, Update):
            lane.warned = True  # once per burst: the lane is new again after it drains
            self._spawn(self.notify(update))

    def _spawn(self, awaitable: Awaitable[Any]) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(awaitable)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a backlog notice failed", exc_info=task.exception())


def lane_key(update: object) -> int | None:
    """Whose lane an update belongs to: the user, else the chat; None runs unordered."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


def _update_id(update: object) -> int | None:
    return update.update_id if isinstance(update, Update) else None
