"""The bots the throughput bench measures, and the probes it measures them with.

- `echo_app`: the baseline, a bare python-telegram-bot Application with one MessageHandler that
  replies with the text, every setting at PTB's default (as PTB's own echobot.py example).
- `backcoach_app`: the real BackCoach Application (the durable update journal on, as in
  production), its pacing raised so the code path is measured, not Telegram's ceiling.
- `missing_sniffio`: makes `import sniffio` fail as it does when sniffio is not installed.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from telegram import Bot, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.reminders_db import START
from bench.standin_process import Urls
from bot.app import Connection, build_application
from bot.clock import FakeClock
from bot.domain.models import Library
from bot.services.reminders import ReminderSettings
from bot.tg.context import App
from bot.tg.ratelimit import Limits
from bot.tg.transport import AiohttpRequest
from standin import DEFAULT_TOKEN

AnyApp = Application[Any, Any, Any, Any, Any, Any]
# The bot's own pacing raised far above Telegram's 30/s, so the update path is what is timed.
FAST = Limits(per_second=5000.0, per_chat_per_second=100.0, per_chat_burst=100)
TIMEOUT = 10.0


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the text."""
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def echo_app(urls: Urls, lean: bool = False) -> AnyApp:
    """A bare PTB echo bot: defaults everywhere except the stand-in's address.

    PTB's default handles one update at a time. With concurrent_updates(True) it opened up to
    256 connections at once to the stand-in, and its cost per update swung fourfold between
    runs on a loaded machine, which made it no yardstick. `lean`: on aiohttp (AiohttpRequest)
    instead of PTB's default httpx.
    """
    builder = ApplicationBuilder().token(DEFAULT_TOKEN).base_url(urls.base).base_file_url(urls.file)
    if lean:  # the same echo bot on BackCoach's transport: what the rest of BackCoach costs
        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest())
    app: AnyApp = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


@asynccontextmanager
async def serving(app: AnyApp) -> AsyncIterator[AnyApp]:
    """Poll and handle updates inside the current event loop, as bot.app.running does."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


def backcoach_app(urls: Urls, library: Library, db: Path) -> App:
    """The real app on `db`, clock at START; the reminder tick only at start-up."""
    conn = Connection(DEFAULT_TOKEN, urls.base, urls.file, timeout=TIMEOUT, limits=FAST)
    # Reminders would tick in the middle of a phase and add their own round trips.
    reminders = ReminderSettings(tick_seconds=86_400.0)
    return build_application(conn, library, db, FakeClock(START), reminders=reminders)


class _NoSniffio(importlib.abc.MetaPathFinder):
    """Fails `import sniffio` after the same search a missing module costs."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "sniffio":
            return None
        # What an uninstalled sniffio costs: every other finder looks, and none finds it.
        for finder in sys.meta_path:
            if finder is not self and hasattr(finder, "find_spec"):
                finder.find_spec("sniffio_is_not_installed", path, target)
        raise ModuleNotFoundError("No module named 'sniffio'", name="sniffio")


@contextmanager
def missing_sniffio() -> Iterator[None]:
    """While active, `import sniffio` fails as it did before sniffio became a dependency."""
    finder = _NoSniffio()
    saved = sys.modules.pop("sniffio", None)
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        if saved is not None:
            sys.modules["sniffio"] = saved


async def send_cost(urls: Urls, chat_id: int, n: int) -> float:
    """CPU seconds of this process per sendMessage, n sent one after another by a bare Bot."""
    async with Bot(DEFAULT_TOKEN, base_url=urls.base, base_file_url=urls.file) as bot:
        await bot.send_message(chat_id, "warm-up")  # the connection is open before the clock
        cpu0 = time.process_time()
        for i in range(n):
            await bot.send_message(chat_id, f"message {i}")
        return (time.process_time() - cpu0) / n
