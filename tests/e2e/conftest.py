"""End-to-end harness: the real Application talking HTTP to the local Bot API stand-in."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Connection, build_application, running
from bot.clock import FakeClock
from bot.domain.models import Library
from bot.tg.context import App
from bot.tg.ratelimit import Limits
from standin import DEFAULT_TOKEN, FloodLimits, SentMessage, StandIn
from standin.faults import FaultProxy

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday


@dataclass
class Harness:
    """Drive users against the running bot and read what it sent them."""

    standin: StandIn
    library: Library
    clock: FakeClock
    db_path: Path
    limits: Limits = field(default_factory=Limits)
    rest_scale: float = 1.0
    max_backlog: int = 20
    via: FaultProxy | None = None  # a fault-injecting proxy between the bot and the stand-in
    app: App = field(init=False)
    seen: dict[int, int] = field(default_factory=dict)
    _stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def start(self) -> None:
        """Build and start a fresh Application on the same database and stand-in."""
        api = self.via or self.standin
        conn = Connection(
            DEFAULT_TOKEN,
            api.base_url,
            api.base_file_url,
            timeout=5,
            limits=self.limits,
        )
        self.app = build_application(
            conn,
            self.library,
            self.db_path,
            clock=self.clock,
            rest_scale=self.rest_scale,
            max_backlog=self.max_backlog,
        )
        await self._stack.enter_async_context(running(self.app))

    async def stop(self) -> None:
        """Stop the Application (as a crash or deploy would), keeping the database."""
        await self._stack.aclose()

    async def restart(self) -> None:
        """Stop and start again: everything the bot knows must come from the database."""
        await self.stop()
        await self.start()

    async def restart_with(self, max_backlog: int) -> None:
        """Restart with a different per-user backlog cap."""
        self.max_backlog = max_backlog
        await self.restart()

    async def send(self, user_id: int, text: str, expect: int = 1) -> list[SentMessage]:
        """Send text (or a /command) as the user; return the bot's new messages."""
        self.standin.user(user_id)
        if text.startswith("/"):
            self.standin.send_command(user_id, text)
        else:
            self.standin.send_text(user_id, text)
        return await self.new_messages(user_id, expect)

    async def press(
        self, user_id: int, button: str, expect: int = 1, message: SentMessage | None = None
    ) -> list[SentMessage]:
        """Press a button (by its text or data) on the latest message that has it."""
        target = message or self.with_button(user_id, button)
        self.standin.press_button(user_id, target.message_id, button)
        return await self.new_messages(user_id, expect)

    async def answer(self, user_id: int, button: str) -> SentMessage:
        """Answer a set-up question with a button: the same message then shows the answer and
        the next question (or the answers, once the set-up ends); return that message."""
        return await self.tick(user_id, button)

    async def tick(self, user_id: int, button: str) -> SentMessage:
        """Press a button that edits its message in place (a multi-select tick)."""
        target = self.with_button(user_id, button)
        edits = len(target.edits)
        query = self.standin.press_button(user_id, target.message_id, button)
        await self.standin.wait_for_callback_answer(query, timeout=10)
        await self.standin.wait_for(
            lambda: len(target.edits) > edits, timeout=10, what="the question to update"
        )
        return target

    def with_button(self, user_id: int, button: str) -> SentMessage:
        """The newest bot message with a button of this text or data."""
        for msg in reversed(self.standin.messages(user_id)):
            for row in msg.buttons:
                if any(button in (b.text, b.callback_data) for b in row):
                    return msg
        raise AssertionError(f"no message in chat {user_id} has a button {button!r}")

    async def new_messages(self, chat_id: int, expect: int = 1) -> list[SentMessage]:
        """Wait for `expect` new bot messages in the chat and return them."""
        before = self.seen.get(chat_id, 0)
        msgs = await self.standin.wait_for_messages(chat_id, before + expect, timeout=15)
        self.seen[chat_id] = len(msgs)
        return msgs[before:]

    def last(self, chat_id: int) -> SentMessage:
        """The bot's latest message in the chat."""
        msg = self.standin.last_message(chat_id)
        assert msg is not None, f"no bot message in chat {chat_id}"
        return msg

    def text(self, chat_id: int) -> str:
        """Everything the bot has said in the chat, as plain text."""
        return "\n".join(m.plain_text or "" for m in self.standin.messages(chat_id))


@pytest.fixture
def flood_limits(request: pytest.FixtureRequest) -> FloodLimits:
    """The stand-in's limits: Telegram's real ones under @pytest.mark.real_limits.

    Otherwise a test user taps faster than any person, so only the per-chat limit is off;
    the global limit stays real.
    """
    if request.node.get_closest_marker("real_limits"):
        return FloodLimits()
    return FloodLimits(per_chat_rate=None)


@pytest.fixture
def bot_limits(request: pytest.FixtureRequest) -> Limits:
    """The bot's own pacing, matching flood_limits: production defaults under real_limits."""
    if request.node.get_closest_marker("real_limits"):
        return Limits()
    return Limits(per_chat_per_second=100, per_chat_burst=100)


@pytest.fixture
def rest_scale() -> float:
    """How much shorter than prescribed the rest timer runs (1.0: as prescribed)."""
    return 1.0


@pytest.fixture
async def harness(
    tmp_path: Path,
    library: Library,
    flood_limits: FloodLimits,
    bot_limits: Limits,
    rest_scale: float,
) -> AsyncIterator[Harness]:
    """A running bot on a fresh database, behind a stand-in on a free loopback port."""
    threads_before = set(threading.enumerate())
    async with StandIn(limits=flood_limits) as standin:
        h = Harness(
            standin, library, FakeClock(START), tmp_path / "bot.sqlite3", bot_limits, rest_scale
        )
        await h.start()
        try:
            yield h
        finally:
            await h.stop()
    # Nothing may outlive the test: no stray tasks, no threads (aiosqlite's included).
    current = asyncio.current_task()
    leftover = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    assert not leftover, f"tasks left running: {leftover}"
    for _ in range(50):
        extra = [t for t in threading.enumerate() if t not in threads_before and t.is_alive()]
        if not extra:
            break
        await asyncio.sleep(0.02)
    assert not extra, f"threads left running: {extra}"
