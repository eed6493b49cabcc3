"""For operators: DEBUG logs without user texts, `backup` while running, clear storage errors."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from standin import FloodLimits, SentMessage, StandIn
from tests.e2e.test_entrypoints import REPO, TOKEN, _env, process


@asynccontextmanager
async def bot_run(env: dict[str, str], log_file: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot run` with its log in a file (a pipe nobody reads would fill and block)."""
    with log_file.open("wb") as sink:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            env=env,
            cwd=REPO,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
        )
        try:
            yield proc
        finally:
            if proc.returncode is None:
                proc.kill()
            await proc.wait()


SECRET_TEXT = "my lower back aches when I bend XQZ"


def _with_buttons(standin: StandIn, user: int) -> SentMessage | None:
    for msg in reversed(standin.messages(user)):
        if msg.buttons:
            return msg
    return None


async def test_debug_logs_hold_no_message_texts_or_answers(tmp_path: Path) -> None:
    async with StandIn(token=TOKEN, limits=FloodLimits()) as standin:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{standin.port}",
        )
        async with bot_run(env, tmp_path / "bot.log") as proc:
            await standin.wait_for(lambda: standin.commands(), timeout=30, what="the menu")
            user = 43
            standin.user(user)
            standin.send_command(user, "/start")
            await standin.wait_for_messages(user, 1, timeout=10)
            standin.send_text(user, SECRET_TEXT)
            await standin.wait_for_messages(user, 3, timeout=10)
            pressed: list[tuple[str, str]] = []
            for _ in range(8):  # answer whatever is asked by tapping, health questions too
                msg = _with_buttons(standin, user)
                if msg is None:
                    break
                fresh = [
                    b
                    for row in msg.buttons
                    for b in row
                    if b.callback_data and b.callback_data not in {d for _, d in pressed}
                ]
                if not fresh:
                    break
                count, edits = len(standin.messages(user)), len(msg.edits)
                standin.press_button(user, msg.message_id, fresh[0].callback_data or "")
                pressed.append((fresh[0].text, fresh[0].callback_data or ""))

                def answered(m: SentMessage = msg, c: int = count, e: int = edits) -> bool:
                    return len(standin.messages(user)) > c or len(m.edits) > e

                await standin.wait_for(
                    answered,
                    timeout=10,
                    what="the bot to answer a tap",
                )
            said = [m.plain_text or "" for m in standin.messages(user)]
            proc.terminate()
            await asyncio.wait_for(proc.wait(), timeout=30)
    log = (tmp_path / "bot.log").read_text()
    assert "recorded in" in log and "handled in" in log, "DEBUG shows update ids and timings"
    assert len(pressed) >= 4, "the test got some way into the questions"
    assert SECRET_TEXT not in log and "XQZ" not in log
    for text, data in pressed:
        label = text.lstrip("▫️✅ ").strip()
        assert f"'{data}'" not in log and f'"{data}"' not in log, f"tap data {data!r} logged"
        if len(label) >= 5:
            assert label not in log, f"answer {label!r} logged"
    for reply in said:
        first_line = reply.splitlines()[0] if reply else ""
        if len(first_line) >= 20:
            assert first_line not in log, "the bot's messages are not logged either"


async def test_backup_command_copies_the_database_while_the_bot_runs(tmp_path: Path) -> None:
    target = tmp_path / "backups" / "backcoach.sqlite3"
    async with StandIn(token=TOKEN, limits=FloodLimits()) as standin:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{standin.port}",
        )
        async with bot_run(env, tmp_path / "bot.log") as proc:
            await standin.wait_for(lambda: standin.commands(), timeout=30, what="the menu")
            standin.user(44)
            standin.send_command(44, "/units lb")
            await standin.wait_for_messages(44, 1, timeout=10)
            copier = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "backup",
                str(target),
                env=env,
                cwd=REPO,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(copier.communicate(), timeout=60)
            assert copier.returncode == 0, err.decode()
            assert "backed up" in out.decode()
            standin.send_command(44, "/help")  # the bot still runs after the copy
            await standin.wait_for_messages(44, 2, timeout=10)
            proc.terminate()
            await asyncio.wait_for(proc.wait(), timeout=30)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("SELECT units FROM users WHERE id = 44").fetchone() == ("lb",)
    finally:
        copy.close()


async def test_run_on_a_damaged_database_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    db.write_bytes(b"garbage " * 1000)
    env = _env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL="http://127.0.0.1:9")
    async with process("run", env=env, cwd=REPO) as proc:
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2
    lines = [line for line in err.decode().splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err.decode()
    assert str(db) in lines[0] and "restore the latest backup" in lines[0]
    assert "Traceback" not in err.decode()
