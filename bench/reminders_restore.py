"""The reminder benchmark's start-up measurement, each start-up in a fresh child process.

Baseline: a per-user design's post_init (read every schedule, one ``run_daily`` job per user).
Ours: the app's own post_init (Database.open, recover, one job). Time, RSS, peak RSS and,
with --trace, the tracemalloc peak.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import time
import tracemalloc
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram.ext import CallbackContext

from bench.measure import MB, hwm_mb, reset_hwm, rss_mb, steal_s
from bench.reminders_baseline import TIMEOUT, AnyApp, baseline_app
from bench.reminders_db import START
from bench.standin_process import ROOT, Urls
from bot.app import Connection, build_application, running
from bot.clock import FakeClock
from bot.content import load_library
from bot.domain import calendar
from bot.domain.calendar import Schedule
from bot.tg.commands import menu
from bot.tg.reminders import JOB_NAME
from standin import DEFAULT_TOKEN


async def restore_child(variant: str, db: Path, urls: Urls, trace: bool) -> dict[str, Any]:
    """Child: start the app on db (ours or per-user jobs) and measure time and memory."""
    library = load_library()
    phases: dict[str, float] = {}

    async def per_user_post_init(app: AnyApp) -> None:
        from bot.storage.db import Database  # what our post_init opens, too

        jq = app.job_queue
        assert jq is not None
        db_handle = await Database.open(db)
        app.bot_data["db"] = db_handle
        t = time.perf_counter()
        rows = await db_handle.all(
            "SELECT c.user_id, u.chat_id, c.schedule FROM schedules c "
            "JOIN users u ON u.id = c.user_id WHERE c.paused IS NULL"
        )
        phases["read_s"] = time.perf_counter() - t
        t = time.perf_counter()
        for row in rows:
            schedule = Schedule.model_validate_json(row["schedule"])
            at = schedule.time.replace(tzinfo=calendar.zone_info(schedule.timezone))
            days = tuple(sorted((d + 1) % 7 for d in schedule.weekdays))  # PTB: 0 = Sunday
            jq.run_daily(remind_one, at, days=days, name=f"reminder:{row['user_id']}",
                         chat_id=row["chat_id"], user_id=row["user_id"],
                         data=row["user_id"])  # fmt: skip
        phases["register_s"] = time.perf_counter() - t
        await app.bot.set_my_commands(menu())

    async def remind_one(context: CallbackContext[Any, Any, Any, Any]) -> None:
        """Never reached within the measurement."""

    async def close_db(app: AnyApp) -> None:
        await app.bot_data["db"].close()

    gc.collect()
    if trace:
        tracemalloc.start()
    hwm_ok = reset_hwm()
    rss0 = rss_mb()
    steal0, t0 = steal_s(), time.perf_counter()
    app: AnyApp
    if variant == "ours":
        conn = Connection(DEFAULT_TOKEN, urls.base, urls.file, timeout=TIMEOUT)
        # A minute before the first session is due: the start-up tick finds nothing to send.
        clock = FakeClock(START - timedelta(minutes=1))
        app = build_application(conn, library, db, clock=clock)
    else:
        app = baseline_app(urls, per_user_post_init)
        app.post_shutdown = close_db
    inner = app.post_init
    assert inner is not None

    async def timed_post_init(a: AnyApp) -> None:
        t = time.perf_counter()
        await inner(a)
        phases["post_init_s"] = time.perf_counter() - t

    app.post_init = timed_post_init
    async with running(app):
        startup = time.perf_counter() - t0
        steal = steal_s() - steal0
        if trace:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        rss1, hwm1 = rss_mb(), hwm_mb()
        assert app.job_queue is not None
        jobs = app.job_queue.scheduler.get_jobs()
        names = Counter(j.name for j in jobs)
    result = {
        "variant": variant, "startup_s": startup, **phases, "jobs": len(jobs), "steal_s": steal,
        "reminder_jobs": names.get(JOB_NAME, 0), "rss_before_mb": rss0,
        "rss_delta_mb": rss1 - rss0, "hwm_delta_mb": (hwm1 - rss0) if hwm_ok else None,
    }  # fmt: skip
    if trace:
        result |= {"traced_peak_mb": peak / MB, "traced_current_mb": current / MB}
    return result


async def run_restore_child(variant: str, db: Path, urls: Urls, trace: bool) -> dict[str, Any]:
    """One start-up in a fresh child process; its measurements."""
    args = [sys.executable, "-m", "bench.bench_reminders", "--child", "restore",
            "--variant", variant, "--db", str(db), "--base-url", urls.base,
            "--file-url", urls.file]  # fmt: skip
    if trace:
        args.append("--trace")
    proc = await asyncio.create_subprocess_exec(*args, cwd=ROOT, stdout=asyncio.subprocess.PIPE)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 600)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"restore child {variant} failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result
