"""The reminder benchmark's baseline: PTB's JobQueue with one APScheduler job per user.

n ``run_once`` jobs all due at the same moment with the default misfire_grace_time (1 s);
each renders the reminder and sends it as ours would. Counts what ran and what APScheduler
skipped ('Run time of job ... was missed by').
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import Counter
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
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

from bench.measure import GcPauses, finish_leftovers, steal_s
from bench.reminders_db import BURST_TZ, DUE, FIRST_UID
from bench.standin_process import StandInProcess, Urls
from bot.app import running
from bot.domain import calendar
from bot.domain.models import DayKind, Plan
from bot.domain.sessions import Session, SessionStatus
from bot.tg import schedule_views
from standin import DEFAULT_TOKEN

TIMEOUT = 10.0  # the bot's HTTP timeouts, as in production
SETTLE = 3.0  # seconds the paced baseline is watched sending after every job started

log = logging.getLogger("bench")

AnyApp = Application[Any, Any, Any, Any, Any, Any]


PostInit = Callable[[AnyApp], Coroutine[Any, Any, None]]


def baseline_app(urls: Urls, post_init: PostInit | None = None, limiter: str = "none") -> AnyApp:
    """An Application configured like ours (HTML defaults, same timeouts).

    limiter "aio": PTB's AIORateLimiter with its defaults; "none": no rate limiter.
    """
    # Any: each optional step below changes the builder's type parameters.
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
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
    """n sessions due at DUE, one per user, as the per-user jobs carry them."""
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
        session = context.job.data
        assert isinstance(session, Session)
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
