"""Part A of bench_storage: bytes per user for a typical user, and its markdown report.

See bench/bench_storage.py for what is measured and how to run it.
"""

from __future__ import annotations

import random
import sqlite3
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

from bot.content import load_library
from bot.domain import workouts as wk
from bot.domain.calendar import Schedule
from bot.domain.models import Goal, Level, Library, Profile, SetKind
from bot.domain.programs import build_plan
from bot.domain.safety import BackFeeling
from bot.domain.setlog import LoggedSet
from bot.domain.targets import SetAim, Target
from bot.domain.workouts import WorkoutStatus
from bot.services.reminders import Reminders, ReminderSettings
from bot.storage.db import Database
from bot.storage.items import items_text
from bot.storage.repo import Repo
from bot.storage.safety import SafetyRepo
from bot.storage.schedules import ScheduleRepo
from bot.storage.workouts import NewSet, Source, WorkoutRepo

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
SCHEDULE = Schedule(weekdays=frozenset({0, 3}), time=dtime(18, 0), timezone="Europe/Berlin")
WEEKS = 8


def profiles() -> list[Profile]:
    """The common answers a typical user gives (healthy, full gym)."""
    return [
        Profile(goal=goal, level=level, pullups=n)
        for goal in (Goal.WIDTH, Goal.THICKNESS)
        for level, n in ((Level.BEGINNER, 2), (Level.INTERMEDIATE, 8), (Level.ADVANCED, 15))
    ]


async def typical_user(db: Database, library: Library, user_id: int, profile: Profile) -> int:
    """Set-up plus 8 weeks of logged training through the storage layer; sets logged."""
    repo, schedules, workouts = Repo(db), ScheduleRepo(db), WorkoutRepo(db)
    safety, reminders = SafetyRepo(db), Reminders(repo, schedules, ReminderSettings())
    plan = build_plan(profile, library)
    await repo.upsert_user(user_id, user_id, f"User {user_id}", START)
    await repo.set_timezone(user_id, SCHEDULE.timezone, START)
    saved = await reminders.finish_setup(user_id, START, (profile, plan), SCHEDULE)
    issued, session = saved.issued, saved.session
    assert issued is not None and session is not None
    logged, message = 0, 0
    while session is not None and session.due_at < START + timedelta(weeks=WEEKS):
        now = session.due_at + timedelta(minutes=10)
        await safety.add_back_check(user_id, session.on, BackFeeling.FINE, session.id, now)
        day = next(d for d in plan.days if d.kind is session.kind)
        workout = await workouts.create(
            user_id, issued.id, session.id, session.kind, session.on, wk.items_from_day(day), now
        )
        for index, item in enumerate(workout.items):
            working = sum(s.count for s in item.sets if s.kind is not SetKind.WARMUP)
            if not working:
                continue
            sets = [LoggedSet(reps=8, weight_kg=40.0) for _ in range(working)]
            message += 1
            now += timedelta(minutes=3)
            line = [NewSet(item.exercise_id, SetKind.WORKING, s, SetAim(8, 12, 40.0)) for s in sets]
            source = Source(message, user_id, message, f"{working}x8 40", int(now.timestamp()))
            workout = wk.record_sets(workout, working)
            await workouts.save(workout, now, line, source, index)
            await workouts.set_target(
                user_id,
                item.exercise_id,
                Target(42.5, 8, 12, 0, "All reps done: 2.5 kg more next time.", (8,) * working),
                now,
            )
            logged += working
        await workouts.save(workout.model_copy(update={"status": WorkoutStatus.FINISHED}), now)
        session = await reminders.start(user_id, session.id, now)
    return logged


def row_counts(path: Path) -> dict[str, int]:
    """Rows in every table of the file."""
    with sqlite3.connect(path) as raw:
        names = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {n: int(raw.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in names}
    raw.close()
    return out


def table_bytes(path: Path) -> dict[str, int]:
    """Bytes per table (its indexes added to it) after VACUUM, from dbstat."""
    with sqlite3.connect(path) as raw:
        raw.execute("VACUUM")
        owner = dict(raw.execute("SELECT name, tbl_name FROM sqlite_master WHERE type != 'view'"))
        out: dict[str, int] = {}
        for name, size in raw.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, "sqlite_master")
            out[table] = out.get(table, 0) + int(size)
    return out


@dataclass
class Size:
    """Part A's result: bytes per user, in total and per table (indexes included)."""

    users: int
    sets_per_user: float
    setup: dict[str, float]  # set-up only
    setup_schema8: dict[str, float]  # the same, each program row holding its plan
    full: dict[str, float]  # set-up and 8 weeks of training
    rows: dict[str, float]  # rows per user of each table after the 8 weeks
    workouts_schema10: float  # the workouts table with items compressed by zlib alone


def per_user(found: dict[str, int], empty: dict[str, int], users: int) -> dict[str, float]:
    """Bytes per user of each table, over what an empty database holds."""
    return {k: (v - empty.get(k, 0)) / users for k, v in found.items() if v > empty.get(k, 0)}


async def set_up(db: Database, library: Library, user_id: int, profile: Profile) -> None:
    """The set-up alone: answers, program, timezone, schedule, first session."""
    repo, schedules = Repo(db), ScheduleRepo(db)
    reminders = Reminders(repo, schedules, ReminderSettings())
    await repo.upsert_user(user_id, user_id, f"User {user_id}", START)
    await reminders.finish_setup(user_id, START, (profile, build_plan(profile, library)), SCHEDULE)


async def measure_size(users: int, folder: Path) -> Size:
    """Part A: bytes per user, ours and with schema 8's plan per program row."""
    library = load_library()
    await (await Database.open(folder / "empty.sqlite3")).close()
    empty = table_bytes(folder / "empty.sqlite3")
    common = profiles()
    rng = random.Random(13)
    db = await Database.open(folder / "full.sqlite3")
    sets = 0
    for user in range(1, users + 1):
        sets += await typical_user(db, library, user, rng.choice(common))
    await db.close()
    full = table_bytes(folder / "full.sqlite3")
    rows = {k: v / users for k, v in row_counts(folder / "full.sqlite3").items()}
    # Baseline for workouts: schema 10 compressed each row's items with zlib alone.
    with sqlite3.connect(folder / "full.sqlite3") as raw:
        raw.create_function("zlib_alone", 1, lambda b: zlib.compress(items_text(b).encode()))
        raw.execute("UPDATE workouts SET items = zlib_alone(items)")
    raw.close()
    workouts10 = (table_bytes(folder / "full.sqlite3")["workouts"] - empty["workouts"]) / users
    rng = random.Random(13)  # the same users, set up only
    db = await Database.open(folder / "setup.sqlite3")
    for user in range(1, users + 1):
        await set_up(db, library, user, rng.choice(common))
    await db.close()
    setup = table_bytes(folder / "setup.sqlite3")
    # Baseline: schema 8 kept the whole plan JSON in every program row.
    with sqlite3.connect(folder / "setup.sqlite3") as raw:
        raw.create_function("unpacked", 1, lambda b: zlib.decompress(b).decode())
        raw.execute(
            "UPDATE programs SET plan = (SELECT unpacked(body) FROM plans WHERE key = plan_key),"
            " plan_key = NULL"
        )
        raw.execute("DELETE FROM plans")
    raw.close()
    old = table_bytes(folder / "setup.sqlite3")
    return Size(
        users,
        sets / users,
        per_user(setup, empty, users),
        per_user(old, empty, users),
        per_user(full, empty, users),
        rows,
        workouts10,
    )


# (b) what the user's own training adds, per record: table -> what one row is.
PER_RECORD = {
    "set_logs": "logged set",
    "log_sources": "logged line (its source message)",
    "workouts": "workout",
    "back_checks": "back check (one per session)",
    "sessions": "planned session",
    "targets": "next-time target (one per exercise trained)",
}


def size_report(size: Size) -> list[str]:
    """Part A as markdown: (a) the footprint, (b) per record, (c) the 8-week total."""
    old, new, full = (sum(t.values()) for t in (size.setup_schema8, size.setup, size.full))
    out = [
        f"**A) bytes per user** ({size.users} users, {size.sets_per_user:.0f} sets each)",
        "",
        "(a) What a user stores by signing up and keeping a program (user, answers, program,"
        " its share of the stored plans, schedule, first planned session):",
        "",
        "| | schema 8 (plan in every program row) | ours | ours/schema 8 |",
        "|---|---|---|---|",
        f"| set-up only | {old:,.0f} B | **{new:,.0f} B** | {new / old:.3f} |",
        "",
        f"(b) What the user's own training adds (after {WEEKS} weeks; a table's indexes count):",
        "",
        "| record | rows per user | bytes per row | bytes per user |",
        "|---|---|---|---|",
    ]
    for table, what in PER_RECORD.items():
        rows, grown = size.rows.get(table, 0), size.full.get(table, 0) - size.setup.get(table, 0)
        per_row = f"{size.full.get(table, 0) / rows:,.0f} B" if rows else "-"
        out.append(f"| {what} | {rows:,.1f} | {per_row} | {grown:,.0f} B |")
    workouts = size.full.get("workouts", 0)
    out += [
        "",
        f"Workouts' items compressed by zlib alone (schema 10), same file: "
        f"{size.workouts_schema10:,.0f} B per user against {workouts:,.0f} B "
        f"({workouts / size.workouts_schema10:.2f}).",
        "",
        f"(c) Set-up + {WEEKS} weeks of training: **{full:,.0f} B** per user.",
        "",
        "| table (with its indexes) | set-up only | set-up + 8 weeks |",
        "|---|---|---|",
    ]
    for table in sorted(size.full, key=lambda t: -size.full[t]):
        out.append(f"| {table} | {size.setup.get(table, 0):,.0f} B | {size.full[table]:,.0f} B |")
    out.append("")
    return out
