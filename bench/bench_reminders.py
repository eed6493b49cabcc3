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
import itertools
import json
import logging
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.events import EVENT_JOB_SUBMITTED
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackContext,
    Defaults,
)
from telegram.warnings import PTBUserWarning

from bot.app import Connection, build_application, running
from bot.clock import FakeClock
from bot.content import load_library
from bot.domain import calendar
from bot.domain.calendar import Progress, Schedule
from bot.domain.models import DayKind, Goal, Level, Library, Plan, Profile
from bot.domain.programs import build_plan
from bot.domain.sessions import Session, SessionStatus
from bot.services.reminders import ReminderSettings
from bot.storage.migrations import MIGRATIONS
from bot.tg import schedule_views
from bot.tg.commands import menu
from bot.tg.ratelimit import Limits
from bot.tg.reminders import JOB_NAME
from standin import DEFAULT_TOKEN, FloodLimits, StandIn

ROOT = Path(__file__).resolve().parent.parent
START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday; the bot's clock at start-up
DUE = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 18:00 in Berlin: the burst's second
BURST_TZ = "Europe/Berlin"
FAST = Limits(per_second=5000.0, per_chat_per_second=100.0, per_chat_burst=100)
TIMEOUT = 10.0  # the bot's HTTP timeouts, as in production
FIRST_UID = 1_000_000
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles",
         "Asia/Tokyo", "Australia/Sydney", "Asia/Kolkata", "UTC")  # fmt: skip
MB = 1024 * 1024
SETTLE = 3.0  # seconds the paced baseline is watched sending after every job started

log = logging.getLogger("bench")


# --- small helpers ----------------------------------------------------------------------


def _proc_kb(field_name: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    return 0


def rss_mb() -> float:
    """Resident set size now."""
    return _proc_kb("VmRSS") / 1024


def hwm_mb() -> float:
    """Peak resident set size (since start or the last reset_hwm)."""
    return _proc_kb("VmHWM") / 1024


def reset_hwm() -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def steal_s() -> float:
    """CPU time the hypervisor gave to others so far, all cores (noise indicator)."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class GcPauses:
    """Collects the garbage collector's pauses while active (``with GcPauses() as g``)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._t = 0.0

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._t = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._t)

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> dict[str, float]:
        return {"gc_total_s": sum(self.pauses), "gc_max_s": max(self.pauses, default=0.0)}


async def finish_leftovers() -> int:
    """Cancel and await tasks a run left behind (the baseline's shielded job tasks)."""
    me = asyncio.current_task()
    left = [t for t in asyncio.all_tasks() if t is not me and not t.done()]
    for t in left:
        t.cancel()
    await asyncio.gather(*left, return_exceptions=True)
    return len(left)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    if len(values) < 2:
        return ""
    return f" ({fmt.format(min(values))}-{fmt.format(max(values))})"


@dataclass(frozen=True)
class Urls:
    """Where the stand-in listens."""

    base: str
    file: str


# --- the stand-in, in a child process ---------------------------------------------------


class StandInProcess:
    """A StandIn in a child process; ``stats()`` asks it what it received."""

    def __init__(self, limits: str = "disabled") -> None:
        self.limits = limits
        self.proc: asyncio.subprocess.Process | None = None
        self.urls = Urls("", "")

    async def __aenter__(self) -> StandInProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.bench_reminders", "--child", "standin",
            "--limits", self.limits, cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            first = await asyncio.wait_for(self._line(), 30)
        except BaseException:
            await self._stop()
            raise
        self.urls = Urls(first["base_url"], first["base_file_url"])
        return self

    async def _line(self) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        raw = await self.proc.stdout.readline()
        if not raw:
            raise RuntimeError("the stand-in process exited")
        result: dict[str, Any] = json.loads(raw)
        return result

    async def stats(self) -> dict[str, Any]:
        """What the stand-in has received so far (see _summary)."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(b"stats\n")
        await self.proc.stdin.drain()
        return await asyncio.wait_for(self._line(), 60)

    async def _stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        self.proc = None
        try:
            if proc.stdin is not None and not proc.stdin.is_closing():
                proc.stdin.write(b"quit\n")
                proc.stdin.close()
            await asyncio.wait_for(proc.wait(), 15)
        except (TimeoutError, OSError):
            proc.kill()
            await proc.wait()

    async def __aexit__(self, *exc: object) -> None:
        await self._stop()


def _summary(s: StandIn) -> dict[str, Any]:
    sent = s.sent_log
    times = sorted(t for t, _, _ in sent)
    per_chat = Counter(chat for _, chat, _ in sent)
    max_1s, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - 1.0:
            lo += 1
        max_1s = max(max_1s, hi - lo + 1)
    return {
        "sent": len(sent),
        "chats": len(per_chat),
        "duplicates": sum(n - 1 for n in per_chat.values()),
        "flood_429": s.flood_429_count,
        "first": times[0] if times else None,
        "last": times[-1] if times else None,
        "max_in_1s": max_1s,
        "requests": s.stats()["requests"],
    }


async def serve_standin(limits: str) -> None:
    """Child: run a stand-in; answer 'stats' lines on stdin; stop on 'quit' or end of input."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    flood = FloodLimits.disabled() if limits == "disabled" else FloodLimits()
    try:
        async with StandIn(limits=flood) as s:
            print(json.dumps({"base_url": s.base_url, "base_file_url": s.base_file_url}),
                  flush=True)  # fmt: skip
            while line := (await reader.readline()).decode().strip():
                if line == "stats":
                    print(json.dumps(_summary(s)), flush=True)
                elif line == "quit":
                    break
    finally:
        transport.close()


# --- databases built with plain SQL -----------------------------------------------------


def the_plan(library: Library) -> Plan:
    return build_plan(Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10), library)


def _restore_schedules() -> Iterator[Schedule]:
    """Varied but valid schedules: weekday pairs x 64 quarter-hours x 8 zones."""
    pairs = [frozenset(c) for c in itertools.combinations(range(7), 2)
             if calendar.fits_two_a_week(frozenset(c))]  # fmt: skip
    times = [dtime(6 + q // 4, 15 * (q % 4)) for q in range(64)]
    for i in itertools.count():
        yield Schedule(weekdays=pairs[i % len(pairs)], time=times[(i // 7) % 64],
                       timezone=ZONES[(i // 448) % len(ZONES)])  # fmt: skip


def populate(path: Path, n: int, plan: Plan, *, burst: bool) -> float:
    """Write n users with a program, a schedule and one planned session; return seconds.

    The schema is the app's own (MIGRATIONS), so Database.open finds nothing to migrate.
    burst: everybody Mon+Thu 18:00 Berlin, all sessions due at DUE. Otherwise schedules vary
    and each session is the one calendar.next_session plans from START.
    """
    t0 = time.perf_counter()
    created = START.isoformat()
    profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10).model_dump_json()
    plan_json, outcome = plan.model_dump_json(), plan.outcome.value
    progress = Progress().model_dump_json()
    gen = _restore_schedules()
    planned: dict[str, tuple[str, str, int, int, str]] = {}

    def rows() -> Iterator[tuple[int, str, tuple[str, str, int, int]]]:
        for i in range(n):
            schedule = (
                Schedule(weekdays=frozenset({0, 3}), time=dtime(18, 0), timezone=BURST_TZ)
                if burst
                else next(gen)
            )
            key = schedule.model_dump_json()
            if key not in planned:
                nxt = calendar.next_session(schedule, Progress(), START)
                expires = calendar.local_day_end(nxt.on, schedule.timezone)
                due_ts, exp_ts = int(nxt.due_utc.timestamp()), int(expires.timestamp())
                planned[key] = (nxt.kind.value, nxt.on.isoformat(), due_ts, exp_ts, key)
            kind, on, due, exp, sched = planned[key]
            if burst:
                due = int(DUE.timestamp())
            yield i + 1, sched, (kind, on, due, exp)

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript("".join(m.rstrip().rstrip(";") + ";\n" for m in MIGRATIONS))
        conn.execute(f"PRAGMA user_version={len(MIGRATIONS)}")
        conn.execute("BEGIN")
        data = list(rows())
        uid = FIRST_UID
        conn.executemany(
            "INSERT INTO users (id, chat_id, first_name, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            ((uid + i, uid + i, f"U{uid + i}", created, created) for i, _, _ in data),
        )
        conn.executemany(
            "INSERT INTO profiles (id, user_id, answers, created_at) VALUES (?, ?, ?, ?)",
            ((i, uid + i, profile, created) for i, _, _ in data),
        )
        conn.executemany(
            "INSERT INTO programs (id, user_id, version, profile_id, outcome, plan, created_at) "
            "VALUES (?, ?, 1, ?, ?, ?, ?)",
            ((i, uid + i, i, outcome, plan_json, created) for i, _, _ in data),
        )
        conn.executemany(
            "INSERT INTO schedules (user_id, schedule, progress, paused, updated_at) "
            "VALUES (?, ?, ?, NULL, ?)",
            ((uid + i, sched, progress, created) for i, sched, _ in data),
        )
        conn.executemany(
            "INSERT INTO sessions (id, user_id, program_id, kind, local_date, due_ts, "
            "expires_ts, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?)",
            ((i, uid + i, i, *s, created) for i, _, s in data),
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")
    finally:
        conn.close()
    return time.perf_counter() - t0


def reset_sessions(path: Path) -> None:
    """Put every session back to planned (after a burst run)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("UPDATE sessions SET status = 'planned', reminded_at = NULL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def session_statuses(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT status, COUNT(*) FROM sessions GROUP BY status").fetchall()
    finally:
        conn.close()
    return {str(s): int(c) for s, c in rows}


# --- the baseline: PTB's JobQueue with one job per user ---------------------------------

AnyApp = Application[Any, Any, Any, Any, Any, Any]


PostInit = Callable[[AnyApp], Awaitable[None]]


def baseline_app(urls: Urls, post_init: PostInit | None = None, limiter: str = "none") -> AnyApp:
    """An Application configured like ours (HTML defaults, same timeouts).

    limiter "aio": PTB's AIORateLimiter with its defaults; "none": no rate limiter.
    """
    builder = (
        ApplicationBuilder()
        .token(DEFAULT_TOKEN)
        .base_url(urls.base)
        .base_file_url(urls.file)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .connect_timeout(TIMEOUT)
        .read_timeout(TIMEOUT)
        .write_timeout(TIMEOUT)
        .pool_timeout(TIMEOUT)
        .get_updates_connect_timeout(TIMEOUT)
        .get_updates_pool_timeout(TIMEOUT)
    )
    if post_init is not None:
        builder = builder.post_init(post_init)
    if limiter == "aio":
        builder = builder.rate_limiter(AIORateLimiter())
    app: AnyApp = builder.build()
    return app


class MissedCounter(logging.Handler):
    """Counts APScheduler's 'Run time of job ... was missed by' warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.missed = 0
        self.lateness: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "was missed by" in record.msg:
            self.missed += 1
            late = record.args[-1] if isinstance(record.args, tuple) else None
            if isinstance(late, timedelta):
                self.lateness.append(late.total_seconds())


def burst_sessions(n: int) -> list[Session]:
    on = DUE.astimezone(ZoneInfo(BURST_TZ)).date()
    expires = calendar.local_day_end(on, BURST_TZ)
    return [Session(id=i + 1, user_id=FIRST_UID + i + 1, chat_id=FIRST_UID + i + 1,
                    program_id=i + 1, kind=DayKind.UPPER, on=on, due_at=DUE, expires_at=expires,
                    status=SessionStatus.PLANNED) for i in range(n)]  # fmt: skip


async def burst_baseline(n: int, plan: Plan, limiter: str = "aio") -> dict[str, Any]:
    """n run_once jobs due at the same moment; count what ran and what APScheduler skipped.

    limiter "aio": PTB's AIORateLimiter with its defaults (30/s overall), as a per-user bot
    would run. Which jobs are skipped is decided when each job's task starts (APScheduler
    compares its start with the due time), so once every job has started or been skipped the
    outcome is known; the run then watches delivery for SETTLE seconds and stops, and the
    started jobs' remaining sends (paced at 30/s) are cancelled, not counted as lost.
    limiter "none": no rate limiter; the run waits until every send finished or failed.
    """
    with warnings.catch_warnings():
        # Sends cancelled at the end report their errors after the app stopped; expected.
        warnings.filterwarnings("ignore", message="Tasks created via", category=PTBUserWarning)
        return await _burst_baseline(n, plan, limiter)


async def _burst_baseline(n: int, plan: Plan, limiter: str) -> dict[str, Any]:
    sessions = burst_sessions(n)
    count = {"started": 0, "ran": 0, "errors": 0}
    error_types: Counter[str] = Counter()
    start_lateness: list[float] = []
    handed_out: list[float] = []  # when APScheduler's submission events fired (end of hand-out)
    when = datetime.now(UTC)

    passes: list[tuple[float, float]] = []  # (start after due, duration) of the due pass

    def timed_pass(inner: Callable[[], float | None]) -> Callable[[], float | None]:
        """Wrap APScheduler's _process_jobs to see when the due pass ran and how long it took."""

        def run() -> float | None:
            t = datetime.now(UTC)
            result = inner()
            if t >= when and not passes:
                passes.append(((t - when).total_seconds(),
                               (datetime.now(UTC) - t).total_seconds()))  # fmt: skip
            return result

        return run

    def on_submitted(event: object) -> None:
        if not handed_out:
            handed_out.append((datetime.now(UTC) - when).total_seconds())

    handler = MissedCounter()
    exec_log = logging.getLogger("apscheduler.executors.default")
    exec_log.addHandler(handler)
    exec_log.propagate = False

    async def reminder(context: CallbackContext[Any, Any, Any, Any]) -> None:
        assert context.job is not None
        count["started"] += 1
        start_lateness.append((datetime.now(UTC) - when).total_seconds())
        session: Session = context.job.data
        view = schedule_views.reminder_view(session, plan, BURST_TZ)
        await context.bot.send_message(session.chat_id, view.text, reply_markup=view.keyboard)
        count["ran"] += 1

    async def on_error(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
        count["errors"] += 1
        error_types[type(context.error).__name__] += 1

    def settled() -> bool:
        if limiter == "aio":
            return count["started"] + handler.missed >= n
        return count["ran"] + count["errors"] + handler.missed >= n

    lead = 2.0 + n * 0.0003  # time to register the jobs before they come due
    try:
        for _attempt in range(3):
            handler.missed, handler.lateness = 0, []
            count.update(started=0, ran=0, errors=0)
            error_types.clear()
            start_lateness.clear()
            handed_out.clear()
            passes.clear()
            async with StandInProcess() as standin:
                app = baseline_app(standin.urls, limiter=limiter)
                app.add_error_handler(on_error)
                async with running(app):
                    jq = app.job_queue
                    assert jq is not None
                    jq.scheduler.add_listener(on_submitted, EVENT_JOB_SUBMITTED)
                    sched: Any = jq.scheduler  # diagnostics only: time the due pass
                    sched._process_jobs = timed_pass(sched._process_jobs)
                    t_add = time.perf_counter()
                    when = datetime.now(UTC) + timedelta(seconds=lead)
                    for s in sessions:
                        jq.run_once(reminder, when, data=s, name=f"reminder:{s.user_id}",
                                    chat_id=s.chat_id, user_id=s.user_id)  # fmt: skip
                    add_s = time.perf_counter() - t_add
                    slack = (when - datetime.now(UTC)).total_seconds()
                    if slack < 0.3:
                        lead *= 2
                        log.warning("registering took %.1f s; retrying with a longer lead",
                                    add_s)  # fmt: skip
                        continue
                    await asyncio.sleep(slack)
                    steal0 = steal_s()
                    due_wall = when.timestamp()
                    deadline = time.monotonic() + 600
                    with GcPauses() as pauses:
                        while not settled():
                            if time.monotonic() > deadline:
                                log.warning("baseline burst: gave up waiting for jobs to settle")
                                break
                            await asyncio.sleep(0.02)
                    decided = time.time() - due_wall
                    if limiter == "aio":
                        await asyncio.sleep(SETTLE)
                    errors = dict(error_types)
                    wall = time.time() - due_wall
                    steal = steal_s() - steal0
                    with warnings.catch_warnings():
                        # Cancelled sends report errors after the app stopped; expected here.
                        warnings.simplefilter("ignore")
                        await jq.stop(wait=False)  # cancels the sends still waiting their turn
                        await asyncio.sleep(0.1)
                stats = await standin.stats()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                leftovers = await finish_leftovers()
            lost = handler.missed + sum(errors.values())
            return {
                "n": n, "limiter": limiter, "started": count["started"], "ran": count["ran"],
                "missed": handler.missed, "errors": sum(errors.values()), "error_types": errors,
                "lost": lost, "lost_pct": 100.0 * lost / n,
                "delivered": stats["sent"], "duplicates": stats["duplicates"],
                "decided_s": decided, "wall_s": wall, "register_s": add_s, "slack_s": slack,
                "max_missed_lateness_s": max(handler.lateness, default=None),
                "min_missed_lateness_s": min(handler.lateness, default=None),
                "max_start_lateness_s": max(start_lateness, default=None),
                "handout_s": handed_out[0] if handed_out else None,
                "pass_start_s": passes[0][0] if passes else None,
                "pass_duration_s": passes[0][1] if passes else None,
                "steal_s": steal, "leftover_tasks": leftovers, **pauses.summary(),
                "max_in_1s": stats["max_in_1s"],
            }  # fmt: skip
        raise RuntimeError("could not register the baseline jobs before they came due")
    finally:
        exec_log.removeHandler(handler)
        exec_log.propagate = True


# --- ours: the real app, one tick ---------------------------------------------------------


async def burst_ours(
    n: int, db: Path, library: Library, limits: Limits, flood: str = "disabled"
) -> dict[str, Any]:
    """The real app on the burst database; one runner.tick() at the due second."""
    reset_sessions(db)
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
    statuses = session_statuses(db)
    return {
        "n": n, "sent": sent, "delivered": stats["sent"], "duplicates": stats["duplicates"],
        "lost": n - stats["sent"], "lost_pct": 100.0 * (n - stats["sent"]) / n,
        "statuses": statuses, "all_reminded": statuses == {"reminded": n},
        "wall_s": wall, "per_s": stats["sent"] / wall, "flood_429": stats["flood_429"],
        "max_in_1s": stats["max_in_1s"], "batch": settings.batch, "steal_s": steal,
        **pauses.summary(),
    }  # fmt: skip


# --- restore: start-up, each in a fresh child process -----------------------------------


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
        app = build_application(conn, library, db, clock=clock)  # type: ignore[assignment]
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


# --- the driver ---------------------------------------------------------------------------


@dataclass
class Config:
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
    library = load_library()
    plan = the_plan(library)
    out: dict[str, Any] = {"machine": machine(), "config": cfg.__dict__}
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        burst_db, restore_db, pace_db = (Path(tmp) / f"{k}.sqlite3" for k in
                                         ("burst", "restore", "pace"))  # fmt: skip
        out["populate_s"] = {"burst": populate(burst_db, cfg.burst, plan, burst=True)}
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
            populate(pace_db, cfg.pace, plan, burst=True)
            out["pace"] = await burst_ours(cfg.pace, pace_db, library, Limits(), flood="real")
            progress(f"pace check: {_brief(out['pace'])}")

        out["populate_s"]["restore"] = populate(restore_db, cfg.restore, plan, burst=False)
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


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
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


# --- the report ---------------------------------------------------------------------------


def _col(runs: list[dict[str, Any]], key: str) -> list[float]:
    return [float(r[key]) for r in runs if r.get(key) is not None]


def _ratio(x: float, y: float) -> str:
    if not y:
        return "-"
    if x and x / y < 0.1:
        return f"1/{y / x:,.0f}"
    return f"{x / y:.3f}".rstrip("0").rstrip(".") if x else "0"


def _cell(values: list[float], fmt: str = "{:.2f}", unit: str = "") -> str:
    if not values:
        return "not measured"
    return f"{fmt.format(median(values))}{unit}{spread(values, fmt)}"


def burst_rows(res: dict[str, Any]) -> list[list[str]]:
    """[metric, baseline, ours, ours/baseline] for the burst."""
    bur = res["burst"]
    b, o, n, per_s = bur["baseline"], bur["ours"], bur["n"], bur["production_per_s"]
    limiter = res["config"]["limiter"]
    lost_b, lost_o = _col(b, "lost"), _col(o, "lost")
    pct_b, pct_o = _col(b, "lost_pct"), _col(o, "lost_pct")
    started = _col(b, "started")
    ran_b = _col(b, "ran")
    rows = [
        ["reminders due in the same second", f"{n:,}", f"{n:,}", ""],
        ["lost (median, min-max)", f"{_cell(lost_b, '{:,.0f}')} = {median(pct_b):.1f} %",
         f"{_cell(lost_o, '{:,.0f}')} = {median(pct_o):.1f} %",
         _ratio(median(lost_o), median(lost_b))],
        ["  skipped by APScheduler ('was missed by', grace 1 s)",
         _cell(_col(b, "missed"), "{:,.0f}"), "0 (one job, misfire_grace_time=None)", ""],
        ["  failed sends", _cell(_col(b, "errors"), "{:,.0f}"), _cell(_col(o, "lost"), "{:,.0f}"),
         ""],
        ["started (not skipped)" if limiter == "aio" else "sent",
         _cell(started if limiter == "aio" else ran_b, "{:,.0f}"),
         f"{_cell(_col(o, 'delivered'), '{:,.0f}')} delivered", ""],
        ["sessions 'reminded' in SQLite afterwards", "- (no database)",
         "all " + ("yes" if o and all(r["all_reminded"] for r in o) else "NO"), ""],
        ["duplicates", f"{max(_col(b, 'duplicates'), default=0):.0f}",
         f"{max(_col(o, 'duplicates'), default=0):.0f}", ""],
        ["due -> APScheduler has handed out every due job", _cell(_col(b, "handout_s"), unit=" s"),
         "-", ""],
        ["due -> every job started or skipped", _cell(_col(b, "decided_s"), unit=" s"), "-", ""],
        ["lateness of the first skipped job", _cell(_col(b, "min_missed_lateness_s"), unit=" s"),
         "-", ""],
        ["longest GC pause in that span", _cell(_col(b, "gc_max_s"), unit=" s"),
         _cell(_col(o, "gc_max_s"), unit=" s"), ""],
        [f"pipeline at a {FAST.per_second:,.0f}/s setting: due -> last send", "-",
         _cell(_col(o, "wall_s"), "{:.0f}", " s"), ""],
        ["  reminders per second (claim+render+send+record)", "-",
         _cell(_col(o, "per_s"), "{:.0f}", "/s"), ""],
    ]  # fmt: skip
    if limiter == "aio":
        todo = median(started)
        base = (f"{todo:,.0f} at 30/s = {todo / 30:,.0f} s, {n - todo:,.0f} lost" if todo
                else "nothing left to send")  # fmt: skip
        rows.append(["at the production pace", base, f"{n:,} at {per_s:g}/s = "
                     f"{n / per_s:,.0f} s = {n / per_s / 60:.1f} min, 0 lost", ""])  # fmt: skip
    else:
        rows.append(["at the production pace", "- (unpaced)",
                     f"{n / per_s:,.0f} s = {n / per_s / 60:.1f} min, 0 lost", ""])  # fmt: skip
    if bur.get("sweep"):
        cells = "; ".join(f"{r['n']:,}: {r['lost_pct']:.0f} %" for r in bur["sweep"])
        rows.append(["lost at smaller bursts (1 run each)", cells, "- (not run)", ""])
    if "pace" in res:
        p = res["pace"]
        rows.append([f"pace check: {p['n']} due at once, Limits() defaults, real flood limits",
                     "-", f"{p['wall_s']:.1f} s ({p['per_s']:.1f}/s), {p['flood_429']} x 429, "
                     f"max {p['max_in_1s']} in 1 s, {p['lost']} lost", ""])  # fmt: skip
    return rows


def restore_rows(res: dict[str, Any]) -> list[list[str]]:
    """[metric, baseline, ours, ours/baseline] for the start-up."""
    r = res["restore"]
    rb, ro, tb, to = r["baseline"], r["ours"], r["baseline_trace"], r["ours_trace"]

    def line(
        label: str,
        runs_b: list[dict[str, Any]],
        runs_o: list[dict[str, Any]],
        key: str,
        unit: str,
        fmt: str = "{:.2f}",
    ) -> list[str]:
        vb, vo = _col(runs_b, key), _col(runs_o, key)
        ratio = _ratio(median(vo), median(vb)) if vb and vo else ""
        return [label, _cell(vb, fmt, unit), _cell(vo, fmt, unit), ratio]

    return [
        ["users with a schedule", f"{r['n']:,}", f"{r['n']:,}", ""],
        line("jobs in the scheduler after start-up", rb, ro, "jobs", "", "{:,.0f}"),
        line("start-up time (initialize + post_init + start)", rb, ro, "startup_s", " s"),
        line("  of which post_init", rb, ro, "post_init_s", " s"),
        line("RSS growth over start-up", rb, ro, "rss_delta_mb", " MB", "{:.1f}"),
        line("peak RSS over start-up (VmHWM)", rb, ro, "hwm_delta_mb", " MB", "{:.1f}"),
        line("tracemalloc peak", tb, to, "traced_peak_mb", " MB", "{:.1f}"),
    ]


def render(res: dict[str, Any], markdown: bool) -> str:
    limiter = "AIORateLimiter" if res["config"]["limiter"] == "aio" else "no limiter"
    tables = [
        (f"A) burst: {res['burst']['n']:,} reminders due in the same second",
         [f"per-user run_once jobs (PTB JobQueue, {limiter})", "one time-slot job (ours)"],
         burst_rows(res)),
        (f"B) restore: start-up with {res['restore']['n']:,} users' schedules",
         ["per-user run_daily jobs (PTB JobQueue)", "one time-slot job (ours)"],
         restore_rows(res)),
    ]  # fmt: skip
    out = []
    for title, cols, table in tables:
        head = ["", *cols, "ours/baseline"]
        if markdown:
            out.append(f"**{title}**\n")
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "---|" * len(head))
            out.extend("| " + " | ".join(row) + " |" for row in table)
        else:
            widths = [max(len(r[i]) for r in [head, *table]) for i in range(len(head))]
            out.append(title)
            for row in [head, *table]:
                out.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        out.append("")
    m, c = res["machine"], res["config"]
    out.append(f"{m['nproc']} cores ({m['cpu']}), Python {m['python']}, PTB {m['ptb']}, "
               f"APScheduler {m['apscheduler']}, SQLite {m['sqlite']}. Runs: burst "
               f"{c['runs']} baseline / {c['our_runs']} ours, start-up {c['restore_runs']} each "
               f"+ {c['trace_runs']} each under tracemalloc. Medians (min-max).")  # fmt: skip
    steal = [100 * r["steal_s"] / (r.get("wall_s") or r.get("startup_s") or 1) / m["nproc"]
             for k in ("burst", "restore") for v in res[k].values() if isinstance(v, list)
             for r in v if isinstance(r, dict) and r.get("steal_s") is not None]  # fmt: skip
    if steal:
        out.append(f"CPU steal by the hypervisor during the measured spans: median "
                   f"{median(steal):.0f} %, max {max(steal):.0f} % of the cores.")  # fmt: skip
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
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
    p.add_argument("--child", choices=("standin", "restore"), help=argparse.SUPPRESS)
    p.add_argument("--limits", default="disabled", help=argparse.SUPPRESS)
    p.add_argument("--variant", help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--base-url", help=argparse.SUPPRESS)
    p.add_argument("--file-url", help=argparse.SUPPRESS)
    p.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if a.child == "standin":
        asyncio.run(serve_standin(a.limits))
        return
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
