"""The reminder benchmark's databases, built through the app's own storage layer.

Users, programs, schedules and their planned sessions are written with the same repository
and service calls the bot uses (`Repo`, `Reminders.set_schedule`), so the files have exactly
the rows the bot would write. Each chunk of users is one transaction (they nest), which keeps
building 100,000 users to minutes and the write-ahead log bounded.
"""

from __future__ import annotations

import itertools
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from datetime import time as dtime
from pathlib import Path

from bot.domain import calendar
from bot.domain.calendar import Schedule
from bot.domain.models import Goal, Level, Library, Plan, Profile
from bot.domain.programs import build_plan
from bot.services.reminders import Reminders, ReminderSettings
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday; the bot's clock at start-up
DUE = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 18:00 in Berlin: the burst's second
BURST_TZ = "Europe/Berlin"
FIRST_UID = 1_000_000
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
         "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata", "UTC")  # fmt: skip
PROFILE = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10)
CHUNK = 2_000  # users per transaction


def the_plan(library: Library) -> Plan:
    """The program every benchmark user has."""
    return build_plan(PROFILE, library)


def restore_schedules() -> Iterator[Schedule]:
    """Varied but valid schedules: weekday pairs x 64 quarter-hours x 8 zones."""
    pairs = [frozenset(c) for c in itertools.combinations(range(7), 2)
             if calendar.fits_two_a_week(frozenset(c))]  # fmt: skip
    times = [dtime(6 + q // 4, 15 * (q % 4)) for q in range(64)]
    for i in itertools.count():
        yield Schedule(weekdays=pairs[i % len(pairs)], time=times[(i // 7) % 64],
                       timezone=ZONES[(i // 448) % len(ZONES)])  # fmt: skip


def burst_schedule() -> Schedule:
    """Monday and Thursday at 18:00 in Berlin: from START, everyone's next session is DUE."""
    return Schedule(weekdays=frozenset({0, 3}), time=dtime(18, 0), timezone=BURST_TZ)


async def _populate(path: Path, n: int, plan: Plan, burst: bool) -> None:
    db = await Database.open(path)
    try:
        repo, schedules = Repo(db), ScheduleRepo(db)
        reminders = Reminders(repo, schedules, ReminderSettings())
        varied = restore_schedules()
        for first in range(FIRST_UID + 1, FIRST_UID + n + 1, CHUNK):
            async with db.transaction():
                for uid in range(first, min(first + CHUNK, FIRST_UID + n + 1)):
                    schedule = burst_schedule() if burst else next(varied)
                    await repo.upsert_user(uid, uid, f"U{uid}", START)
                    await repo.issue_program(uid, PROFILE, plan, START)
                    session = await reminders.set_schedule(uid, schedule, START)
                    if burst:
                        assert session is not None and session.due_at == DUE, session
    finally:
        await db.close()


async def populate(path: Path, n: int, plan: Plan, *, burst: bool) -> float:
    """Write n users with a program, a schedule and one planned session; return seconds.

    burst: everybody Mon+Thu 18:00 Berlin, so every session is due at DUE. Otherwise the
    schedules vary and each session is the one the app plans from START.
    """
    t0 = time.perf_counter()
    await _populate(path, n, plan, burst)
    return time.perf_counter() - t0


def fresh_copy(template: Path, dest: Path) -> Path:
    """A copy of a closed database file, so a run starts from the same rows as the last."""
    for suffix in ("-wal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, dest)  # with its 0600 mode: the bot warns about a wider one
    return dest


async def session_statuses(path: Path) -> dict[str, int]:
    """How many sessions are in each status."""
    db = await Database.open(path)
    try:
        return await ScheduleRepo(db).count_by_status()
    finally:
        await db.close()
