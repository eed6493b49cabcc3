"""Training logs as files: Strong's CSV written out, and Strong or Hevy CSV exports read in.

Strong writes weights in the unit its user chose and no unit column, so a Strong file is read
in the user's own unit (the preview says so). Hevy names its weight column `weight_kg` or
`weight_lbs`. Dates in both are local wall-clock times without a zone: they are read in the
user's timezone.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from bot.domain.accounts import Units
from bot.domain.calendar import zone_info
from bot.domain.lognames import match_exercise
from bot.domain.models import Exercise, LoadKind, SetKind
from bot.domain.setlog import MAX_REPS, MAX_RPE, MAX_WEIGHT_KG, LoggedSet
from bot.domain.weights import GRID, KG_PER_LB, to_grid
from bot.i18n import N_, _

STRONG_COLUMNS = [
    "Date",
    "Workout Name",
    "Duration",
    "Exercise Name",
    "Set Order",
    "Weight",
    "Reps",
    "Distance",
    "Seconds",
    "Notes",
    "Workout Notes",
    "RPE",
]
_HEVY_NEEDS = {"start_time", "exercise_title", "set_type", "reps"}
_STRONG_NEEDS = {"Date", "Exercise Name", "Set Order", "Weight", "Reps"}
_STRONG_DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_HEVY_DATES = ("%d %b %Y, %H:%M", "%d %B %Y, %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")
NOT_TEXT = N_("the file is not text (a CSV export is plain text)")  # said in two places

Source = Literal["strong", "hevy"]


class LogFileError(ValueError):
    """A file that cannot be imported, with the reason in words a user understands."""


@dataclass(frozen=True)
class ExportSet:
    """One row of the Strong CSV: a set with its workout, in the user's local time and unit."""

    started: datetime  # local wall-clock time of the workout (naive or aware)
    workout_name: str
    duration_s: int | None
    exercise_name: str
    kind: SetKind
    weight: str  # already in the user's unit; "" for bodyweight
    reps: int
    rpe: float | None = None


@dataclass(frozen=True)
class FileSet:
    """One set read from an imported file."""

    performed_at: datetime  # aware, UTC
    workout_name: str
    exercise_name: str
    kind: SetKind
    weight_kg: float | None  # None or 0: no weight given
    reps: int
    rpe: float | None = None  # kept when it is a rating the bot stores (1-10 in halves)


@dataclass(frozen=True)
class ParsedFile:
    """What a file held: its sets and how many rows were left out (cardio, timed, bad)."""

    source: Source
    sets: list[FileSet]
    skipped: int


def _duration(seconds: int | None) -> str:
    if not seconds or seconds <= 0:
        return ""
    hours, minutes = divmod(round(seconds / 60), 60)
    return f"{hours}h {minutes}m" if hours else f"{minutes}m"


def strong_csv(rows: list[ExportSet]) -> str:
    """Strong's CSV: warm-ups marked W, all-out sets F, other sets numbered per exercise."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STRONG_COLUMNS)
    counters: dict[tuple[datetime, str, str], int] = {}
    for r in rows:
        key = (r.started, r.workout_name, r.exercise_name)
        if r.kind is SetKind.WARMUP:
            order = "W"
        elif r.kind is SetKind.MAX:
            order = "F"
        else:
            counters[key] = counters.get(key, 0) + 1
            order = str(counters[key])
        writer.writerow(
            [
                r.started.strftime("%Y-%m-%d %H:%M:%S"),
                r.workout_name,
                _duration(r.duration_s),
                r.exercise_name,
                order,
                r.weight or "0",
                r.reps,
                "",
                "",
                "",
                "",
                "" if r.rpe is None else f"{r.rpe:g}",
            ]
        )
    return out.getvalue()


def _number(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise LogFileError(_("'{text}' is not a number").format(text=text)) from None
    if not value.is_finite():
        raise LogFileError(_("'{text}' is not a number").format(text=text))
    return value


def _when(text: str, formats: tuple[str, ...], tz: str) -> datetime:
    text = text.strip()
    for fmt in formats:
        try:
            local = datetime.strptime(text, fmt)  # noqa: DTZ007 - a local time, zoned below
        except ValueError:
            continue
        return local.replace(tzinfo=zone_info(tz)).astimezone(UTC)
    raise LogFileError(_("'{text}' is not a date I can read").format(text=text))


def _rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    try:
        rows = [{k: (v or "") for k, v in row.items() if isinstance(k, str)} for row in reader]
    except csv.Error as e:
        problem = _("the file is not a readable CSV ({problem})").format(problem=e)
        raise LogFileError(problem) from None
    return header, rows


def read_log_file(data: bytes, units: Units, tz: str, max_rows: int) -> ParsedFile:
    """Read a Strong or Hevy CSV export; LogFileError for anything that is not one."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogFileError(_(NOT_TEXT)) from None
    if "\x00" in text:
        raise LogFileError(_(NOT_TEXT))
    header, rows = _rows(text)
    columns = set(header)
    if columns >= _STRONG_NEEDS:
        source: Source = "strong"
    elif columns >= _HEVY_NEEDS and ({"weight_kg", "weight_lbs"} & columns):
        source = "hevy"
    else:
        raise LogFileError(
            _(
                "this doesn't look like a Strong or Hevy export: the first line should name "
                "columns such as Date, Exercise Name, Set Order, Weight and Reps"
            )
        )
    if len(rows) > max_rows:
        raise LogFileError(
            _("the file has {rows} rows; I import up to {max} at once").format(
                rows=f"{len(rows):,}", max=f"{max_rows:,}"
            )
        )
    sets: list[FileSet] = []
    skipped = 0
    for row in rows:
        try:
            found = _strong_row(row, units, tz) if source == "strong" else _hevy_row(row, tz)
        except LogFileError:
            skipped += 1
            continue
        if found is None:
            skipped += 1
        else:
            sets.append(found)
    if not sets:
        raise LogFileError(_("I found no sets with reps in it"))
    return ParsedFile(source, sets, skipped)


def _kg(value: Decimal | None, unit: Units) -> float | None:
    if value is None or value == 0:
        return None
    if value < 0:
        raise LogFileError(_("a negative weight"))
    kg = to_grid(value, unit)
    if kg > MAX_WEIGHT_KG:
        raise LogFileError(_("a weight over the limit"))
    return float(kg)


def _reps(text: str) -> int | None:
    value = _number(text)
    if value is None or value == 0:
        return None  # a cardio or timed row
    if value != value.to_integral_value() or not 1 <= value <= MAX_REPS:
        raise LogFileError(_("reps out of range"))
    return int(value)


def _cell(text: str) -> str:
    """A name from a file, without a leading =, +, - or @ that a spreadsheet would run as a
    formula when the name comes back out in an export."""
    return text.strip().lstrip("=+-@\t").strip()


def _rpe(text: str) -> float | None:
    """An RPE the bot can store (1 to 10 in half steps); anything else is dropped, not refused."""
    try:
        value = _number(text)
    except LogFileError:
        return None
    if value is None or not 1 <= value <= MAX_RPE or value * 2 != int(value * 2):
        return None
    return float(value)


def _strong_row(row: dict[str, str], units: Units, tz: str) -> FileSet | None:
    reps = _reps(row.get("Reps", ""))
    if reps is None:
        return None
    order = row.get("Set Order", "").strip().upper()
    kind = SetKind.WARMUP if order == "W" else SetKind.MAX if order == "F" else SetKind.WORKING
    return FileSet(
        _when(row["Date"], _STRONG_DATES, tz),
        _cell(row.get("Workout Name", "")),
        _cell(row["Exercise Name"]),
        kind,
        _kg(_number(row.get("Weight", "")), units),
        reps,
        _rpe(row.get("RPE", "")),
    )


def _hevy_row(row: dict[str, str], tz: str) -> FileSet | None:
    reps = _reps(row.get("reps", ""))
    if reps is None:
        return None
    set_type = row.get("set_type", "").strip().lower()
    kind = (
        SetKind.WARMUP
        if set_type == "warmup"
        else SetKind.MAX
        if set_type == "failure"
        else SetKind.WORKING
    )
    if "weight_kg" in row:
        weight = _kg(_number(row["weight_kg"]), Units.KG)
    else:
        weight = _kg(_number(row.get("weight_lbs", "")), Units.LB)
    return FileSet(
        _when(row["start_time"], _HEVY_DATES, tz),
        _cell(row.get("title", "")),
        _cell(row["exercise_title"]),
        kind,
        weight,
        reps,
        _rpe(row.get("rpe", "")),
    )


def _variants(name: str) -> list[str]:
    """'Deadlift (Barbell)': the name, 'Barbell Deadlift', 'Deadlift' (equipment goes last)."""
    m = re.fullmatch(r"\s*(.+?)\s*\((.+)\)\s*", name)
    if not m:
        return [name]
    base, extra = m.group(1), m.group(2)
    return [name, f"{extra} {base}", base]


def map_names(names: list[str], exercises: list[Exercise]) -> dict[str, str | None]:
    """Each file name to one library exercise id, or None when no single one fits."""
    trainable = [e for e in exercises if e.day is not None]
    out: dict[str, str | None] = {}
    for name in names:
        found: str | None = None
        for variant in _variants(name):
            candidates = match_exercise(variant, trainable)
            if len(candidates) == 1:
                found = candidates[0]
                break
        out[name] = found
    return out


def to_logged(s: FileSet, exercise: Exercise) -> LoggedSet:
    """The file's set as the bot stores it: a weight on a bodyweight exercise is added load."""
    bodyweight = exercise.load in (LoadKind.BODYWEIGHT, LoadKind.NONE)
    return LoggedSet(
        reps=s.reps,
        weight_kg=s.weight_kg,
        added=bodyweight and s.weight_kg is not None,
        max_effort=s.kind is SetKind.MAX,
        rpe=s.rpe,
    )


def weight_text(s: LoggedSet, units: Units) -> str:
    """A set's weight for the CSV as a plain number in the user's unit ('' for bodyweight).

    The shortest spelling that reads back as the very same stored kg: a weight typed in the
    other unit ("52.5 kg" by someone logging in lb) takes more decimals than one typed in theirs.
    """
    if s.weight_kg is None:
        return ""
    kg = Decimal(repr(s.weight_kg)).quantize(GRID)
    value = kg / KG_PER_LB if units is Units.LB else kg
    for places in range(9):
        candidate = value.quantize(Decimal(1).scaleb(-places))
        if candidate > 0 and to_grid(candidate, units) == kg:
            return format(candidate.normalize(), "f")
    return format(value.quantize(Decimal(1).scaleb(-8)).normalize(), "f")
