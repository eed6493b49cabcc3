"""How long a /progress chart takes to render, against a bare matplotlib PNG of the same size.

    .venv/bin/python -m bench.bench_charts [--runs 15] [--markdown]

Each case renders `runs` times after 2 warm-up renders, in one process, interleaved with the
baseline (a Figure of the same size with one plain line, saved as PNG: the least any matplotlib
chart of this size costs). Medians with min-max; the target is under 300 ms per chart.
"""

from __future__ import annotations

import argparse
import gc
import io
import platform
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot import charts
from bot.domain.accounts import Units
from bot.domain.models import DayKind
from bot.domain.stats import SessionPoint, WeekChecks, WeekVolume

TARGET_MS = 300.0
START = date(2022, 1, 3)


def baseline() -> bytes:
    """A bare 1080 x 1080 Figure with one line, as PNG: matplotlib's floor for this size."""
    fig = Figure(figsize=(charts.SIZE_INCHES, charts.SIZE_INCHES), dpi=charts.DPI)
    FigureCanvasAgg(fig)
    fig.add_subplot().plot([0, 1], [0, 1])
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=charts.DPI)
    return out.getvalue()


def _points(n: int) -> list[SessionPoint]:
    return [
        SessionPoint(START + timedelta(days=3 * i), 60 + i * 0.2, 5, 70 + i * 0.25, i % 10 == 5)
        for i in range(n)
    ]


def _weeks(n: int) -> list[WeekVolume]:
    return [
        WeekVolume(
            START + timedelta(weeks=i),
            {DayKind.UPPER: 12, DayKind.LOWER: 9},
            {DayKind.UPPER: 3000.0 + i, DayKind.LOWER: 4000.0},
        )
        for i in range(n)
    ]


def _checks(n: int) -> list[WeekChecks]:
    return [WeekChecks(START + timedelta(weeks=i), 2, i % 2, int(i % 13 == 0)) for i in range(n)]


CASES: list[tuple[str, Callable[[], bytes]]] = [
    ("exercise, 1 day", lambda: charts.exercise_chart("Barbell deadlift", _points(1), Units.KG)),
    ("exercise, 30 days", lambda: charts.exercise_chart("Barbell deadlift", _points(30), Units.KG)),
    (
        "exercise, 400 days",
        lambda: charts.exercise_chart("Barbell deadlift", _points(400), Units.LB),
    ),
    ("weekly sets, 52 weeks", lambda: charts.volume_chart(_weeks(52), Units.KG, tonnage=False)),
    ("weekly tonnage, 208 weeks", lambda: charts.volume_chart(_weeks(208), Units.KG, tonnage=True)),
    ("back checks, 52 weeks", lambda: charts.back_check_chart(_checks(52))),
]


def _time(fn: Callable[[], bytes]) -> float:
    gc.collect()
    t = time.perf_counter()
    fn()
    return (time.perf_counter() - t) * 1000


def _cache_hit_ms(runs: int) -> float:
    cache = charts.ChartCache()
    points = _points(400)
    cache.put(1, "deadlift", charts.fingerprint("deadlift", (points, Units.KG)), b"png")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        cache.get(1, "deadlift", charts.fingerprint("deadlift", (points, Units.KG)))
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    """Run every case interleaved with the baseline and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    for _ in range(2):
        baseline()
        for _, fn in CASES:
            fn()
    load_before = _load()
    rows = []
    for name, fn in CASES:
        ours, base = [], []
        for _ in range(args.runs):
            base.append(_time(baseline))
            ours.append(_time(fn))
        rows.append((name, ours, base))
    hit = _cache_hit_ms(args.runs * 10)
    print(
        f"Python {platform.python_version()}, matplotlib {matplotlib.__version__}, "
        f"{args.runs} runs per case, interleaved with the baseline"
    )
    bar = "|" if args.markdown else ""
    print(
        f"{bar} chart {bar} ours: median (min-max) {bar} baseline: median {bar} ours/baseline "
        f"{bar} median under {TARGET_MS:.0f} ms {bar}"
    )
    if args.markdown:
        print("|---|---|---|---|---|")
    for name, ours, base in rows:
        med, b = statistics.median(ours), statistics.median(base)
        print(
            f"{bar} {name} {bar} {med:.0f} ms ({min(ours):.0f}-{max(ours):.0f}) {bar} "
            f"{b:.0f} ms {bar} {med / b:.2f} {bar} {'yes' if med < TARGET_MS else 'NO'} {bar}"
        )
    print(f"cache hit (fingerprint of 400 days + lookup): {hit:.2f} ms")
    print(f"load average (1 min) before/after: {load_before} / {_load()}")


def _load() -> str:
    """The 1-minute load average: the machine is shared, so say how busy it was."""
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[0]
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
