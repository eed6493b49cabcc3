"""`python -m bot demo`: chat with the real bot in the terminal, through the local stand-in."""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.app import Connection, build_application, running
from bot.cli.demo_time import HELP, NextReminder, TimeCommandError, read_time_command
from bot.clock import DemoClock
from bot.domain.calendar import zone_info
from bot.domain.models import Library
from bot.domain.sessions import SessionStatus
from bot.i18n import N_, _, pick_language, use_language
from bot.tg.context import App
from bot.tg.reminders import JOB_NAME as REMINDER_JOB
from standin import DEFAULT_TOKEN, FloodLimits, SentMessage, StandIn

DEMO_USER = 1001
BANNER = N_(
    "BackCoach demo: you are chatting with the real bot through a local stand-in of Telegram "
    "(no token, no network).\nType a message or a /command; type a number to press that "
    "button ('5 sends the text 5); '@file PATH' sends a file. ':time next reminder' moves the "
    "bot's clock to your next reminder; :help lists the demo commands. Ctrl-D or Ctrl-C quits.\n"
)


def render(msg: SentMessage, edited: bool, first_button: int) -> str:
    """A bot message as terminal text, its buttons numbered from first_button."""
    head = "bot (edited)> " if edited else "bot> "
    lines = [head + (msg.plain_text or "").replace("\n", "\n     ")]
    for f in msg.files:  # photos and documents: name and size, since a terminal can't show them
        size = len(f.data) if f.data is not None else 0
        lines.append(f"     [{f.kind}: {f.filename or f.file_id}, {size / 1024:.0f} KB]")
    n = first_button
    for row in msg.buttons:
        cells = []
        for button in row:
            cells.append(f"[{n}] {button.text}")
            n += 1
        lines.append("     " + "   ".join(cells))
    return "\n".join(lines)


class Printer:
    """Prints each new or edited bot message once and remembers the latest buttons."""

    def __init__(self, standin: StandIn, chat_id: int, out: TextIO) -> None:
        self.standin, self.chat_id, self.out = standin, chat_id, out
        self.shown: dict[int, int] = {}  # message id -> number of edits already shown
        self.buttons: list[tuple[int, str]] = []  # (message id, callback data), in order

    def pending(self) -> list[tuple[SentMessage, bool]]:
        """Messages not shown yet, or edited since they were shown."""
        out = []
        for msg in self.standin.messages(self.chat_id):
            seen = self.shown.get(msg.message_id)
            if msg.deleted:
                continue
            if seen is None or seen < len(msg.edits):
                out.append((msg, seen is not None))
        return out

    def flush(self) -> None:
        """Print whatever is pending."""
        for msg, edited in self.pending():
            self.shown[msg.message_id] = len(msg.edits)
            flat = [b for row in msg.buttons for b in row if b.callback_data is not None]
            if flat:
                self.buttons = [(msg.message_id, b.callback_data or "") for b in flat]
            print(render(msg, edited, 1), file=self.out, flush=True)

    async def run(self) -> None:
        """Print messages as they come, until cancelled."""
        while True:
            await self.standin.wait_for(self.pending, timeout=3600, what="bot output")
            self.flush()


async def _lines(stdin: TextIO) -> AsyncIterator[str]:
    """Lines from stdin without blocking the loop; a pipe or tty is read natively."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stdin)
    except (ValueError, OSError):  # a regular file: reading it never blocks for long
        while line := await asyncio.to_thread(stdin.readline):
            yield line
        return
    while line_bytes := await reader.readline():
        yield line_bytes.decode(errors="replace")


def act(standin: StandIn, printer: Printer, line: str, say: Callable[[str], None]) -> bool:
    """Turn one typed line into a user action; False if nothing was sent."""
    text = line.strip()
    if not text:
        return False
    if text.startswith("'") and text[1:].strip():  # 'TEXT sends TEXT as typed, even a number
        standin.send_text(DEMO_USER, text[1:].strip())
        return True
    if text.startswith("@file "):
        path = Path(text[6:].strip()).expanduser()
        try:
            content = path.read_bytes()
        except OSError as e:
            say(_("(can't read {path}: {problem})").format(path=path, problem=e.strerror))
            return False
        standin.send_document(DEMO_USER, content, path.name)
        return True
    if text.isdigit() and printer.buttons:
        n = int(text)
        if 1 <= n <= len(printer.buttons):
            message_id, data = printer.buttons[n - 1]
            try:
                standin.press_button(DEMO_USER, message_id, data)
            except LookupError:
                say(_("(that button is gone: the message changed; use the newest buttons)"))
                return False
            return True
        say(
            _("(there is no button {n}; the last message has {count})").format(
                n=n, count=len(printer.buttons)
            )
        )
        return False
    if text.startswith("/") and len(text) > 1 and not text[1].isspace():
        standin.send_command(DEMO_USER, text)
    else:
        standin.send_text(DEMO_USER, text)
    return True


async def settle(
    standin: StandIn,
    printer: Printer,
    quiet: float = 1.5,
    limit: float = 15,
    handled: Callable[[], bool] | None = None,
) -> None:
    """Let the bot finish: wait until it has `handled` what was sent (if told how to see it),
    then stop after `quiet` seconds without new output. Waiting for the handling matters: the
    bot paces messages to one chat, so an answer can come long after its first messages."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    with contextlib.suppress(TimeoutError):
        await standin.wait_until_delivered(timeout=limit)
        if handled is not None:
            left = max(0.0, deadline - loop.time())
            await standin.wait_for(handled, timeout=left, what="the bot to handle it")
    printer.flush()
    while loop.time() < deadline:
        try:
            await standin.wait_for(printer.pending, timeout=quiet, what="more bot output")
        except TimeoutError:
            break
        printer.flush()
    printer.flush()


async def demo_command(app: App, clock: DemoClock, line: str, say: Callable[[str], None]) -> bool:
    """A line starting with ':' (the demo's own commands); True if the bot may now speak."""
    word, _sep, rest = line.strip()[1:].partition(" ")
    if word in ("help", "h", "?"):
        say(_(HELP))
        return False
    if word != "time":
        say(_("(':{word}' is not a demo command; :help lists them)").format(word=word))
        return False
    data = app.bot_data
    user = await data.repo.get_user(DEMO_USER)
    tz = user.timezone if user and user.timezone else data.default_timezone
    try:
        target = read_time_command(rest, clock(), tz)
    except TimeCommandError as e:
        say(f"({e})")
        return False
    if isinstance(target, NextReminder):
        session = await data.schedules.open_session(DEMO_USER)
        if session is None or session.status is not SessionStatus.PLANNED:
            say(_("(no reminder is waiting to be sent: finish the set-up, or answer the last one)"))
            return False
        target = max(session.due_at, clock())
    if target is not None:
        try:
            step = clock.move_to(target)
        except ValueError:
            say(_("(that time has passed; the demo clock only moves forward)"))
            return False
        _hurry_jobs(app, step)
    shown = f"{clock().astimezone(zone_info(tz)):%a %d %b %Y, %H:%M}"
    say(_("(the bot's clock: {moment} {timezone})").format(moment=shown, timezone=tz))
    if target is None:
        return False
    await data.runner.tick()  # reminders due by now, expiry and the day's end, at once
    return True


def _hurry_jobs(app: App, step: timedelta) -> None:
    """Timed jobs (rest timers) that the jump passed over run now, as they would have."""
    if app.job_queue is None:
        return
    real_now = datetime.now(UTC)  # APScheduler runs on the real clock; the jump is relative
    for job in app.job_queue.jobs():
        if job.name == REMINDER_JOB or job.next_t is None:
            continue
        if job.next_t <= real_now + step:
            job.job.modify(next_run_time=real_now)


async def chat(
    library: Library,
    db_path: Path,
    stdin: TextIO,
    out: TextIO,
    default_timezone: str = "UTC",
    language_code: str = "en",
    default_language: str = "en",
) -> None:
    """Start the stand-in and the bot, then relay the terminal until end of input."""
    # Each run is a new stand-in. Numbered from 1 again, its updates would carry ids the bot's
    # journal saw on the last run with this --db, and the bot would drop them as redeliveries;
    # a random start (as Telegram picks one after a quiet week) keeps them new.
    first_update_id = random.randrange(1, 2**31 - 2**20)
    async with StandIn(limits=FloodLimits(), first_update_id=first_update_id) as standin:
        standin.user(DEMO_USER, first_name="You", language_code=language_code)
        conn = Connection(DEFAULT_TOKEN, standin.base_url, standin.base_file_url, timeout=5)
        clock = DemoClock()
        app = build_application(
            conn,
            library,
            db_path,
            clock=clock,
            default_timezone=default_timezone,
            default_language=default_language,
        )
        async with running(app):
            printer = Printer(standin, DEMO_USER, out)
            printing = asyncio.create_task(printer.run())

            def say(text: str) -> None:
                print(text, file=out, flush=True)

            journal, before = app.bot_data.journal, standin.last_update_id

            def handled() -> bool:  # the bot has finished every update sent so far
                newest = standin.last_update_id
                return newest == before or journal.finished_up_to >= newest

            # The demo's own lines speak the language the demo user's Telegram reports.
            with use_language(pick_language(None, language_code, default_language)):
                try:
                    print(_(BANNER), file=out, flush=True)
                    async for line in _lines(stdin):
                        if line.strip().startswith(":"):
                            await settle(standin, printer, quiet=1.2, handled=handled)
                            if await demo_command(app, clock, line, say):
                                await settle(standin, printer, quiet=1.2, handled=handled)
                            continue
                        if act(standin, printer, line, say):
                            # Let the bot answer before the next line, so piped scripts see the
                            # buttons they refer to, just as a person would.
                            await settle(standin, printer, quiet=1.2, handled=handled)
                    await settle(standin, printer, handled=handled)
                finally:
                    printing.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await printing


def run(
    library: Library,
    db: Path | None,
    default_timezone: str = "UTC",
    language_code: str = "en",
    default_language: str = "en",
) -> int:
    """Run the demo; a throwaway database unless one is named."""
    with tempfile.TemporaryDirectory(prefix="backcoach-demo-") as tmp:
        path = db if db is not None else Path(tmp) / "demo.sqlite3"
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(
                chat(
                    library,
                    path,
                    sys.stdin,
                    sys.stdout,
                    default_timezone,
                    language_code,
                    default_language,
                )
            )
    print("\nbye", flush=True)
    return 0
