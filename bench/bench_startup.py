"""Start-up of `python -m bot plan`: wall and CPU time of the real command, against baselines.

Each variant runs as a fresh process, 1 warm-up then --runs timed runs, interleaved so that
load on the (shared) machine hits all alike:
- the interpreter alone (`python -c pass`): the floor no command can go under;
- `python -m bot plan ...`: what a user runs (it imports only what a preview needs);
- the same command from an earlier commit (`--before`, default: main before the start-up work
  of issue #13's last point), exported with `git archive` into a temporary folder;
- eager imports: the same plan after importing what `python -m bot` imported for every
  command before it dispatched lazily (Telegram, the scheduler, the app and the demo).

The children may write .pyc files (PYTHONDONTWRITEBYTECODE is dropped for them), so the warm-up
leaves compiled modules as an installed package has them; without them each run compiles the
bot's sources again, which took about 0.08 s more here.

    .venv/bin/python -m bench.bench_startup [--runs 5] [--before REV]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN_ARGS = ["plan", "--pullups", "5", "--days", "mon,thu"]
EAGER = (
    "import sys, telegram.ext, apscheduler, bot.app, bot.cli.demo, bot.storage.backup;"
    "from bot.__main__ import main; sys.exit(main(sys.argv[1:]))"
)
# main before the start-up work of issue #13 point 6 (pydantic-settings, --tz, set-log imports).
BEFORE = "965c40f"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(args: list[str], cwd: Path = ROOT, env: dict[str, str] = ENV) -> tuple[float, float]:
    """Seconds from spawning the process to its exit, and the CPU seconds it used.

    CPU time (user + system) moves much less than wall time when other work shares the machine.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, *args], cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def export(rev: str, into: Path) -> bool:
    """The bot and its content at `rev`, as files in `into`; False if git cannot give them."""
    try:
        archive = subprocess.run(
            ["git", "archive", rev, "bot", "content"], cwd=ROOT, capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return False
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return True


def main(argv: list[str] | None = None) -> None:
    """Run every variant, interleaved, and print a Markdown table of medians."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--before", default=BEFORE, help="the earlier commit to compare with")
    a = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp)
        # (arguments, working folder, environment): `-m bot` finds the package in its working
        # folder first.
        plan = ["-m", "bot", *PLAN_ARGS]
        variants: dict[str, tuple[list[str], Path, dict[str, str]]] = {
            "interpreter alone (python -c pass)": (["-c", "pass"], ROOT, ENV),
            "python -m bot plan": (plan, ROOT, ENV),
        }
        if export(a.before, old):
            variants[f"python -m bot plan at {a.before}"] = (plan, old, ENV)
        variants["plan after the old eager imports"] = (["-c", EAGER, *PLAN_ARGS], ROOT, ENV)
        times: dict[str, list[float]] = {name: [] for name in variants}
        cpus: dict[str, list[float]] = {name: [] for name in variants}
        for args, cwd, env in variants.values():
            wall(args, cwd, env)  # warm-up: .pyc files, the page cache
        for _ in range(a.runs):
            for name, (args, cwd, env) in variants.items():
                elapsed, cpu = wall(args, cwd, env)
                times[name].append(elapsed)
                cpus[name].append(cpu)
    ours = statistics.median(times["python -m bot plan"])
    print("| command | median wall time (min-max) | / plan | median CPU time |")
    print("|---|---|---|---|")
    for name, values in times.items():
        med = statistics.median(values)
        cpu = statistics.median(cpus[name])
        print(f"| {name} | {med:.3f} s ({min(values):.3f}-{max(values):.3f}) | {med / ours:.2f} "
              f"| {cpu:.3f} s |")  # fmt: skip
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"\n{a.runs} runs each, interleaved; Python {sys.version.split()[0]}; "
          f"load average after: {' '.join(load) or 'unknown'}.")  # fmt: skip


if __name__ == "__main__":
    main()
