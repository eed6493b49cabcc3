"""`python -m bot run` and `python -m bot demo` as real processes, talking only to 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.standin import FloodLimits, StandIn

TOKEN = "7654321:AAH" + "x" * 32  # the shape BotFather hands out; only the stand-in knows it


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env.update(DATABASE_PATH=str(tmp_path / "bot.sqlite3"), LOG_LEVEL="DEBUG", **extra)
    return env


@asynccontextmanager
async def process(
    *args: str, env: dict[str, str], cwd: Path
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A child `python -m bot ...`, killed if the test leaves it running."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=env,
        cwd=cwd,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield proc
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


REPO = Path(__file__).resolve().parents[2]


async def test_run_serves_users_and_never_logs_the_token(tmp_path: Path) -> None:
    async with StandIn(token=TOKEN, limits=FloodLimits()) as standin:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{standin.port}",
        )
        async with process("run", env=env, cwd=REPO) as proc:
            await standin.wait_for(lambda: standin.commands(), timeout=30, what="the menu")
            standin.user(42)
            standin.send_command(42, "/start")
            [reply] = await standin.wait_for_messages(42, 1, timeout=10)
            assert "BackCoach" in (reply.plain_text or "")
            proc.send_signal(signal.SIGINT)
            _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
        assert proc.returncode == 0, err.decode()
    log = err.decode()
    assert "is up" in log, "DEBUG logging was on, so the log is not empty"
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


async def test_run_with_a_rejected_token_exits_2_without_showing_it(tmp_path: Path) -> None:
    async with StandIn(token="1111111:" + "z" * 35) as standin:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{standin.port}",
        )
        async with process("run", env=env, cwd=REPO) as proc:
            out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2
    text = (out + err).decode()
    assert "rejected TELEGRAM_BOT_TOKEN" in text
    assert TOKEN.split(":")[1] not in text


async def test_run_without_a_token_says_what_to_set(tmp_path: Path) -> None:
    async with process("run", env=_env(tmp_path), cwd=tmp_path) as proc:
        _, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0] and "demo" in lines[0]


async def test_demo_chats_in_the_terminal_and_ends_on_eof(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    async with process("demo", "--db", str(db), env=_env(tmp_path), cwd=tmp_path) as proc:
        # A number presses that button: no warning signs, no pain, health check clear, then
        # free text where the goal buttons are expected, then the second goal.
        script = b"/start\n7\n1\n5\nhello\n2\n"
        out, err = await asyncio.wait_for(proc.communicate(script), timeout=60)
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    assert "bot> Hi, You!" in text and "[2] Thicker back" in text
    assert "Tap one of the goals" in text, "free text where a button is expected is answered"
    assert "bot (edited)> Goal: Thicker back" in text and "5/13" in text
    assert text.rstrip().endswith("bye") and "Traceback" not in err.decode()
    assert db.exists(), "the named database was used"


async def test_demo_exits_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    async with process("demo", env=_env(tmp_path), cwd=tmp_path) as proc:
        assert proc.stdout is not None
        banner = await asyncio.wait_for(proc.stdout.readline(), timeout=30)
        assert b"BackCoach demo" in banner
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), timeout=30)
    assert proc.returncode == 0
    assert "Traceback" not in err.decode() and out.decode().rstrip().endswith("bye")
