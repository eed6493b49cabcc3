"""Reminders at scale: one time-slot job over SQLite against one APScheduler job per user.

Answers the design warning with numbers measured side by side on the same machine:

A) burst: N reminders due in the same second (25,000; --quick 2,500).
   Baseline: PTB's JobQueue with one ``run_once`` job per user, all due at the same moment,
   default misfire_grace_time (1 s); each job renders the same reminder and sends it with
   ``bot.send_message`` through PTB's AIORateLimiter (defaults, 30/s), as a per-user bot
   would. APScheduler decides at each job's start whether it is too late, so the run stops
   once every job has started or been skipped (see burst_baseline). The same at 1/10, 1/5
   and 2/5 of N, once each, shows where losses begin.
   Ours: the real app (build_application + running) on a SQLite file with N sessions due at
   the same second; one ``ReminderRunner.tick()`` claims, renders, sends and records them all.
   The bot's pace is raised to 5000/s so the pipeline is measured, not Telegram's ceiling;
   the wall time at the production pace (Limits.per_second) is computed, and a short run at
   the real pace against the stand-in's real flood limits checks that projection.
B) restore: start-up with N users' schedules (100,000; --quick 10,000).
   Baseline: a per-user design's start-up: read every schedule and register one
   ``run_daily`` job per user. Ours: the app's post_init (Database.open + recover + ONE job).
   Each start-up runs in a fresh child process so its RSS is its own.

The Bot API stand-in always runs in a child process, so its work neither competes with the
bot's event loop (as Telegram's would not) nor counts in the bot's memory.

    .venv/bin/python -m bench.bench_reminders [--quick] [--markdown] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import platform
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import MB, GcPauses, progress, steal_s
from bench.reminders_baseline import TIMEOUT, burst_baseline
from bench.reminders_db import DUE, START, fresh_copy, populate, session_statuses, the_plan
from bench.reminders_report import FAST, render
from bench.reminders_restore import restore_child, run_restore_child
from bench.standin_process import StandInProcess, Urls
from bot.app import Connection, build_application, running
from bot.clock import FakeClock
from bot.content import load_library
from bot.domain.models import Library
from bot.services.reminders import ReminderSettings
from bot.tg.ratelimit import Limits
from standin import DEFAULT_TOKEN

# --- ours: the real app, one tick ---------------------------------------------------------


async def burst_ours(
    n: int, template: Path, library: Library, limits: Limits, flood: str = "disabled"
) -> dict[str, Any]:
    """The real app on a fresh copy of the burst database; one runner.tick() at the due second."""
    db = fresh_copy(template, template.with_name("run.sqlite3"))
    clock = FakeClock(START)
    settings = ReminderSettings(tick_seconds=86_400.0)  # the job's own tick only at start-up
    async with StandInProcess(flood) as standin:
        conn = Connection(DEFAULT_TOKEN, standin.urls.base, standin.urls.file, timeout=TIMEOUT,
                          limits=limits)  # fmt: skip
        app = build_application(conn, library, db, clock=clock, reminders=settings)
        async with running(app):
            await asyncio.sleep(0.5)  # the start-up tick (at START: nothing due) is over
            clock.now = DUE
            steal0, t0 = steal_s(), time.perf_counter()
            with GcPauses() as pauses:
                sent = await app.bot_data.runner.tick()
            wall = time.perf_counter() - t0
            steal = steal_s() - steal0
        stats = await standin.stats()
    statuses = await session_statuses(db)
    return {
        "n": n, "sent": sent, "delivered": stats["sent"], "duplicates": stats["duplicates"],
        "lost": n - stats["sent"], "lost_pct": 100.0 * (n - stats["sent"]) / n,
        "statuses": statuses, "all_reminded": statuses == {"reminded": n},
        "wall_s": wall, "per_s": stats["sent"] / wall, "flood_429": stats["flood_429"],
        "max_in_1s": stats["max_in_1s"], "batch": settings.batch, "steal_s": steal,
        **pauses.summary(),
    }  # fmt: skip


# --- the driver ---------------------------------------------------------------------------


@dataclass
class Config:
    """What to run: sizes and repetitions."""

    burst: int
    restore: int
    runs: int  # baseline burst runs
    our_runs: int  # our burst runs (the slow part: every reminder is really sent)
    restore_runs: int
    trace_runs: int
    pace: int
    sweep: list[int]
    limiter: str


async def bench(cfg: Config) -> dict[str, Any]:
    """Build the databases, run every measurement interleaved, return the raw results."""
    library = load_library()
    plan = the_plan(library)
    out: dict[str, Any] = {"machine": machine(), "config": cfg.__dict__}
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        burst_db, restore_db, pace_db = (Path(tmp) / f"{k}.sqlite3" for k in
                                         ("burst", "restore", "pace"))  # fmt: skip
        out["populate_s"] = {"burst": await populate(burst_db, cfg.burst, plan, burst=True)}
        out["db_mb"] = {"burst": burst_db.stat().st_size / MB}
        os.sync()  # no write-back of the new file during the measurements
        progress(f"burst database ready in {out['populate_s']['burst']:.0f} s")

        base_runs: list[dict[str, Any]] = []
        our_runs: list[dict[str, Any]] = []
        for i in range(max(cfg.runs, cfg.our_runs)):  # interleaved: drift hits both alike
            if i < cfg.runs:
                gc.collect()
                base_runs.append(await burst_baseline(cfg.burst, plan, cfg.limiter))
                progress(f"burst baseline {i + 1}: {_brief(base_runs[-1])}")
            if i < cfg.our_runs:
                gc.collect()
                our_runs.append(await burst_ours(cfg.burst, burst_db, library, FAST))
                progress(f"burst ours {i + 1}: {_brief(our_runs[-1])}")
        sweep = []
        for size in cfg.sweep:
            gc.collect()
            sweep.append(await burst_baseline(size, plan, cfg.limiter))
            progress(f"burst baseline at {size:,}: {_brief(sweep[-1])}")
        out["burst"] = {"n": cfg.burst, "baseline": base_runs, "ours": our_runs, "sweep": sweep,
                        "production_per_s": Limits().per_second}  # fmt: skip

        if cfg.pace:
            await populate(pace_db, cfg.pace, plan, burst=True)
            out["pace"] = await burst_ours(cfg.pace, pace_db, library, Limits(), flood="real")
            progress(f"pace check: {_brief(out['pace'])}")

        out["populate_s"]["restore"] = await populate(restore_db, cfg.restore, plan, burst=False)
        out["db_mb"]["restore"] = restore_db.stat().st_size / MB
        os.sync()
        progress(f"restore database ready in {out['populate_s']['restore']:.0f} s")
        restore: dict[str, list[dict[str, Any]]] = {
            "baseline": [],
            "ours": [],
            "baseline_trace": [],
            "ours_trace": [],
        }
        async with StandInProcess() as standin:
            for i in range(max(cfg.restore_runs, cfg.trace_runs)):
                for variant in ("baseline", "ours"):
                    if i < cfg.restore_runs:
                        r = await run_restore_child(variant, restore_db, standin.urls, False)
                        restore[variant].append(r)
                        progress(f"restore {variant} {i + 1}: {_brief(r)}")
                    if i < cfg.trace_runs:
                        r = await run_restore_child(variant, restore_db, standin.urls, True)
                        restore[variant + "_trace"].append(r)
                        progress(f"restore {variant} traced {i + 1}: {_brief(r)}")
        out["restore"] = {"n": cfg.restore, **restore}
    return out


def _brief(r: dict[str, Any]) -> str:
    keys = (
        "started",
        "delivered",
        "missed",
        "errors",
        "lost_pct",
        "decided_s",
        "wall_s",
        "per_s",
        "startup_s",
        "jobs",
        "rss_delta_mb",
        "hwm_delta_mb",
        "traced_peak_mb",
        "flood_429",
        "max_in_1s",
        "handout_s",
        "pass_start_s",
        "pass_duration_s",
        "min_missed_lateness_s",
        "steal_s",
        "gc_max_s",
    )
    return ", ".join(f"{k}={r[k]:.2f}" if isinstance(r[k], float) else f"{k}={r[k]}"
                     for k in keys if r.get(k) is not None)  # fmt: skip


def machine() -> dict[str, Any]:
    """The machine and library versions, for the report."""
    import telegram

    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")),
                       "")  # fmt: skip
    except OSError:
        pass
    import apscheduler

    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "ptb": telegram.__version__, "apscheduler": apscheduler.__version__,
            "sqlite": sqlite3.sqlite_version, "platform": platform.platform()}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    """Parse the options, run the bench (or one child's part of it), print the tables."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="2,500 burst / 10,000 restore")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    p.add_argument("--json", type=Path, help="also write the raw results here")
    p.add_argument("--from-json", type=Path, help="only print the tables of earlier results")
    p.add_argument("--runs", type=int, default=3, help="baseline burst runs (default 3)")
    p.add_argument("--our-runs", type=int, help="our burst runs (default 2; 3 with --quick)")
    p.add_argument(
        "--restore-runs", type=int, help="start-up runs of each design (default 2; 3 with --quick)"
    )
    p.add_argument(
        "--no-sweep",
        action="store_true",
        help="skip the baseline at 1/10, 1/5 and 2/5 of the burst size",
    )
    p.add_argument(
        "--baseline-limiter",
        choices=("aio", "none"),
        default="aio",
        help="the per-user baseline's rate limiter (default: PTB's AIORateLimiter)",
    )
    p.add_argument("--trace-runs", type=int, default=1, help="start-up runs under tracemalloc")
    p.add_argument("--burst", type=int, help="override the burst size")
    p.add_argument("--restore", type=int, help="override the number of users at start-up")
    p.add_argument("--pace", type=int, default=280, help="pace-check size (0: skip)")
    p.add_argument("--child", choices=("restore",), help=argparse.SUPPRESS)
    p.add_argument("--variant", help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--base-url", help=argparse.SUPPRESS)
    p.add_argument("--file-url", help=argparse.SUPPRESS)
    p.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if a.child == "restore":
        result = asyncio.run(restore_child(a.variant, a.db, Urls(a.base_url, a.file_url),
                                           a.trace))  # fmt: skip
        print(json.dumps(result), flush=True)
        return
    if a.from_json:
        print(render(json.loads(a.from_json.read_text()), a.markdown))
        return
    n_burst = a.burst or (2_500 if a.quick else 25_000)
    cfg = Config(
        burst=n_burst,
        restore=a.restore or (10_000 if a.quick else 100_000),
        runs=a.runs,
        our_runs=a.our_runs or (3 if a.quick else 2),
        restore_runs=a.restore_runs or (3 if a.quick else 2),
        trace_runs=a.trace_runs,
        pace=a.pace,
        sweep=[] if a.no_sweep else sorted({n_burst // 10, n_burst // 5, n_burst * 2 // 5}),
        limiter=a.baseline_limiter,
    )
    t0 = time.perf_counter()
    res = asyncio.run(bench(cfg))
    res["total_s"] = time.perf_counter() - t0
    if a.json:
        a.json.write_text(json.dumps(res, indent=1, default=str))
    print(render(res, a.markdown))
    print(f"\ntotal {res['total_s']:.0f} s")


if __name__ == "__main__":
    main()
