"""SIGKILL the real `python -m bot run` at random moments while users log sets and reminders go out.

Checks after the last restart: every message a user sent was processed (its update is `done`
in the journal and got a reply), every confirmed set is in the database, no reminder arrived
twice, and none is missing beyond those the bot logged as interrupted by a crash.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import sys
from datetime import UTC, datetime, time
from pathlib import Path

from bot.domain.calendar import Schedule
from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.services.reminders import Reminders, ReminderSettings
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo
from bot.tg.journal import RESTARTED
from standin import FloodLimits, StandIn
from tests.e2e.test_entrypoints import REPO, TOKEN

KILLS = int(os.environ.get("BACKCOACH_CRASH_KILLS", "20"))
USERS = list(range(2001, 2031))  # 30 users with a reminder due during the test
LOGGERS = USERS[:10]  # who log sets all along, few enough each to stay under the daily set cap
SET_TEXT = "deadlift 3x5 100"
INTERRUPTED = re.compile(r"(\d+) reminder\(s\) were being sent during a crash")


async def prepare(db_path: Path, library: Library, due_from: float, spread: float) -> None:
    """Users with programs and schedules, their reminders due over the test's span."""
    db = await Database.open(db_path)
    try:
        repo, schedules = Repo(db), ScheduleRepo(db)
        reminders = Reminders(repo, schedules, ReminderSettings())
        now = datetime.now(UTC)
        profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10)
        plan = build_plan(profile, library)
        every_day = Schedule(weekdays=frozenset({0, 3}), time=time(18, 0), timezone="Europe/Berlin")
        for uid in USERS:
            await repo.upsert_user(uid, uid, f"U{uid}", now)
            await repo.issue_program(uid, profile, plan, now)
            await reminders.set_schedule(uid, every_day, now)
        async with db.transaction() as conn:
            for i, uid in enumerate(USERS):
                due = int(due_from + spread * i / len(USERS))
                await conn.execute(
                    "UPDATE sessions SET due_ts = ? WHERE user_id = ? AND status = 'planned'",
                    (due, uid),
                )
    finally:
        await db.close()


async def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path, library: Library) -> None:
    rng = random.Random(1203)
    db_path = tmp_path / "bot.sqlite3"
    logs = tmp_path / "logs"
    logs.mkdir()
    loop = asyncio.get_running_loop()
    await prepare(db_path, library, due_from=datetime.now(UTC).timestamp() + 3, spread=25)
    sent_updates: dict[int, int] = {}  # update_id -> user
    async with StandIn(token=TOKEN, limits=FloodLimits(per_chat_rate=None)) as standin:
        for uid in USERS:
            standin.user(uid)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        env.update(
            DATABASE_PATH=str(db_path),
            LOG_LEVEL="INFO",
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{standin.port}",
            REMINDER_TICK_SECONDS="1",
        )
        stop_logging = asyncio.Event()

        async def users_log_sets() -> None:
            while not stop_logging.is_set():
                uid = rng.choice(LOGGERS)
                update = standin.send_text(uid, SET_TEXT)
                sent_updates[update["update_id"]] = uid
                await asyncio.sleep(rng.uniform(0.05, 0.3))

        logger_task = asyncio.create_task(users_log_sets())
        try:
            for run in range(KILLS + 1):
                with (logs / f"run{run:02d}.log").open("wb") as sink:
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
                        if run < KILLS:
                            # Kill at a random moment of a running bot, not of a start-up that a
                            # loaded machine can stretch past the whole window.
                            await up(logs / f"run{run:02d}.log", proc)
                            await asyncio.sleep(rng.uniform(0.2, 2.5))
                            proc.send_signal(signal.SIGKILL)
                        else:
                            # The last run: users stop, every reminder comes due, all settles.
                            stop_logging.set()
                            await logger_task
                            deadline = loop.time() + 60
                            sent = set(sent_updates)
                            while loop.time() < deadline and not await settled(db_path, sent):
                                await asyncio.sleep(0.5)
                            await asyncio.sleep(1.0)  # the last replies go out
                            proc.send_signal(signal.SIGTERM)
                        await asyncio.wait_for(proc.wait(), timeout=30)
                    finally:
                        if proc.returncode is None:
                            proc.kill()
                            await proc.wait()
        finally:
            stop_logging.set()
            await asyncio.gather(logger_task, return_exceptions=True)
        replies = {uid: [m.plain_text or "" for m in standin.messages(uid)] for uid in USERS}

    log_text = "\n".join(p.read_text(errors="replace") for p in sorted(logs.iterdir()))
    assert "Traceback" not in log_text, log_text[-3000:]
    interrupted = sum(int(n) for n in INTERRUPTED.findall(log_text))
    db = await Database.open(db_path)
    try:
        rows = await db.all("SELECT update_id, status FROM update_journal")
        status = {int(r[0]): str(r[1]) for r in rows}
        per_user_sets = {
            uid: int(
                (await db.one("SELECT COUNT(*) FROM set_logs WHERE user_id = ?", (uid,)) or [0])[0]
            )
            for uid in LOGGERS
        }
        counts = {
            str(r[0]): int(r[1])
            for r in await db.all("SELECT status, COUNT(*) FROM sessions GROUP BY status")
        }
    finally:
        await db.close()

    assert len(sent_updates) > 50, "users kept logging through the kills"
    unprocessed = [u for u in sent_updates if status.get(u) != "done"]
    assert not unprocessed, f"{len(unprocessed)} messages never processed: {unprocessed[:10]}"
    for uid in LOGGERS:
        messages = sum(1 for u in sent_updates.values() if u == uid)
        confirmed = sum("(logged)" in r for r in replies[uid])
        told = sum(RESTARTED in r for r in replies[uid])
        assert confirmed + told >= messages, f"user {uid}: {messages} sent, {confirmed} answered"
        assert per_user_sets[uid] == 3 * messages, "every set in the database, exactly once"
    reminders = {uid: sum("Time for your" in r for r in replies[uid]) for uid in USERS}
    twice = [uid for uid, n in reminders.items() if n > 1]
    missing = [uid for uid, n in reminders.items() if n == 0]
    assert not twice, f"reminders sent twice: {twice}"
    assert len(missing) <= interrupted, (
        f"{len(missing)} reminders missing, {interrupted} logged as interrupted by a crash"
    )
    assert "sending" not in counts and "planned" not in counts, counts
    told = sum(RESTARTED in r for u in LOGGERS for r in replies[u])
    print(
        f"crash test: {KILLS} kills, {len(sent_updates)} set messages, all processed once; "
        f"{told} answered with the restart note; reminders {sum(reminders.values())}/{len(USERS)} "
        f"delivered, {interrupted} interrupted by a crash, 0 twice"
    )


async def up(log_file: Path, proc: asyncio.subprocess.Process, timeout: float = 30.0) -> None:
    """Wait until the bot's log says it is up (or it exits, or 30 s pass)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline and proc.returncode is None:
        if "is up" in log_file.read_text(errors="replace"):
            return
        await asyncio.sleep(0.05)


async def settled(db_path: Path, sent: set[int]) -> bool:
    """Every message sent is done, and no reminder is waiting or being sent."""
    db = await Database.open(db_path)
    try:
        done = {
            int(r[0])
            for r in await db.all("SELECT update_id FROM update_journal WHERE status = 'done'")
        }
        row = await db.one("SELECT COUNT(*) FROM sessions WHERE status IN ('planned', 'sending')")
        return sent <= done and row is not None and int(row[0]) == 0
    finally:
        await db.close()
