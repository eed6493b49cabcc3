"""Updates per second: BackCoach against a bare PTB echo bot, on the same local Bot API server.

The stand-in runs in a separate process on 127.0.0.1 (bench/standin_process.py) and also acts
as the users there, so neither its work nor the users' competes with the bot's event loop. In
each run, interleaved so that load on the machine hits every variant alike:

- echo: N users each send one text at once to a bare PTB echo bot; the clock runs from the
  first update pushed to the last reply received. Also with `import sniffio` failing as it did
  before sniffio was a dependency (httpcore tries the import on every request).
- BackCoach (fresh database, durable update journal on, bot pacing raised) for three kinds:
  /start from N new users; an onboarding answer (the same N tap "None of these" on the first
  question); a set-log reply ("deadlift 5x5 100" from N users who have a program, set up
  through the services); then a set typed during a workout ("1x10 40" from the same users,
  each with a workout started through the services and at its first loaded exercise).
  Database.round_trips is read before and after each phase.

Ratios are taken run by run against the same run's echo bot, and the per-CPU-second one comes
first: on a shared machine it moves least with the load.

How many answering calls (messages, edits, callback answers) each update gets is measured on
3 warm-up users first, so the clock stops exactly when the last answer arrives.

    .venv/bin/python bench/bench_throughput.py [--users 300] [--runs 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the repository's packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import progress
from bench.reminders_db import FIRST_UID, populate, the_plan
from bench.standin_process import StandInProcess
from bench.throughput_bots import (
    backcoach_app,
    echo_app,
    missing_sniffio,
    send_cost,
    serving,
)
from bot.app import running
from bot.content import load_library
from bot.domain.models import Library
from bot.storage.db import Database
from bot.storage.languages import LanguageRepo

WARMUP = 3
QUIET = 0.5  # seconds after a phase in which no further answer may come
SET_TEXT = "deadlift 5x5 100"
WORKOUT_TEXT = (
    "1x10 40"  # one set of the workout's first loaded exercise (added weight on pull-ups)
)
BUTTON = "None of these"  # on the first onboarding question
KINDS = ("/start", "onboarding answer", "set-log reply", "set in a workout")
Result = dict[str, Any]


async def phase(
    standin: StandInProcess, kind: str, text: str, warm: list[int], users: list[int]
) -> Result:
    """Calibrate on the warm-up users, then time one update from each user."""
    calib = await standin.ask({"cmd": "drive", "kind": kind, "text": text, "users": warm})
    if calib["rejected"]:
        raise RuntimeError(f"the stand-in rejected calls: {calib['rejected'][:3]}")
    per_update, rest = divmod(calib["answers"], len(warm))
    if rest or not per_update:
        raise RuntimeError(f"{calib['answers']} answers to {len(warm)} updates of {text!r}")
    cpu0 = time.process_time()  # this process runs the bot and nothing else
    timed = await standin.ask(
        {"cmd": "drive", "kind": kind, "text": text, "users": users, "per_update": per_update}
    )
    cpu = time.process_time() - cpu0
    await asyncio.sleep(QUIET)
    later = await standin.ask({"cmd": "answers"})
    if (
        timed["rejected"]
        or timed["answers"] != timed["expected"]
        or later["total"] != timed["total"]
    ):
        raise RuntimeError(f"{text!r}: {timed}, then {later['total'] - timed['total']} more")
    return {
        "per_s": len(users) / timed["seconds"],
        "per_cpu_s": len(users) / cpu,
        "per_update": per_update,
        **timed,
    }


async def run_echo(n: int, sniffio: bool, lean: bool = False) -> Result:
    """One echo-bot run: n users each send one text (`lean`: on BackCoach's transport)."""
    async with StandInProcess() as standin:
        warm, users = list(range(1, WARMUP + 1)), list(range(100, 100 + n))
        await standin.ask({"cmd": "users", "ids": warm + users})
        app = echo_app(standin.urls, lean)
        async with serving(app):
            if sniffio:
                return await phase(standin, "text", "hello there", warm, users)
            with missing_sniffio():
                return await phase(standin, "text", "hello there", warm, users)


async def run_sends(n: int) -> Result:
    """CPU per sendMessage of a bare Bot, with sniffio and with `import sniffio` failing."""
    async with StandInProcess() as standin:
        await standin.ask({"cmd": "users", "ids": [1]})
        with_it = await send_cost(standin.urls, 1, n)
        with missing_sniffio():
            without = await send_cost(standin.urls, 1, n)
    return {"with": with_it, "without": without}


async def run_backcoach(n: int, library: Library, tmp: Path) -> dict[str, Result]:
    """One BackCoach run on a fresh database: /start, an onboarding answer, a set-log reply."""
    db = tmp / "throughput.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    # Users with a program and a schedule, as the bot stores them after onboarding.
    await populate(db, WARMUP + n, the_plan(library), burst=True)
    loggers = list(range(FIRST_UID + 1, FIRST_UID + WARMUP + n + 1))
    await _seen(db, loggers)
    warm, new = list(range(1, WARMUP + 1)), list(range(100, 100 + n))
    out: dict[str, Result] = {}
    async with StandInProcess() as standin:
        await standin.ask({"cmd": "users", "ids": warm + new + loggers})
        app = backcoach_app(standin.urls, library, db)
        async with running(app):
            db_handle = app.bot_data.db
            phases = (
                ("/start", "command", "/start", warm, new),
                ("onboarding answer", "press", BUTTON, warm, new),
                ("set-log reply", "text", SET_TEXT, loggers[:WARMUP], loggers[WARMUP:]),
            )
            for kind, act, text, first, timed in phases:
                before = db_handle.round_trips
                res = await phase(standin, act, text, first, timed)
                # Calibration and timed phase both count: WARMUP + n updates in all.
                res["round_trips"] = (db_handle.round_trips - before) / (WARMUP + n)
                out[kind] = res
            for uid in loggers:  # a workout in progress, at its first loaded exercise
                workout = await app.bot_data.training.start(uid)
                while workout.current is not None and workout.current.tick_off:
                    workout = await app.bot_data.training.tick_off(uid)
            before = db_handle.round_trips
            res = await phase(standin, "text", WORKOUT_TEXT, loggers[:WARMUP], loggers[WARMUP:])
            res["round_trips"] = (db_handle.round_trips - before) / (WARMUP + n)
            out["set in a workout"] = res
    return out


async def _seen(path: Path, users: list[int]) -> None:
    """Their Telegram app's language as the bot stored it at their /start (the stand-in's
    users speak English): a lifter logging sets is no first-time visitor."""
    db = await Database.open(path)
    try:
        repo = LanguageRepo(db)
        await asyncio.gather(*(repo.seen(u, "en") for u in users))
    finally:
        await db.close()


async def bench(n: int, runs: int) -> Result:
    """Interleaved runs of every variant; raw results."""
    library = load_library()
    raw: Result = {"echo": [], "echo_aiohttp": [], "echo_no_sniffio": [], "backcoach": [],
                   "send_cpu": [], "users": n, "runs": runs}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        for i in range(runs):
            gc.collect()
            raw["echo"].append(await run_echo(n, sniffio=True))
            gc.collect()
            raw["echo_aiohttp"].append(await run_echo(n, sniffio=True, lean=True))
            gc.collect()
            raw["echo_no_sniffio"].append(await run_echo(n, sniffio=False))
            gc.collect()
            raw["backcoach"].append(await run_backcoach(n, library, Path(tmp)))
            gc.collect()
            raw["send_cpu"].append(await run_sends(n))
            progress(f"run {i + 1}/{runs}: " + brief(raw, i))
    return raw


def brief(raw: Result, i: int) -> str:
    """One line of a run's figures."""
    parts = [f"echo {raw['echo'][i]['per_s']:.0f}/s",
             f"echo without sniffio {raw['echo_no_sniffio'][i]['per_s']:.0f}/s"]  # fmt: skip
    parts += [f"{k} {raw['backcoach'][i][k]['per_s']:.0f}/s" for k in KINDS]
    parts += [f"{k} {ratios(raw, k, 'per_cpu_s')[i]:.2f}x per CPU-s" for k in KINDS]
    for kind in ("set-log reply", "set in a workout"):
        parts.append(f"round trips/{kind} {raw['backcoach'][i][kind]['round_trips']:.1f}")
    return ", ".join(parts)


def _med(values: list[float], digits: int = 0) -> str:
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}-{max(values):.{digits}f})"
    )


def ratios(raw: Result, kind: str, key: str, echo: str = "echo") -> list[float]:
    """BackCoach / echo, each run against the echo bot of the same run (load on a shared
    machine drifts between runs, so pairing within a run is steadier than a ratio of medians)."""
    pairs = zip(raw["backcoach"], raw[echo], strict=True)
    return [ours[kind][key] / echo[key] for ours, echo in pairs]


def render(raw: Result) -> str:
    """The Markdown table: per-run ratios to the echo bot (CPU first), medians (min-max)."""
    echo = [r["per_s"] for r in raw["echo"]]
    echo_cpu = [r["per_cpu_s"] for r in raw["echo"]]
    bare = [r["per_s"] for r in raw["echo_no_sniffio"]]
    bare_cpu = statistics.median(r["per_cpu_s"] for r in raw["echo_no_sniffio"])
    e, ec = statistics.median(echo), statistics.median(echo_cpu)
    sw = statistics.median(r["with"] for r in raw["send_cpu"])
    so = statistics.median(r["without"] for r in raw["send_cpu"])
    lines = [
        "| update kind | BackCoach / echo per CPU-second of the bot (target 0.5x) "
        "| BackCoach / echo, updates/s (target 0.5x) | CPU ms per update | updates/s "
        "| answers per update | DB round trips per update |",
        "|---|---|---|---|---|---|---|",
        f"| (echo: a text) | | | {_med([1e3 / c for c in echo_cpu], 2)} | {_med(echo)} | 1 | |",
    ]
    for kind in (k for k in KINDS if k in raw["backcoach"][0]):  # older results: fewer kinds
        runs = raw["backcoach"]
        ours = [r[kind]["per_s"] for r in runs]
        cpu_ms = [1e3 / r[kind]["per_cpu_s"] for r in runs]
        trips = [r[kind]["round_trips"] for r in runs if "round_trips" in r[kind]]
        per = runs[0][kind]["per_update"]
        lines.append(
            f"| {kind} | **{_med(ratios(raw, kind, 'per_cpu_s'), 2)}** "
            f"| {_med(ratios(raw, kind, 'per_s'), 2)} | {_med(cpu_ms, 2)} | {_med(ours)} "
            f"| {per} | {_med(trips, 1) if trips else 'not counted'} |"
        )
    lines += [
        "",
        f"Echo bot: {_med(echo)} updates/s, {ec:.0f} updates per CPU-s. Ratios are taken run by "
        "run against that run's echo bot; medians (min-max) over the runs. Round trips: "
        "Database.round_trips (calls into SQLite's thread, the journal's included); the "
        "target for a set-log reply and a set in a workout is 3 or fewer.",
        f"Echo bot without sniffio (each `import sniffio` fails after a search): {_med(bare)} "
        f"updates/s, {bare_cpu:.0f} per CPU-s; with sniffio / without: "
        f"{e / statistics.median(bare):.2f}x wall, {ec / bare_cpu:.2f}x CPU.",
        f"CPU per sendMessage of a bare Bot, one after another: {1e6 * sw:.0f} µs with sniffio, "
        f"{1e6 * so:.0f} µs without; the failing import took {100 * (so - sw) / so:.0f} % of it.",
        f"{raw['users']} users per phase, {raw['runs']} runs, medians (min-max).",
    ]
    if raw.get("echo_aiohttp"):  # results from before 2026-12-04 lack this variant
        lean = raw["echo_aiohttp"]
        kinds = [k for k in KINDS if k in raw["backcoach"][0]]
        per_kind = ", ".join(
            f"{k} {_med(ratios(raw, k, 'per_cpu_s', 'echo_aiohttp'), 2)}" for k in kinds
        )
        lines.append(
            "The same echo bot on BackCoach's transport (aiohttp): "
            f"{_med([r['per_s'] for r in lean])} updates/s, "
            f"{_med([1e3 / r['per_cpu_s'] for r in lean], 2)} ms of CPU per update; "
            f"BackCoach against it, per CPU-second: {per_kind}."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run the bench and print the Markdown table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--users", type=int, default=300, help="users per phase (default 300)")
    p.add_argument("--runs", type=int, default=5, help="runs of each variant (default 5)")
    p.add_argument("--json", type=Path, help="also write the raw results here")
    p.add_argument("--from-json", type=Path, help="only print the table of earlier results")
    a = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if a.from_json:
        print(render(json.loads(a.from_json.read_text())))
        return
    raw = asyncio.run(bench(a.users, a.runs))
    if a.json:
        a.json.write_text(json.dumps(raw, indent=1, default=str))
    print(render(raw))


if __name__ == "__main__":
    main()
