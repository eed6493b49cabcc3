"""Start-up of `python -m bot plan`: wall time of the real command, against two baselines.

Each variant runs as a fresh process, 1 warm-up then --runs timed runs, interleaved so that
load on the (shared) machine hits all alike:
- the interpreter alone (`python -c pass`): the floor no command can go under;
- `python -m bot plan ...`: what a user runs (it imports only what a preview needs);
- eager imports: the same plan after importing what `python -m bot` imported for every
  command before it dispatched lazily (Telegram, the scheduler, the app and the demo).

    .venv/bin/python -m bench.bench_startup [--runs 5]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN_ARGS = ["plan", "--pullups", "5", "--days", "mon,thu"]
EAGER = (
    "import sys, telegram.ext, apscheduler, bot.app, bot.cli.demo, bot.storage.backup;"
    "from bot.__main__ import main; sys.exit(main(sys.argv[1:]))"
)
VARIANTS: dict[str, list[str]] = {
    "interpreter alone (python -c pass)": ["-c", "pass"],
    "python -m bot plan": ["-m", "bot", *PLAN_ARGS],
    "plan after the old eager imports": ["-c", EAGER, *PLAN_ARGS],
}


def wall(args: list[str]) -> tuple[float, float]:
    """Seconds from spawning the process to its exit, and the CPU seconds it used.

    CPU time (user + system) moves much less than wall time when other work shares the machine.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def main(argv: list[str] | None = None) -> None:
    """Run every variant, interleaved, and print a Markdown table of medians."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=5)
    a = p.parse_args(argv)
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    cpus: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for args in VARIANTS.values():
        wall(args)  # warm-up: .pyc files and the page cache
    for _ in range(a.runs):
        for name, args in VARIANTS.items():
            elapsed, cpu = wall(args)
            times[name].append(elapsed)
            cpus[name].append(cpu)
    plan = statistics.median(times["python -m bot plan"])
    print("| command | median wall time (min-max) | / plan | median CPU time |")
    print("|---|---|---|---|")
    for name, values in times.items():
        med = statistics.median(values)
        cpu = statistics.median(cpus[name])
        print(f"| {name} | {med:.3f} s ({min(values):.3f}-{max(values):.3f}) | {med / plan:.2f} "
              f"| {cpu:.3f} s |")  # fmt: skip
    print(f"\n{a.runs} runs each, interleaved; Python {sys.version.split()[0]}.")


if __name__ == "__main__":
    main()
