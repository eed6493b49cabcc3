"""`python -m bot run` and `python -m bot demo` as real processes, talking only to 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time
from pathlib import Path

from bot.domain.calendar import Schedule
from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.services.reminders import Reminders, ReminderSettings
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo
from standin import FloodLimits, StandIn

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
    # The tap moves the question on in place: the answer joins the recap above question 5,
    # under the disclaimer that heads the set-up.
    edited = text.split("bot (edited)> ")[-1]
    assert "not medical advice" in edited and "✓ Goal: Thicker back" in edited
    assert "5/13" in edited
    assert text.rstrip().endswith("bye") and "Traceback" not in err.decode()
    assert db.exists(), "the named database was used"


async def test_demo_run_again_on_the_same_database_carries_on_where_it_stopped(
    tmp_path: Path,
) -> None:
    db = tmp_path / "demo.sqlite3"
    said = []
    for script in (b"/start\n7\n", b"no\n"):  # no warning signs; after a restart: no pain
        async with process("demo", "--db", str(db), env=_env(tmp_path), cwd=tmp_path) as proc:
            out, err = await asyncio.wait_for(proc.communicate(script), timeout=60)
        assert proc.returncode == 0, err.decode()
        said.append(out.decode())
    assert "2/13" in said[0] and "3/13" not in said[0]
    assert "3/13" in said[1], "the answer typed after the restart was taken, not dropped"


async def test_demo_exits_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    async with process("demo", env=_env(tmp_path), cwd=tmp_path) as proc:
        assert proc.stdout is not None
        banner = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
        assert b"BackCoach demo" in banner
        proc.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode == 0
    assert "Traceback" not in err.decode() and out.decode().rstrip().endswith("bye")


async def _demo_user_with_a_schedule(db: Path, library: Library) -> None:
    """The demo user, set up through the services (the set-up questions are tested elsewhere)."""
    from bot.cli.demo import DEMO_USER

    now = datetime.now(UTC)
    database = await Database.open(db)
    repo, schedules = Repo(database), ScheduleRepo(database)
    reminders = Reminders(repo, schedules, ReminderSettings())
    profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10)
    await repo.upsert_user(DEMO_USER, DEMO_USER, "You", now)
    every_day = Schedule(weekdays=frozenset(range(7)), time=time(18, 0), timezone="Europe/Berlin")
    await reminders.finish_setup(DEMO_USER, now, (profile, build_plan(profile, library)), every_day)
    await database.close()


async def test_demo_time_commands_bring_reminders_rest_and_the_days_end(
    tmp_path: Path, library: Library
) -> None:
    db = tmp_path / "demo.sqlite3"
    await _demo_user_with_a_schedule(db, library)
    script = [
        ":help",
        ":time",
        ":time next reminder",  # the reminder arrives at once
        "1",  # Start
        "1",  # the back check: Fine
        "1",  # Done: cardio
        "1",  # Done: mobility
        "1",  # Done: warm-up sets
        "10 bw",  # one set: the rest timer starts
        ":time +3m",  # the rest is over
        ":time midnight",  # the open session is closed
        ":time yesterday",
        ":time 1999-01-01 10:00",
    ]
    stdin = ("\n".join(script) + "\n").encode()
    async with process("demo", "--db", str(db), env=_env(tmp_path), cwd=tmp_path) as proc:
        out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=120)
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    assert ":time next reminder" in text and ":time tomorrow 18:00" in text, ":help lists them"
    assert text.count("(the bot's clock: ") == 4
    assert "bot> 💪 Time for your upper-back session" in text
    assert "I'll ping you when your rest is over" in text
    assert "bot> ⏱ Rest is over: next set of Wide-grip pull-up." in text
    assert "bot> I closed yesterday's upper-back session" in text
    assert "Wide-grip pull-up: bw x 10" in text.split("I closed yesterday's")[1]
    assert "I can't read ':time yesterday'" in text
    assert "the demo clock only moves forward" in text
    order = [text.index(s) for s in ("Time for your", "Rest is over", "I closed yesterday")]
    assert order == sorted(order)
    assert "Traceback" not in err.decode()


async def test_the_demo_speaks_the_language_its_user_reports(tmp_path: Path) -> None:
    async with process("demo", "--lang", "ru", env=_env(tmp_path), cwd=tmp_path) as proc:
        out, err = await asyncio.wait_for(proc.communicate(b":help\n/start\n"), timeout=60)
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    assert "Демо BackCoach" in text and "Команды демо" in text, text[:400]
    assert "BackCoach demo" not in text and "1/13" in text


async def test_a_piped_number_presses_the_reply_that_came_after_a_burst(tmp_path: Path) -> None:
    """The bot paces messages to one chat (about one a second after the first few), so the
    answer to a line can come well after its earlier messages: the demo waits for the bot to
    finish each line before the next, so a number presses the buttons of that answer."""
    db = tmp_path / "demo.sqlite3"
    # The whole set-up by taps and typed answers; its last tap sends the program (6 messages).
    setup = b"/start\n7\n1\n5\n1\n2\n11\n7\n25\n13\n1\n4\n9\n5\nBerlin\n1\n"
    script = setup + b"row 3x10 60\n2\n"
    async with process("demo", "--db", str(db), env=_env(tmp_path), cwd=tmp_path) as proc:
        out, err = await asyncio.wait_for(proc.communicate(script), timeout=120)
    text = out.decode()
    assert proc.returncode == 0, err.decode()
    assert "Which exercise was 3x10 @ 60 kg for?" in text
    assert "✅ Bent-over barbell row (overhand): 3x10 @ 60 kg (logged)" in text
