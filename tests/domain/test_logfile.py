"""Strong CSV written and read back, Hevy files read, names mapped, bad files refused."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_library
from bot.domain.accounts import Units
from bot.domain.logfile import (
    STRONG_COLUMNS,
    ExportSet,
    LogFileError,
    map_names,
    read_log_file,
    strong_csv,
    to_logged,
    weight_text,
)
from bot.domain.models import Library, SetKind
from bot.domain.setlog import LoggedSet
from bot.domain.weights import to_grid

TZ = "Europe/Berlin"
LIBRARY = load_library()  # module-level: hypothesis would print a fixture in full
STRONG_HEADER = ",".join(STRONG_COLUMNS)
STRONG_SAMPLE = (
    STRONG_HEADER
    + """
2026-03-02 18:05:00,Back day,1h 2m,Deadlift (Barbell),W,60,5,,,,,
2026-03-02 18:05:00,Back day,1h 2m,Deadlift (Barbell),1,100,5,,,,,
2026-03-02 18:05:00,Back day,1h 2m,Deadlift (Barbell),2,100,5,,,,,8
2026-03-02 18:05:00,Back day,1h 2m,Pull Up,1,0,8,,,,,
2026-03-02 18:05:00,Back day,1h 2m,Seated Cable Row,F,55,12,,,,,
2026-03-02 18:05:00,Back day,1h 2m,Running (Treadmill),1,0,0,2.5,900,,,
2026-03-02 18:05:00,Back day,1h 2m,Bench Press (Barbell),1,80,5,,,,,
"""
)
HEVY_HEADER = ",".join(
    f'"{c}"'
    for c in [
        "title",
        "start_time",
        "end_time",
        "description",
        "exercise_title",
        "superset_id",
        "exercise_notes",
        "set_index",
        "set_type",
        "weight_lbs",
        "reps",
        "distance_miles",
        "duration_seconds",
        "rpe",
    ]
)
HEVY_SAMPLE = (
    HEVY_HEADER
    + """
"Pull","2 Mar 2026, 18:05","2 Mar 2026, 19:00","","Deadlift (Barbell)",,"",0,"warmup",135,5,,,
"Pull","2 Mar 2026, 18:05","2 Mar 2026, 19:00","","Deadlift (Barbell)",,"",1,"normal",225,5,,,
"Pull","2 Mar 2026, 18:05","2 Mar 2026, 19:00","","Deadlift (Barbell)",,"",2,"failure",225,7,,,
"""
)


def test_strong_sample_reads_kinds_units_time_and_skips_cardio() -> None:
    parsed = read_log_file(STRONG_SAMPLE.encode(), Units.KG, TZ, 100)
    assert parsed.source == "strong"
    assert parsed.skipped == 1  # the treadmill row has no reps
    kinds = [s.kind for s in parsed.sets]
    assert kinds[:3] == [SetKind.WARMUP, SetKind.WORKING, SetKind.WORKING]
    assert parsed.sets[4].kind is SetKind.MAX
    assert parsed.sets[3].weight_kg is None  # a pull-up at 0: bodyweight
    assert [x.rpe for x in parsed.sets[1:3]] == [None, 8.0]  # Strong's RPE column comes along
    # 18:05 in Berlin in March (CET) is 17:05 UTC.
    assert parsed.sets[0].performed_at == datetime(2026, 3, 2, 17, 5, tzinfo=UTC)


def test_strong_weights_are_read_in_the_users_unit() -> None:
    kg = read_log_file(STRONG_SAMPLE.encode(), Units.KG, TZ, 100).sets[1]
    lb = read_log_file(STRONG_SAMPLE.encode(), Units.LB, TZ, 100).sets[1]
    assert kg.weight_kg == 100
    assert lb.weight_kg == pytest.approx(45.359237)


def test_hevy_reads_pounds_from_its_column_and_failure_sets() -> None:
    parsed = read_log_file(HEVY_SAMPLE.encode(), Units.KG, TZ, 100)
    assert parsed.source == "hevy"
    assert [s.kind for s in parsed.sets] == [SetKind.WARMUP, SetKind.WORKING, SetKind.MAX]
    assert parsed.sets[1].weight_kg == pytest.approx(102.0582, abs=1e-4)


def test_names_from_other_apps_map_to_the_library_or_to_nothing(library: Library) -> None:
    found = map_names(
        ["Deadlift (Barbell)", "Seated Cable Row", "Bench Press (Barbell)", "Running (Treadmill)"],
        list(library.exercises.values()),
    )
    assert found["Deadlift (Barbell)"] == "deadlift"
    assert found["Seated Cable Row"] == "seated-cable-row"
    assert found["Bench Press (Barbell)"] is None  # not a back exercise: reported, not guessed
    assert found["Running (Treadmill)"] is None


def test_every_library_name_maps_to_itself(library: Library) -> None:
    trainable = [e for e in library.exercises.values() if e.day is not None]
    found = map_names([e.name for e in trainable], list(library.exercises.values()))
    assert found == {e.name: e.id for e in trainable}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "doesn't look like a Strong or Hevy export"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not text"),
        (b"\xff\xfe\xfa garbage", "not text"),
        (b"name,age\nbob,3\n", "doesn't look like a Strong or Hevy export"),
        (",".join(STRONG_COLUMNS).encode() + b"\n", "no sets"),
        (
            ",".join(STRONG_COLUMNS).encode() + b"\nyesterday,W,,Deadlift,1,100,5,,,,,\n",
            "no sets",
        ),
        (
            (STRONG_HEADER + "\n2026-01-01 10:00:00,W,,Deadlift,1,lots,5,,,,,\n").encode(),
            "no sets",
        ),
        (
            (STRONG_HEADER + "\n2026-01-01 10:00:00,W,,Deadlift,1,100,500,,,,,\n").encode(),
            "no sets",
        ),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(LogFileError, match=words):
        read_log_file(data, Units.KG, TZ, 100)


def test_names_cannot_smuggle_a_spreadsheet_formula_into_a_later_export() -> None:
    row = '2026-01-01 10:00:00,"=HYPERLINK(""x"")",,@Deadlift (Barbell),1,100,5,,,,,\n'
    [s] = read_log_file((STRONG_HEADER + "\n" + row).encode(), Units.KG, TZ, 10).sets
    assert s.workout_name == 'HYPERLINK("x")' and s.exercise_name == "Deadlift (Barbell)"


def test_too_many_rows_are_refused() -> None:
    row = "2026-01-01 10:00:00,W,,Deadlift (Barbell),1,100,5,,,,,\n"
    data = (",".join(STRONG_COLUMNS) + "\n" + row * 101).encode()
    with pytest.raises(LogFileError, match="101 rows"):
        read_log_file(data, Units.KG, TZ, 100)


def test_export_has_strongs_columns_and_marks_warmups() -> None:
    start = datetime(2026, 3, 2, 18, 5)  # noqa: DTZ001 - a local wall-clock time
    rows = [
        ExportSet(start, "Upper-back day", 3720, "Barbell deadlift", SetKind.WARMUP, "60", 5),
        ExportSet(start, "Upper-back day", 3720, "Barbell deadlift", SetKind.WORKING, "100", 5),
        ExportSet(start, "Upper-back day", 3720, "Barbell deadlift", SetKind.WORKING, "100", 4),
        ExportSet(start, "Upper-back day", 3720, "Wide-grip pull-up", SetKind.MAX, "", 9),
    ]
    table = list(csv.reader(io.StringIO(strong_csv(rows))))
    assert table[0] == STRONG_COLUMNS
    assert [r[4] for r in table[1:]] == ["W", "1", "2", "F"]
    assert table[1][0] == "2026-03-02 18:05:00" and table[1][2] == "1h 2m"
    assert table[4][5] == "0"  # bodyweight is weight 0, as Strong writes it


weights = st.one_of(
    st.none(),
    st.decimals(min_value="0.5", max_value="300", places=2).map(float),  # typed in kg
    st.decimals(min_value="1", max_value="600", places=2).map(  # typed in lb
        lambda lb: float(to_grid(lb, Units.LB))
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    sets=st.lists(
        st.tuples(
            st.sampled_from(["deadlift", "seated-cable-row", "pullup-wide", "shrug-dumbbell"]),
            st.sampled_from(list(SetKind)),
            st.integers(1, 100),
            weights,
            st.integers(0, 400),  # days after the first
            st.one_of(st.none(), st.integers(2, 20).map(lambda h: h / 2)),  # RPE in halves
        ),
        min_size=1,
        max_size=30,
    ),
    units=st.sampled_from(list(Units)),
)
def test_export_then_import_gives_back_the_same_sets(
    sets: list[tuple[str, SetKind, int, float | None, int, float | None]], units: Units
) -> None:
    """Whatever was logged, in either unit, reads back as the same sets on the same days."""
    library = LIBRARY
    base = datetime(2026, 1, 5, 18, 30)  # noqa: DTZ001 - local
    originals = []
    rows = []
    for exercise_id, kind, reps, weight, day, rpe in sets:
        exercise = library.exercises[exercise_id]
        logged = LoggedSet(reps=reps, weight_kg=weight, max_effort=kind is SetKind.MAX, rpe=rpe)
        # What the bot itself stores: a weight on a bodyweight exercise is added load.
        logged = to_logged_like(logged, exercise.load.value == "bodyweight")
        started = base + timedelta(days=day)
        originals.append((exercise_id, kind, logged, started))
        rows.append(
            ExportSet(
                started, "W", None, exercise.name, kind, weight_text(logged, units), reps, rpe
            )
        )
    parsed = read_log_file(strong_csv(rows).encode(), units, TZ, 10_000)
    mapping = map_names([s.exercise_name for s in parsed.sets], list(library.exercises.values()))
    back = [
        (
            mapping[s.exercise_name],
            s.kind,
            to_logged(s, library.exercises[str(mapping[s.exercise_name])]),
            s.performed_at,
        )
        for s in parsed.sets
    ]
    assert parsed.skipped == 0
    assert [(e, k, s) for e, k, s, _ in back] == [(e, k, s) for e, k, s, _ in originals]
    # The same local wall-clock time in the user's zone, whatever the daylight-saving offset.
    local = [t.astimezone(ZoneInfo(TZ)).replace(tzinfo=None) for *_, t in back]
    assert local == [t for *_, t in originals]


def to_logged_like(s: LoggedSet, bodyweight: bool) -> LoggedSet:
    return s.model_copy(update={"added": bodyweight and s.weight_kg is not None})
