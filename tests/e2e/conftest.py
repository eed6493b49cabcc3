"""End-to-end harness: the real Application talking HTTP to the local Bot API stand-in."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import Connection, build_application, running
from bot.clock import FakeClock
from bot.domain.models import Library
from bot.standin import DEFAULT_TOKEN, FloodLimits, SentMessage, StandIn
from bot.tg.context import App

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday


@dataclass
class Harness:
    """Drive users against the running bot and read what it sent them."""

    standin: StandIn
    app: App
    clock: FakeClock
    db_path: Path
    seen: dict[int, int] = field(default_factory=dict)

    async def send(self, user_id: int, text: str, expect: int = 1) -> list[SentMessage]:
        """Send text (or a /command) as the user; return the bot's new messages."""
        self.standin.user(user_id)
        if text.startswith("/"):
            self.standin.send_command(user_id, text)
        else:
            self.standin.send_text(user_id, text)
        return await self.new_messages(user_id, expect)

    async def new_messages(self, chat_id: int, expect: int = 1) -> list[SentMessage]:
        """Wait for `expect` new bot messages in the chat and return them."""
        before = self.seen.get(chat_id, 0)
        msgs = await self.standin.wait_for_messages(chat_id, before + expect, timeout=10)
        self.seen[chat_id] = len(msgs)
        return msgs[before:]

    def last(self, chat_id: int) -> SentMessage:
        """The bot's latest message in the chat."""
        msg = self.standin.last_message(chat_id)
        assert msg is not None, f"no bot message in chat {chat_id}"
        return msg


@pytest.fixture
def flood_limits() -> FloodLimits:
    """Telegram's real limits; a test may override this fixture."""
    return FloodLimits()


@pytest.fixture
async def harness(
    tmp_path: Path, library: Library, flood_limits: FloodLimits
) -> AsyncIterator[Harness]:
    """A running bot on a fresh database, behind a stand-in on a free loopback port."""
    threads_before = set(threading.enumerate())
    clock = FakeClock(START)
    db_path = tmp_path / "bot.sqlite3"
    async with StandIn(limits=flood_limits) as standin:
        conn = Connection(DEFAULT_TOKEN, standin.base_url, standin.base_file_url, timeout=5)
        app = build_application(conn, library, db_path, clock=clock)
        async with running(app):
            yield Harness(standin, app, clock, db_path)
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
