"""Reliability figures: a flood from one user, and the cost of the durable update journal.

A) Flood. User A sends N messages in under a second; then user B sends /help. Measured: how
   long B waits for the answer, at Telegram's real flood limits (stand-in and bot pacing both
   production values). Ours: per-user processing (PerUserProcessor, backlog cap 20). Baseline
   in the same run: one update at a time, as main handled them before (a processor with
   max_concurrent_updates=1); its flood is smaller (--baseline-flood) because B's wait grows
   with it at about one second per message.
B) Journal cost. 50 users send M commands (/units) at once with flood limits off, so the
   update path is measured, not Telegram's pace; the time until every reply arrived, with the
   journal on and off (the queue records nothing, the processor marks nothing), alternating.

Medians over --runs runs (fresh database and app each). The stand-in runs in this process.

    .venv/bin/python -m bench.bench_reliability [--quick] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import Connection, build_application, running
from bot.clock import FakeClock
from bot.content import load_library
from bot.domain.models import Library
from bot.tg.journal import JournalQueue
from bot.tg.processor import PerUserProcessor
from bot.tg.ratelimit import Limits
from standin import DEFAULT_TOKEN, FloodLimits, StandIn
from tests.e2e.conftest import START


async def flood(library: Library, n: int, sequential: bool) -> tuple[float, int]:
    """B's wait for /help behind A's flood of n messages; and how many of A's were dropped."""
    with tempfile.TemporaryDirectory() as tmp:
        async with StandIn(limits=FloodLimits()) as standin:
            processor = (
                PerUserProcessor(max_backlog=10**9, max_concurrent_updates=1)
                if sequential
                else None
            )
            app = build_application(
                Connection(DEFAULT_TOKEN, standin.base_url, standin.base_file_url, 10, Limits()),
                library,
                Path(tmp) / "bot.sqlite3",
                FakeClock(START),
                processor=processor,
            )
            async with running(app):
                standin.user(1)
                standin.user(2)
                for i in range(n):
                    standin.send_text(1, f"hello {i}")
                await standin.wait_for(lambda: standin.pending_updates == 0, timeout=60)
                asked = time.perf_counter()
                standin.send_command(2, "/help")
                await standin.wait_for_messages(2, 1, timeout=3600)
                waited = time.perf_counter() - asked
                proc = app.update_processor
                dropped = proc.dropped if isinstance(proc, PerUserProcessor) else 0
                if sequential:
                    # Stop without waiting for the rest of the flood's paced replies.
                    standin.drop_pending_updates()
                    assert isinstance(app.update_queue, JournalQueue)
                    while not app.update_queue.empty():
                        app.update_queue.get_nowait()
    return waited, dropped


async def journal_cost(library: Library, m: int, journal: bool) -> float:
    """Seconds until m /units commands from 50 users are all answered."""
    with tempfile.TemporaryDirectory() as tmp:
        async with StandIn(limits=FloodLimits.disabled()) as standin:
            limits = Limits(per_second=5000, per_chat_per_second=1000, per_chat_burst=1000)
            app = build_application(
                Connection(DEFAULT_TOKEN, standin.base_url, standin.base_file_url, 10, limits),
                library,
                Path(tmp) / "bot.sqlite3",
                FakeClock(START),
                max_backlog=10**6,
            )
            async with running(app):
                if not journal:
                    assert isinstance(app.update_queue, JournalQueue)
                    app.update_queue.journal = None
                    proc = app.update_processor
                    assert isinstance(proc, PerUserProcessor)
                    proc.on_finished = None
                users = list(range(100, 150))
                for uid in users:
                    standin.user(uid)
                started = time.perf_counter()
                for i in range(m):
                    standin.send_command(users[i % len(users)], "/units")
                await standin.wait_for(
                    lambda: sum(len(standin.messages(u)) for u in users) >= m, timeout=600
                )
                return time.perf_counter() - started


async def main_async(args: argparse.Namespace) -> None:
    library = load_library()
    n = 100 if args.quick else 1000
    base_n = args.baseline_flood
    m = 300 if args.quick else 2000
    ours, base, dropped = [], [], []
    for _ in range(args.runs):
        wait, drop = await flood(library, n, sequential=False)
        ours.append(wait)
        dropped.append(drop)
        base.append((await flood(library, base_n, sequential=True))[0])
    print(f"A) flood of {n} from one user: another user's /help answered after")
    print(
        f"   ours: median {statistics.median(ours):.3f} s (runs: {fmt(ours)});"
        f" dropped beyond the cap: median {statistics.median(dropped):.0f}"
    )
    print(
        f"   baseline, one update at a time, flood of {base_n}: median "
        f"{statistics.median(base):.1f} s (runs: {fmt(base)})"
    )
    print(f"   ratio baseline/ours: {statistics.median(base) / statistics.median(ours):.0f}x")
    on, off = [], []
    for _ in range(args.runs):
        off.append(await journal_cost(library, m, journal=False))
        on.append(await journal_cost(library, m, journal=True))
    mon, moff = statistics.median(on), statistics.median(off)
    print(f"B) {m} updates from 50 users, until all answered")
    print(f"   journal on:  median {mon:.2f} s = {m / mon:.0f} updates/s (runs: {fmt(on)})")
    print(f"   journal off: median {moff:.2f} s = {m / moff:.0f} updates/s (runs: {fmt(off)})")
    print(f"   ratio on/off: {mon / moff:.2f}; cost per update: {(mon - moff) / m * 1000:.2f} ms")


def fmt(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--quick", action="store_true", help="flood 100, journal 300 updates")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--baseline-flood", type=int, default=15)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
