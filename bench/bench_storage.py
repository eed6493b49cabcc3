"""Storage: bytes per user for a typical user, and 50 concurrent loggers against a naive writer.

A) Bytes per user. N users (default 200) go through the real storage layer: set-up (answers,
   program, schedule, first session) with answers drawn from a few common profiles, then
   8 weeks of training twice a week (back check, a guided workout, every working set logged by
   a chat line with its source, next-time targets, the next session planned). The file is
   VACUUMed and measured with SQLite's dbstat (pages per table and index, so indexes count).
   Baseline in the same run: the same file with each program row holding its own plan JSON,
   as schema 8 stored it.

B) Concurrent loggers. 50 tasks each log L lines of 3 sets (`WorkoutRepo.log_outside`: the
   set-log write path with its source row and the daily-cap check, one unit of work each).
   Ours: `Database` (WAL, synchronous=NORMAL, group commit). Also ours with group commit off
   (max_group=1: every unit its own COMMIT). Naive baselines: one aiosqlite connection in
   autocommit mode, each set one `INSERT INTO set_logs` committed on its own, with SQLite's
   defaults (rollback journal 'delete', synchronous=FULL), and the same on a WAL file. Every
   confirmed line is checked to be in a second connection's view at the moment it is confirmed
   (every 10th, to keep the check cheap) and all of them at the end.

    .venv/bin/python -m bench.bench_storage [--users 200] [--runs 5] [--lines 20] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiosqlite

from bench.storage_size import START, Size, measure_size, size_report
from bot.domain.setlog import LoggedSet
from bot.domain.targets import SetAim
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.workouts import Source, WorkoutRepo

LOGGERS = 50


SET = LoggedSet(reps=5, weight_kg=100.0)
NAIVE_INSERT = """INSERT INTO set_logs (user_id, exercise_id, kind, reps, weight_kg, added,
                                       logged_at) VALUES (?, 'deadlift', 'working', 5, 100, 0, ?)"""


async def drive(path: Path, lines: int, log_line: Callable[[int, int], Awaitable[None]]) -> float:
    """LOGGERS tasks each log `lines` lines (a line is confirmed when `log_line` returns);
    seconds taken. Every 10th confirmed line is checked then, through another connection,
    which sees only what is committed."""
    checker = sqlite3.connect(path)

    async def logger(user: int) -> None:
        for i in range(lines):
            await log_line(user, i)  # the reply "logged" would be sent now
            if i % 10 == 0:
                sql = "SELECT COUNT(*) FROM set_logs WHERE user_id = ?"
                row = checker.execute(sql, (user,)).fetchone()
                assert row[0] >= 3 * (i + 1), "a confirmed line is committed"

    started = time.perf_counter()
    await asyncio.gather(*(logger(u) for u in range(1, LOGGERS + 1)))
    elapsed = time.perf_counter() - started
    checker.close()
    return elapsed


def all_stored(path: Path, lines: int) -> None:
    """Every confirmed set is in the file."""
    with sqlite3.connect(path) as checker:
        stored = checker.execute("SELECT COUNT(*) FROM set_logs").fetchone()[0]
    checker.close()
    assert stored == 3 * LOGGERS * lines, stored


# Per run of ours: (calls into SQLite per line, lines per COMMIT), by design name.
COSTS: dict[str, list[tuple[float, float]]] = {}


async def ours(path: Path, lines: int, group: bool) -> float:
    """Part B with our storage layer: seconds for every logger's lines (costs in COSTS)."""
    db = await Database.open(path)
    if not group:
        db.max_group = 1
    repo, workouts = Repo(db), WorkoutRepo(db)
    for user in range(1, LOGGERS + 1):
        await repo.upsert_user(user, user, "Lifter", START)

    async def log_line(user: int, i: int) -> None:
        message = user * 10_000 + i
        source = Source(message, user, message, "3x5 100", message)
        await workouts.log_outside(user, "deadlift", [SET] * 3, SetAim(), START, source)

    calls, commits = db.round_trips, db.commits
    elapsed = await drive(path, lines, log_line)
    total = LOGGERS * lines
    cost = ((db.round_trips - calls) / total, total / max(db.commits - commits, 1))
    COSTS.setdefault("ours (group commit)" if group else "ours, group commit off", []).append(cost)
    await db.close()
    all_stored(path, lines)
    return elapsed


async def naive(path: Path, lines: int, journal: str) -> float:
    """Part B, the naive writer: autocommit, one INSERT (and COMMIT) per set."""
    await (await Database.open(path)).close()  # the same schema
    conn = await aiosqlite.connect(path, isolation_level=None)
    await conn.execute(f"PRAGMA journal_mode={journal}")  # synchronous stays FULL (default)

    async def log_line(user: int, i: int) -> None:
        for _ in range(3):
            await conn.execute(NAIVE_INSERT, (user, START.isoformat()))

    elapsed = await drive(path, lines, log_line)
    await conn.close()
    all_stored(path, lines)
    return elapsed


async def measure_loggers(runs: int, lines: int, folder: Path) -> dict[str, list[float]]:
    """Part B: sets per second of each writer, interleaved run by run."""
    designs: dict[str, Callable[[Path], Awaitable[float]]] = {
        "naive, rollback journal (delete)": lambda p: naive(p, lines, "DELETE"),
        "naive, WAL": lambda p: naive(p, lines, "WAL"),
        "ours, group commit off (max_group=1)": lambda p: ours(p, lines, group=False),
        "ours (group commit)": lambda p: ours(p, lines, group=True),
    }
    rates: dict[str, list[float]] = {name: [] for name in designs}
    for run in range(runs):
        for i, (name, go) in enumerate(designs.items()):
            path = folder / f"loggers-{run}-{i}.sqlite3"
            rates[name].append(3 * LOGGERS * lines / await go(path))
    return rates


def report(size: Size | None, rates: dict[str, list[float]] | None) -> str:
    """The results as markdown."""
    out = [f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}", ""]
    if size is not None:
        out += size_report(size)
    if rates is not None:
        base = statistics.median(rates["naive, rollback journal (delete)"])
        runs = len(next(iter(rates.values())))
        out += [
            f"**B) {LOGGERS} concurrent loggers** (medians of {runs})",
            "",
            "| writer | sets/s (median, min-max) | / naive delete |",
            "|---|---|---|",
        ]
        for name, values in rates.items():
            median = statistics.median(values)
            out.append(
                f"| {name} | {median:,.0f} ({min(values):,.0f}-{max(values):,.0f}) |"
                f" {median / base:.1f}x |"
            )
        out += ["", "| ours | calls into SQLite per line | lines per COMMIT |", "|---|---|---|"]
        for name, costs in COSTS.items():
            per_line = statistics.median(c[0] for c in costs)
            per_commit = statistics.median(c[1] for c in costs)
            out.append(f"| {name} | {per_line:.2f} | {per_commit:.1f} |")
    return "\n".join(out)


async def main() -> None:
    """Run the parts asked for and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--lines", type=int, default=20, help="lines each logger sends")
    parser.add_argument("--quick", action="store_true", help="20 users, 2 runs, 5 lines")
    parser.add_argument("--only", choices=["size", "loggers"])
    parser.add_argument("--dir", help="where the files go (default: the system's temp folder)")
    args = parser.parse_args()
    if args.quick:
        args.users, args.runs, args.lines = 20, 2, 5
    # On a real disk, not a tmpfs, so a COMMIT costs what it costs in production.
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        size = await measure_size(args.users, Path(folder)) if args.only != "loggers" else None
        rates = (
            await measure_loggers(args.runs, args.lines, Path(folder))
            if args.only != "size"
            else None
        )
    print(report(size, rates))


if __name__ == "__main__":
    asyncio.run(main())
