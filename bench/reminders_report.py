"""The reminder benchmark's report: Markdown or plain tables from the raw results."""

from __future__ import annotations

from typing import Any

from bench.measure import median, spread
from bot.tg.ratelimit import Limits

FAST = Limits(per_second=5000.0, per_chat_per_second=100.0, per_chat_burst=100)


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
    """The burst and start-up tables, as Markdown or plain text."""
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
