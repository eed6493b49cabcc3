"""The end of a zone's day: expiring unanswered reminders in one set-based step.

At Berlin midnight every Berlin user who left their reminder unanswered has a session to close
as missed. The earlier design closed them one user at a time (read the batch, then per user: read
the schedule, update the progress, close the session, plan the next: several round trips each).
Now `Reminders.expire` is two set-based UPDATEs; the next sessions are planned afterwards by
`Reminders.plan_pending`, a batch at a time, between claims of due reminders.

Measured on a SQLite file built with the app's own MIGRATIONS:
- ours: `Reminders.expire(now)` with N expiring (100,000; --quick 10,000), then how long until
  the reminders due elsewhere at that moment (1,000 New York users at 18:00) are claimed;
- baseline: the old per-user loop (`_close` per session) on B users (2,000), and ours on the
  same B, for a ratio at the same size;
- the planning that follows: `plan_pending` throughput (users per second).

    .venv/bin/python -m bench.bench_day_end [--quick] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sqlite3
import statistics
import tempfile
import time
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

from bot.content import load_library
from bot.domain import calendar
from bot.domain.calendar import Progress, Schedule
from bot.domain.models import Goal, Level, Profile
from bot.domain.programs import build_plan
from bot.domain.sessions import SessionStatus
from bot.services.reminders import Reminders, ReminderSettings
from bot.storage.db import Database
from bot.storage.migrations import MIGRATIONS
from bot.storage.repo import Repo
from bot.storage.schedules import _SESSION_COLUMNS, ScheduleRepo, _session

DAY = date(2026, 11, 23)  # a Monday
BERLIN = Schedule(weekdays=frozenset({0, 3}), time=dtime(18, 0), timezone="Europe/Berlin")
NEW_YORK = Schedule(weekdays=frozenset({0, 3}), time=dtime(18, 0), timezone="America/New_York")
MIDNIGHT = calendar.local_day_end(DAY, "Europe/Berlin")  # 23:00 UTC = 18:00 in New York
ELSEWHERE = 1_000
PLANNED_USERS = 2_000  # users with a real program (so planning has something to plan)


def populate(path: Path, expiring: int) -> None:
    """`expiring` Berlin users reminded today, unanswered; ELSEWHERE New York users due now."""
    plan = build_plan(
        Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10), load_library()
    )
    profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10).model_dump_json()
    created, progress = MIDNIGHT.isoformat(), Progress().model_dump_json()
    berlin_due = calendar.local_to_utc(DAY, BERLIN.time, BERLIN.timezone)
    ny_due = calendar.local_to_utc(DAY, NEW_YORK.time, NEW_YORK.timezone)
    assert ny_due == MIDNIGHT
    rows = []
    for i in range(1, expiring + ELSEWHERE + 1):
        berlin = i <= expiring
        sched, due = (BERLIN, berlin_due) if berlin else (NEW_YORK, ny_due)
        expires = calendar.local_day_end(DAY, sched.timezone)
        status = "reminded" if berlin else "planned"
        rows.append(
            (i, sched.model_dump_json(), int(due.timestamp()), int(expires.timestamp()), status)
        )
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.executescript("".join(m.rstrip().rstrip(";") + ";\n" for m in MIGRATIONS))
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO users (id, chat_id, first_name, timezone, created_at, updated_at) "
            "VALUES (?, ?, '', ?, ?, ?)",
            ((i, i, "Europe/Berlin", created, created) for i, *_ in rows),
        )
        with_program = [r for r in rows if r[0] <= PLANNED_USERS]
        conn.executemany(
            "INSERT INTO profiles (id, user_id, answers, created_at) VALUES (?, ?, ?, ?)",
            ((i, i, profile, created) for i, *_ in with_program),
        )
        conn.executemany(
            "INSERT INTO programs (id, user_id, version, profile_id, outcome, plan, created_at) "
            "VALUES (?, ?, 1, ?, ?, ?, ?)",
            (
                (i, i, i, plan.outcome.value, plan.model_dump_json(), created)
                for i, *_ in with_program
            ),
        )
        conn.executemany(
            "INSERT INTO schedules (user_id, schedule, progress, paused, updated_at) "
            "VALUES (?, ?, ?, NULL, ?)",
            ((i, s, progress, created) for i, s, *_ in rows),
        )
        conn.executemany(
            "INSERT INTO sessions (user_id, program_id, kind, local_date, due_ts, expires_ts, "
            "status, created_at) VALUES (?, ?, 'upper', ?, ?, ?, ?, ?)",
            (
                (i, min(i, PLANNED_USERS), DAY.isoformat(), due, exp, st, created)
                for i, _, due, exp, st in rows
            ),
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()


async def open_service(path: Path) -> tuple[Database, Reminders]:
    db = await Database.open(path)
    return db, Reminders(Repo(db), ScheduleRepo(db), ReminderSettings())


async def old_expire(reminders: Reminders, now: datetime) -> int:
    """The previous design: read a batch of expired sessions, then close them one by one."""
    count = 0
    while True:
        rows = await reminders.schedules.db.all(
            f"SELECT {_SESSION_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id "
            "WHERE s.status = 'reminded' AND s.expires_ts <= ? ORDER BY s.expires_ts LIMIT 500",
            (int(now.timestamp()),),
        )
        if not rows:
            return count
        for row in rows:
            await reminders._close(_session(row), SessionStatus.MISSED, now)
            count += 1


async def run_ours(path: Path) -> dict[str, float]:
    db, reminders = await open_service(path)
    try:
        t0 = time.perf_counter()
        expired = await reminders.expire(MIDNIGHT)
        t1 = time.perf_counter()
        claimed = 0
        while batch := await reminders.claim_due(MIDNIGHT):
            claimed += len(batch)
        t2 = time.perf_counter()
        planned = await reminders.plan_pending(MIDNIGHT, limit=PLANNED_USERS)
        t3 = time.perf_counter()
        counts = await reminders.schedules.count_by_status()
    finally:
        await db.close()
    assert claimed == ELSEWHERE, claimed
    assert counts.get("reminded", 0) == 0 and counts["missed"] == expired
    return {
        "expired": expired,
        "expire_s": t1 - t0,
        "elsewhere_claimed_s": t2 - t0,
        "plan_per_s": planned / (t3 - t2),
    }


async def run_baseline(path: Path) -> dict[str, float]:
    db, reminders = await open_service(path)
    try:
        t0 = time.perf_counter()
        expired = await old_expire(reminders, MIDNIGHT)
        t1 = time.perf_counter()
    finally:
        await db.close()
    return {"expired": expired, "expire_s": t1 - t0}


def fresh(template: Path, tmp: Path, name: str) -> Path:
    target = tmp / name
    src = sqlite3.connect(template)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="10,000 expiring instead of 100,000")
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    big = 10_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory(prefix="bench-day-end-") as tmp_name:
        tmp = Path(tmp_name)
        big_db, small_db = tmp / "big.sqlite3", tmp / "small.sqlite3"
        populate(big_db, big)
        populate(small_db, PLANNED_USERS)
        ours_big, ours_small, base_small = [], [], []
        for run in range(args.runs):  # interleaved, so machine load drifts into both
            base_small.append(asyncio.run(run_baseline(fresh(small_db, tmp, f"b{run}.sqlite3"))))
            ours_small.append(asyncio.run(run_ours(fresh(small_db, tmp, f"s{run}.sqlite3"))))
            ours_big.append(asyncio.run(run_ours(fresh(big_db, tmp, f"o{run}.sqlite3"))))
            for f in tmp.glob(f"[bso]{run}.sqlite3*"):
                f.unlink()

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    def rng(rows: list[dict[str, float]], key: str) -> str:
        return f"[{min(r[key] for r in rows):.3f}-{max(r[key] for r in rows):.3f}]"

    py, lite = platform.python_version(), sqlite3.sqlite_version
    print(f"machine: {platform.machine()}, Python {py}, SQLite {lite}")
    print(f"runs: {args.runs} (medians; min-max in brackets)")
    expire, claimed = med(ours_big, "expire_s"), med(ours_big, "elsewhere_claimed_s")
    print(
        f"ours, {big:,} expiring: expire {expire:.3f} s {rng(ours_big, 'expire_s')}; "
        f"{ELSEWHERE:,} due elsewhere claimed after {claimed:.3f} s "
        f"{rng(ours_big, 'elsewhere_claimed_s')}"
    )
    print(
        f"ours, {PLANNED_USERS:,} expiring: expire {med(ours_small, 'expire_s'):.4f} s; "
        f"planning afterwards {med(ours_small, 'plan_per_s'):,.0f} users/s"
    )
    base = med(base_small, "expire_s")
    print(
        f"baseline (one user at a time), {PLANNED_USERS:,} expiring: {base:.3f} s "
        f"{rng(base_small, 'expire_s')}"
    )
    ratio = base / med(ours_small, "expire_s")
    print(f"ratio at {PLANNED_USERS:,}: baseline / ours = {ratio:,.0f}x")
    per_user = base / PLANNED_USERS
    print(
        f"baseline per user {per_user * 1000:.2f} ms -> {big:,} would take ~{per_user * big:,.0f} s"
    )


if __name__ == "__main__":
    main()
