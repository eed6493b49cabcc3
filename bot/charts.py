"""Progress charts as PNG, drawn with matplotlib's object API (no pyplot state, Agg canvas).

Every chart is a square 1080 x 1080 image with large type and one idea, so it reads on a phone.
Rendering is CPU work: callers run it in a thread and cache the bytes until the data changes.
"""

from __future__ import annotations

import hashlib
import io
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, timedelta

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.domain.accounts import Units
from bot.domain.models import DayKind
from bot.domain.stats import SessionPoint, WeekChecks, WeekVolume
from bot.domain.weights import KG_PER_LB
from bot.i18n import N_, _, current_language

SIZE_INCHES = 9.0
DPI = 120
PIXELS = int(SIZE_INCHES * DPI)  # 1080
_FONT = 20
_COLOURS = {
    DayKind.UPPER: "#1f77b4",
    DayKind.LOWER: "#ff7f0e",
    "fine": "#2ca02c",
    "stiff": "#f2b705",
    "hurts": "#d62728",
    "record": "#d4a017",
}
_EPOCH = date(1970, 1, 1)
_DAY_NAMES = {DayKind.UPPER: N_("Upper day"), DayKind.LOWER: N_("Lower & middle day")}


def _in_units(kg: float, units: Units) -> float:
    return kg / float(KG_PER_LB) if units is Units.LB else kg


def _figure(title: str) -> tuple[Figure, Axes]:
    # Fixed margins instead of a layout engine: constrained layout doubled the render time.
    fig = Figure(figsize=(SIZE_INCHES, SIZE_INCHES), dpi=DPI)
    fig.subplots_adjust(left=0.13, right=0.97, top=0.9, bottom=0.1)
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=_FONT + 6, fontweight="bold", loc="left", pad=16)
    ax.tick_params(labelsize=_FONT - 2)
    ax.grid(True, axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _empty(ax: Axes, text: str) -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=_FONT + 2, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _num(day: date) -> float:
    """A date as matplotlib's number for it (days since its default epoch, 1970-01-01)."""
    return float((day - _EPOCH).days)


def _dates(ax: Axes) -> None:
    locator = AutoDateLocator(minticks=3, maxticks=6)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    lang = current_language()
    if lang == "en":
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    else:
        # matplotlib names months in the C locale only: other languages get '05.11' days.
        ax.xaxis.set_major_formatter(FuncFormatter(_day_label))
    ax.xaxis.get_offset_text().set_fontsize(_FONT - 4)


def _day_label(value: float, _pos: int | None = None) -> str:
    """A tick's day as digits, '05.11', read the same in every language but English."""
    return f"{_EPOCH + timedelta(days=round(value)):%d.%m}"


def exercise_chart(name: str, points: Sequence[SessionPoint], units: Units) -> bytes:
    """Top working set and estimated 1RM per day, records starred; reps for bodyweight work."""
    fig, ax = _figure(name)
    weighted = [p for p in points if p.top_weight_kg is not None and p.e1rm_kg is not None]
    if weighted:
        days = [_num(p.on) for p in weighted]
        top = [_in_units(p.top_weight_kg or 0.0, units) for p in weighted]
        e1rm = [_in_units(p.e1rm_kg or 0.0, units) for p in weighted]
        ax.plot(days, e1rm, "-o", lw=3, ms=8, color="#7f7f7f", label=_("Estimated 1-rep max"))
        ax.plot(days, top, "-o", lw=3, ms=8, color=_COLOURS[DayKind.UPPER], label=_("Top set"))
        stars = [(_num(p.on), e) for p, e in zip(weighted, e1rm, strict=True) if p.record]
        ax.set_ylabel(units.value, fontsize=_FONT)
    elif points:
        days = [_num(p.on) for p in points]
        ax.plot(days, [p.top_reps for p in points], "-o", lw=3, ms=8, label=_("Best set (reps)"))
        stars = [(_num(p.on), float(p.top_reps)) for p in points if p.record]
        ax.set_ylabel(_("reps"), fontsize=_FONT)
    else:
        _empty(ax, _("Nothing logged yet"))
        return _png(fig)
    if stars:
        ax.plot(
            [d for d, _ in stars],
            [v for _, v in stars],
            "*",
            ms=28,
            color=_COLOURS["record"],
            markeredgecolor="black",
            label=_("Record"),
        )
    if len(days) == 1:
        ax.set_xlim(days[0] - 3, days[0] + 3)
    _dates(ax)
    ax.legend(fontsize=_FONT - 2, loc="lower right", frameon=False)
    return _png(fig)


def _bars(ax: Axes, weeks: list[float], series: list[tuple[str, list[float], str]]) -> None:
    """Stacked weekly bars, drawn as one line collection per series (a patch per bar is slow
    for years of weeks), each bar about 5 days wide."""
    bottom = [0.0] * len(weeks)
    span = max(weeks[-1] - weeks[0] + 7, 21)
    width_pt = max(1.0, 0.7 * 7 / span * 0.84 * SIZE_INCHES * 72)
    centres = [w + 3.5 for w in weeks]
    for label, values, colour in series:
        top = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.vlines(centres, bottom, top, colors=colour, linewidth=width_pt, label=label)
        bottom = top
    ax.set_ylim(0, max(max(bottom) * 1.25, 1))  # headroom for the legend
    ax.set_xlim(weeks[0] - 1, weeks[0] + span + 1)
    for line in ax.collections:
        line.set_capstyle("butt")
    _dates(ax)
    handles = [Patch(color=colour, label=label) for label, _, colour in series]
    ax.legend(
        handles=handles, fontsize=_FONT - 4, loc="upper left", frameon=False, ncols=len(series)
    )


def volume_chart(weeks: Sequence[WeekVolume], units: Units, tonnage: bool) -> bytes:
    """Working sets (or tonnage) per week, upper day stacked on lower day."""
    title = (
        _("Weekly tonnage ({units} lifted)").format(units=units.value)
        if tonnage
        else _("Working sets per week")
    )
    fig, ax = _figure(title)
    if not weeks:
        _empty(ax, _("Nothing logged yet"))
        return _png(fig)
    days = [_num(w.week) for w in weeks]
    series = [
        (
            _(_DAY_NAMES[kind]),
            [
                _in_units(w.tonnage_kg[kind], units) if tonnage else float(w.sets[kind])
                for w in weeks
            ],
            _COLOURS[kind],
        )
        for kind in (DayKind.UPPER, DayKind.LOWER)
    ]
    _bars(ax, days, series)
    return _png(fig)


def back_check_chart(weeks: Sequence[WeekChecks]) -> bytes:
    """Back-check answers per week: fine, stiff and hurting stacked."""
    fig, ax = _figure(_("How your back felt before training"))
    if not weeks:
        _empty(ax, _("No back checks yet"))
        return _png(fig)
    days = [_num(w.week) for w in weeks]
    _bars(
        ax,
        days,
        [
            (_("Fine"), [float(w.fine) for w in weeks], _COLOURS["fine"]),
            (_("A bit stiff"), [float(w.stiff) for w in weeks], _COLOURS["stiff"]),
            (_("It hurt"), [float(w.hurts) for w in weeks], _COLOURS["hurts"]),
        ],
    )
    ax.set_ylabel(_("checks"), fontsize=_FONT)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _png(fig)


def fingerprint(*parts: object) -> str:
    """A short digest of a chart's inputs: equal data, equal chart."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


class ChartCache:
    """Rendered charts per (user, chart), kept while their data is unchanged; LRU-bounded."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, str], tuple[str, bytes]] = OrderedDict()
        self.renders = 0

    def get(self, user_id: int, chart: str, digest: str) -> bytes | None:
        """The cached PNG if it was drawn from the same data."""
        found = self._items.get((user_id, chart))
        if found is None or found[0] != digest:
            return None
        self._items.move_to_end((user_id, chart))
        return found[1]

    def put(self, user_id: int, chart: str, digest: str, png: bytes) -> None:
        """Keep a rendered chart, dropping the least recently used beyond the bound."""
        self.renders += 1
        self._items[(user_id, chart)] = (digest, png)
        self._items.move_to_end((user_id, chart))
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def forget(self, user_id: int) -> None:
        """Drop every chart of a user (after /delete)."""
        for key in [k for k in self._items if k[0] == user_id]:
            del self._items[key]
