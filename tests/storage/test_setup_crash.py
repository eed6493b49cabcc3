"""The last step of set-up, killed at every statement: the old state or the new, never a half."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.calendar import Progress
from bot.domain.models import Goal, Level, Library, Outcome
from bot.domain.onboarding import Answers, Step
from bot.domain.programs import build_plan
from bot.domain.sessions import PauseReason
from bot.services.onboarding import FLOW
from bot.services.reminders import Reminders, ReminderSettings
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
USER = 7

# Runs the real "Looks good" in its own process, and kills that process (os._exit, no
# clean-up, as a power cut or OOM kill would) just before the Nth statement of the
# transaction; N = 0 runs it to the end.
CHILD = """
import asyncio, os, sys
from datetime import datetime
from bot.clock import FakeClock
from bot.content import load_library
from bot.domain.onboarding import Finish, Step
from bot.services import bootstrap
from bot.storage.db import Database

path, kill_at, now = sys.argv[1], int(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
seen = {"in_tx": False, "n": 0}

def trace(sql):
    # SQLite calls this in its own thread as each statement starts, however the storage
    # layer batches its calls, so every statement of the transaction is a kill point.
    if sql.startswith("BEGIN"):
        seen["in_tx"], seen["n"] = True, 0
    elif seen["in_tx"]:
        seen["n"] += 1
        if seen["n"] == kill_at:
            os._exit(9)
        if sql.startswith(("COMMIT", "ROLLBACK")):
            seen["in_tx"] = False

async def main():
    db = await Database.open(path)
    await db.conn.set_trace_callback(trace)
    svc = bootstrap.build(db, load_library(), FakeClock(now)).onboarding
    reply = await svc.answer(USER_ID, Finish(Step.CONFIRM))
    if reply.issued is None or reply.session is None:
        print("not finished:", reply)
        os._exit(3)  # aiosqlite's thread would keep a failed run alive
    await db.close()
    print("finished")

asyncio.run(main())
""".replace("USER_ID", str(USER))


def confirming() -> Answers:
    return Answers(
        nonce="abc123",
        step=Step.CONFIRM,
        pain_now=False,  # the triage questions were answered: nothing to refer
        goal=Goal.WIDTH,
        level=Level.INTERMEDIATE,
        pullups=5,
        weekdays=(0, 2, 4),
        reminder_time="18:00",
        timezone="Europe/Berlin",
    )


async def state(path: Path) -> tuple[bool, int, str | None, int, int]:
    """(conversation open, programs, timezone, schedules, open sessions)."""
    db = await Database.open(path)
    try:
        conv = await db.one("SELECT COUNT(*) FROM conversations WHERE user_id = ?", (USER,))
        programs = await db.one("SELECT COUNT(*) FROM programs WHERE user_id = ?", (USER,))
        user = await db.one("SELECT timezone FROM users WHERE id = ?", (USER,))
        scheds = await db.one("SELECT COUNT(*) FROM schedules WHERE user_id = ?", (USER,))
        sessions = await db.one(
            "SELECT COUNT(*) FROM sessions WHERE user_id = ? AND status = 'planned'", (USER,)
        )
        assert conv and programs and user and scheds and sessions
        return bool(conv[0]), programs[0], user[0], scheds[0], sessions[0]
    finally:
        await db.close()


def run_child(path: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(kill_at), NOW.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_a_kill_anywhere_in_the_last_step_leaves_old_or_new(
    tmp_path: Path, library: Library
) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    repo = Repo(db)
    await repo.upsert_user(USER, USER, "Ann", NOW)
    await repo.save_conversation(USER, FLOW, confirming().model_dump(mode="json"), NOW)
    reminders = Reminders(repo, ScheduleRepo(db), ReminderSettings())
    preview = await reminders.preview(USER, confirming().schedule(), NOW)
    await db.close()

    old = (True, 0, None, 0, 0)
    new = (False, 1, "Europe/Berlin", 1, 1)
    kill_at = 1
    while True:  # kill before statement 1, 2, ... until a run gets to the end
        done = run_child(path, kill_at)
        got = await state(path)
        if done.returncode == 0:
            assert "finished" in done.stdout
            assert got == new
            break
        assert done.returncode == 9, done.stderr
        assert got == old, f"killed before statement {kill_at}: a half-finished set-up"
        kill_at += 1
    assert kill_at > 6, "the step has several writes and a commit, each one a kill point"

    db = await Database.open(path)
    session = await ScheduleRepo(db).open_session(USER)
    await db.close()
    assert session is not None
    assert (session.on, session.kind, session.due_at) == (
        preview[0].on,
        preview[0].kind,
        preview[0].due_utc,
    ), "the saved first session is the one the preview showed"


@pytest.mark.parametrize("paused", [False, True])
async def test_start_up_plans_for_a_schedule_without_a_session(
    tmp_path: Path, library: Library, paused: bool, caplog: pytest.LogCaptureFixture
) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    repo, schedules = Repo(db), ScheduleRepo(db)
    reminders = Reminders(repo, schedules, ReminderSettings())
    answers = confirming()
    await repo.upsert_user(USER, USER, "Ann", NOW)
    await repo.issue_program(USER, answers.profile(), build_plan(answers.profile(), library), NOW)
    await reminders.set_schedule(USER, answers.schedule(), NOW)
    # What an older version could leave after a crash: a schedule and no planned session.
    await db.conn.execute("DELETE FROM sessions")
    await db.conn.commit()
    if paused:
        await schedules.set_paused(USER, PauseReason.USER, NOW)
    assert await schedules.open_session(USER) is None
    # A referred user with a schedule from before has nothing to plan: never counted.
    referred = answers.profile().model_copy(update={"conditions": frozenset({"recent-injury"})})
    await repo.upsert_user(USER + 1, USER + 1, "Bo", NOW)
    await repo.issue_program(USER + 1, referred, build_plan(referred, library), NOW)
    await schedules.save_schedule(USER + 1, answers.schedule(), Progress(), NOW)
    with caplog.at_level("WARNING"):
        assert await reminders.repair(NOW) == 1
    assert "no planned session" in caplog.text
    assert await reminders.plan_pending(NOW) == 1
    session = await schedules.open_session(USER)
    assert session is not None
    assert session.on.weekday() in answers.schedule().weekdays
    assert await reminders.repair(NOW) == 0, "nothing left to repair"
    assert build_plan(referred, library).outcome is Outcome.REFER
    assert await schedules.open_session(USER + 1) is None
    await db.close()
