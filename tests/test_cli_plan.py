"""`python -m bot plan`: readable by default, one JSON object with --json, exit 2 on bad input."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import TZPATH, ZoneInfo, available_timezones

import pytest

from bot.__main__ import main
from bot.cli.plan import _is_zone_name
from bot.domain.calendar import describe_rhythm, parse_weekdays


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["plan", *args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "exactly one JSON object on one line"
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--goal", "thickness", "--level", "intermediate", "--pullups", "10")
    assert data["outcome"] == "clear"
    assert isinstance(data["reasons"], list)
    assert [d["kind"] for d in data["days"]] == ["upper", "lower"]
    for day in data["days"]:
        for ex in day["exercises"]:
            assert {"id", "name", "pattern", "properties", "sets"} <= set(ex)
            for s in ex["sets"]:
                assert s["kind"] in {"warmup", "working", "max"}
                assert {"count", "reps_min", "reps_max"} <= set(s)


def test_beginner_gets_one_max_set_of_pullups(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--pullups", "5")
    upper = data["days"][0]["exercises"]
    pullups = [e for e in upper if e["id"].startswith("pullup")]
    assert [e["sets"] for e in pullups] == [
        [{"kind": "max", "count": 1, "reps_min": 1, "reps_max": None}]
    ]


def test_referred_profile_has_no_days(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--condition", "exacerbation", "--condition", "hernia")
    assert data["outcome"] == "refer" and data["days"] == []
    assert data["reasons"] and "doctor" in json.dumps(data["reasons"]).lower()


def test_exclusion_and_week_options(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "--level",
        "advanced",
        "--pullups",
        "12",
        "--week",
        "3",
        "--exclude",
        "pullup-weighted",
    )
    ids = {e["id"] for d in data["days"] for e in d["exercises"]}
    assert "pullup-weighted" not in ids
    assert data["week"] == 3 and data["template"] == "rotation-c"


def test_text_output_is_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--goal", "width", "--pullups", "9"]) == 0
    out = capsys.readouterr().out
    assert "Day 1: upper back" in out and "Day 2: lower and middle back" in out
    assert "4 x 6-12" in out and not out.lstrip().startswith("{")


@pytest.mark.parametrize(
    ("args", "valid"),
    [
        (["--goal", "huge"], "width"),
        (["--level", "pro"], "advanced"),
        (["--condition", "flu"], "hernia"),
        (["--exclude", "bench-press"], "deadlift"),
        (["--week", "9"], "8"),
    ],
)
def test_unknown_values_exit_2_and_list_valid_ones(args: list[str], valid: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "plan", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr and valid in proc.stderr


# --- the calendar preview ----------------------------------------------------------------


def exit_code_and_stderr(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[object, str]:
    with pytest.raises(SystemExit) as caught:
        main(["plan", *args])
    return caught.value.code, capsys.readouterr().err


def test_json_has_a_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--start", "2026-06-01", "--weeks", "3")
    calendar = data["calendar"]
    assert [c["date"] for c in calendar] == [
        "2026-06-01",
        "2026-06-04",
        "2026-06-08",
        "2026-06-11",
        "2026-06-15",
        "2026-06-18",
    ]
    assert [c["kind"] for c in calendar] == ["upper", "lower"] * 3
    for c in calendar:
        assert set(c) == {"date", "kind", "local_time", "utc"}
        assert c["local_time"] == "18:00"
        assert c["utc"] == f"{c['date']}T18:00:00+00:00"
    dates = [date.fromisoformat(c["date"]) for c in calendar]
    assert all((b - a).days >= 3 for a, b in itertools.pairwise(dates))


@pytest.mark.parametrize("days", ["mon,thu", "tue,fri", "wed,sat", "sun,thu", "fri", "mon,fri"])
def test_calendar_keeps_three_days_between_sessions(
    capsys: pytest.CaptureFixture[str], days: str
) -> None:
    data = run_json(
        capsys,
        "--days",
        days,
        "--tz",
        "Asia/Kathmandu",
        "--time",
        "6:30 pm",
        "--start",
        "2026-02-25",
        "--weeks",
        "8",
    )
    calendar = data["calendar"]
    dates = [date.fromisoformat(c["date"]) for c in calendar]
    assert dates[0] >= date(2026, 2, 25) and dates[-1] < date(2026, 2, 25) + timedelta(weeks=8)
    assert all((b - a).days >= 3 for a, b in itertools.pairwise(dates))
    assert all(a["kind"] != b["kind"] for a, b in itertools.pairwise(calendar))
    assert {c["local_time"] for c in calendar} == {"18:30"}
    assert {c["utc"][11:] for c in calendar} == {"12:45:00+00:00"}  # Nepal is UTC+5:45


def test_calendar_keeps_local_time_across_dst(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(
        capsys,
        "--days",
        "mon,thu",
        "--time",
        "18:00",
        "--tz",
        "Europe/Berlin",
        "--start",
        "2026-10-19",
        "--weeks",
        "2",
    )
    assert [(c["date"], c["kind"], c["local_time"], c["utc"]) for c in data["calendar"]] == [
        ("2026-10-19", "upper", "18:00", "2026-10-19T16:00:00+00:00"),
        ("2026-10-22", "lower", "18:00", "2026-10-22T16:00:00+00:00"),
        ("2026-10-26", "upper", "18:00", "2026-10-26T17:00:00+00:00"),
        ("2026-10-29", "lower", "18:00", "2026-10-29T17:00:00+00:00"),
    ]


def test_referred_profile_has_no_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--condition", "exacerbation", "--start", "2026-06-01")
    assert data["outcome"] == "refer" and data["calendar"] == []
    assert main(["plan", "--condition", "exacerbation"]) == 0
    assert "Calendar" not in capsys.readouterr().out


def test_text_output_has_a_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "plan",
                "--days",
                "tue,fri",
                "--tz",
                "Europe/Moscow",
                "--start",
                "2026-06-01",
                "--weeks",
                "1",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Calendar (Tuesday and Friday at 18:00, Europe/Moscow)" in out
    assert "Tue 02 Jun 2026  18:00  Day 1: upper back" in out
    assert "Fri 05 Jun 2026  18:00  Day 2: lower and middle back" in out


def test_default_start_is_today_in_the_zone(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--tz", "Pacific/Kiritimati", "--weeks", "1")
    today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    first = date.fromisoformat(data["calendar"][0]["date"])
    assert today - timedelta(days=1) <= first <= today + timedelta(days=7)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--days", "mon,funday"], ["'funday' is not a weekday", "mon, tue, wed"]),
        (["--tz", "Berlinn"], ["not an IANA timezone", "Europe/Berlin"]),
        (["--tz", "Nowhere/Special"], ["not an IANA timezone"]),
        (["--weeks", "0"], ["between 1 and 52"]),
        (["--weeks", "53"], ["between 1 and 52"]),
        (["--time", "25:00"], ["not a time of day"]),
        (["--start", "2026-13-01"], ["not a date"]),
    ],
)
def test_bad_calendar_options_exit_2_with_an_explanation(
    capsys: pytest.CaptureFixture[str], args: list[str], expected: list[str]
) -> None:
    code, err = exit_code_and_stderr(capsys, *args)
    assert code == 2
    for text in expected:
        assert text in err


@pytest.mark.parametrize(
    ("days", "often", "gaps", "count"),
    [
        ("mon,wed,fri", False, {3, 4}, 16),
        ("mon,tue,wed,thu,fri,sat,sun", False, {3, 4}, 16),
        ("mon,tue,wed,thu,fri,sat,sun", True, {3}, 19),
        ("wed", False, {7}, 8),
        ("mon,tue", False, {7}, 8),
    ],
)
def test_any_available_days_give_a_valid_calendar(
    capsys: pytest.CaptureFixture[str], days: str, often: bool, gaps: set[int], count: int
) -> None:
    extra = ["--often"] if often else []
    data = run_json(capsys, "--days", days, *extra, "--start", "2026-06-01", "--weeks", "8")
    on = [date.fromisoformat(s["date"]) for s in data["calendar"]]
    kinds = [s["kind"] for s in data["calendar"]]
    assert {(b - a).days for a, b in itertools.pairwise(on)} <= gaps
    assert all(a != b for a, b in itertools.pairwise(kinds)), "upper and lower alternate"
    assert max(on).isocalendar().week - min(on).isocalendar().week == 7
    assert len(on) == count, "two a week where the days allow, more only when asked"
    assert main(["plan", "--days", days, *extra, "--start", "2026-06-01"]) == 0
    rhythm = describe_rhythm(parse_weekdays(days), often)
    assert rhythm in capsys.readouterr().out, "the calendar says how often it trains"


def test_timezone_names_are_accepted_in_any_case(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "--tz", "europe/berlin", "--start", "2026-06-01", "--weeks", "1")
    assert data["calendar"][0]["utc"] == "2026-06-01T16:00:00+00:00"


def test_timezone_check_agrees_with_the_list_of_zones() -> None:
    """--tz skips listing every zone when the name loads; it must accept exactly the same names."""
    names = set(available_timezones()) | {"utc", "Europe/../UTC", "./UTC", "UTC/", "", "Europe"}
    for root in TZPATH:
        for folder, _dirs, files in os.walk(root, followlinks=True):
            names.update(os.path.relpath(os.path.join(folder, f), root) for f in files)
    assert {"posixrules", "right/UTC", "zone.tab"} & names, "the walk sees the zone folders"
    known = available_timezones()
    assert [n for n in sorted(names) if _is_zone_name(n) != (n in known)] == []
