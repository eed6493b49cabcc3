"""`python -m bot plan`: readable by default, one JSON object with --json, exit 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.__main__ import main


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:  # type: ignore[type-arg]
    assert main(["plan", *args, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "exactly one JSON object on one line"
    return json.loads(out)  # type: ignore[no-any-return]


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
    data = run_json(capsys, "--level", "advanced", "--pullups", "12", "--week", "3",
                    "--exclude", "pullup-weighted")  # fmt: skip
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
