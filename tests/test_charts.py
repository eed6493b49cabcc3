"""Charts render to phone-sized PNGs for empty, one-point and long histories; the cache keeps a
chart only while its data is unchanged."""

from __future__ import annotations

import struct
from datetime import date, timedelta

import pytest

from bot import charts
from bot.domain.accounts import Units
from bot.domain.models import DayKind
from bot.domain.stats import SessionPoint, WeekChecks, WeekVolume

START = date(2024, 1, 1)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def points(n: int, bodyweight: bool = False) -> list[SessionPoint]:
    return [
        SessionPoint(
            START + timedelta(days=3 * i),
            None if bodyweight else 60 + i * 0.25,
            5 + i % 4,
            None if bodyweight else 70 + i * 0.3,
            i % 9 == 4,
        )
        for i in range(n)
    ]


def volume(n: int) -> list[WeekVolume]:
    return [
        WeekVolume(
            START + timedelta(weeks=i),
            {DayKind.UPPER: 10 + i % 3, DayKind.LOWER: 8},
            {DayKind.UPPER: 2500.0 + i, DayKind.LOWER: 3000.0},
        )
        for i in range(n)
    ]


def checks(n: int) -> list[WeekChecks]:
    return [WeekChecks(START + timedelta(weeks=i), 2 - i % 2, i % 2, int(i == 3)) for i in range(n)]


@pytest.mark.parametrize("n", [0, 1, 2, 400])
@pytest.mark.parametrize("units", list(Units))
def test_exercise_chart_is_a_square_phone_image(n: int, units: Units) -> None:
    assert png_size(charts.exercise_chart("Barbell deadlift", points(n), units)) == (1080, 1080)


@pytest.mark.parametrize("n", [1, 150])
def test_bodyweight_exercise_chart_draws_reps(n: int) -> None:
    chart = charts.exercise_chart("Wide-grip pull-up", points(n, bodyweight=True), Units.KG)
    assert png_size(chart) == (1080, 1080)


@pytest.mark.parametrize("n", [0, 1, 260])
@pytest.mark.parametrize("tonnage", [False, True])
def test_volume_chart_sizes(n: int, tonnage: bool) -> None:
    assert png_size(charts.volume_chart(volume(n), Units.LB, tonnage)) == (1080, 1080)


@pytest.mark.parametrize("n", [0, 1, 260])
def test_back_check_chart_sizes(n: int) -> None:
    assert png_size(charts.back_check_chart(checks(n))) == (1080, 1080)


def test_more_history_draws_a_different_picture() -> None:
    one = charts.exercise_chart("Barbell deadlift", points(3), Units.KG)
    two = charts.exercise_chart("Barbell deadlift", points(4), Units.KG)
    kg_lb = charts.exercise_chart("Barbell deadlift", points(3), Units.LB)
    assert len({one, two, kg_lb}) == 3


def test_cache_keeps_a_chart_until_its_data_changes() -> None:
    cache = charts.ChartCache(size=2)
    old = charts.fingerprint("deadlift", points(3))
    cache.put(1, "deadlift", old, b"png-1")
    assert cache.get(1, "deadlift", old) == b"png-1"
    assert cache.get(1, "deadlift", charts.fingerprint("deadlift", points(4))) is None
    assert cache.get(2, "deadlift", old) is None  # never another user's chart
    cache.put(1, "volume", "v", b"png-2")
    cache.put(1, "back", "b", b"png-3")  # over the bound: the least recently used goes
    assert cache.get(1, "deadlift", old) is None
    cache.forget(1)
    assert cache.get(1, "back", "b") is None
