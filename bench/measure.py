"""Small measuring tools the benchmarks share: memory, CPU steal, GC pauses, medians."""

from __future__ import annotations

import asyncio
import gc
import os
import statistics
import sys
import time
from typing import Any

MB = 1024 * 1024


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
        """Total and longest pause, in seconds."""
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
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """' (min-max)' for two or more values, else ''."""
    if len(values) < 2:
        return ""
    return f" ({fmt.format(min(values))}-{fmt.format(max(values))})"


def progress(text: str) -> None:
    """A time-stamped progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)
