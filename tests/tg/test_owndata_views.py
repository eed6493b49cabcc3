"""The weekly report and the import preview read right on a phone: the user's unit, valid
Telegram HTML, long lists cut short; the new buttons' data round-trips and rejects forgeries."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.domain.accounts import Units
from bot.domain.models import DayKind
from bot.domain.stats import WeekChecks, WeeklyReport
from bot.services.export import ImportPreview
from bot.tg import callbacks
from bot.tg.owndata import preview_text
from bot.tg.progress import report_text
from standin.entities import parse_html

MON = date(2026, 11, 23)


def report(**changes: Any) -> WeeklyReport:
    base = WeeklyReport(
        week=MON,
        done=2,
        planned=2,
        sets=30,
        sets_before=24,
        tonnage_kg=4535.9237,
        tonnage_before_kg=0.0,
        records=[("deadlift", "New best <estimated> 1-rep max: 300 lb (250 lb x 6).")],
        checks=WeekChecks(MON, 1, 1, 0),
        next_sessions=[(date(2026, 11, 30), DayKind.UPPER)],
    )
    return dataclasses.replace(base, **changes)


def test_report_in_pounds_with_markup_that_telegram_accepts() -> None:
    text = report_text(report(), Units.LB, {"deadlift": "Barbell deadlift"})
    plain, _ = parse_html(text)
    assert "Sessions: 2 of 2 planned ✅" in plain
    assert "Working sets: 30 (last week 24, +6)" in plain
    assert "Volume: 10,000 lb" in plain and "last week" not in plain.split("Volume")[1][:30]
    assert "• Barbell deadlift: New best <estimated> 1-rep max" in plain  # escaped, shown as typed
    assert "Back checks: 1 fine, 1 a bit stiff, 0 hurting." in plain
    assert "Next week: Mon 30 Nov (upper-back day)." in plain


def test_report_without_sessions_ahead_points_to_schedule() -> None:
    plain, _ = parse_html(report_text(report(next_sessions=[], records=[]), Units.KG, {}))
    assert "no sessions planned. /schedule" in plain and "New records" not in plain


def preview(mapped: int, unmapped: int) -> ImportPreview:
    return ImportPreview(
        source="strong",
        sets=10,
        days=2,
        first=datetime(2026, 1, 1, tzinfo=UTC),
        last=datetime(2026, 2, 1, tzinfo=UTC),
        mapped={f"Row <{i}>": "seated-cable-row" for i in range(mapped)},
        unmapped={f"Curl & press {i}": 2 for i in range(unmapped)},
        skipped_rows=3,
        duplicates=1,
        units=Units.LB,
        ruled_out=[],
    )


@pytest.mark.parametrize(("mapped", "unmapped"), [(1, 0), (0, 1), (40, 40)])
def test_preview_lists_are_cut_short_and_valid_html(mapped: int, unmapped: int) -> None:
    plain, _ = parse_html(preview_text(preview(mapped, unmapped), {"seated-cable-row": "Row"}))
    assert "Weights read in lb" in plain
    assert plain.count("• ") <= 2 * 13
    if mapped == 40:
        assert "• and 28 more" in plain
    assert "3 row(s) without reps" in plain and "1 set(s) already in your log" in plain


def test_new_buttons_round_trip_and_forgeries_are_refused() -> None:
    for which in ("deadlift", "volume", "tonnage", "back"):
        assert callbacks.decode(callbacks.chart(which)) == callbacks.ChartButton(which)
    assert callbacks.decode(callbacks.import_answer(True)) == callbacks.ImportAnswer(True)
    assert callbacks.decode(callbacks.delete_answer(False, 29_000_000)) == (
        callbacks.DeleteAnswer(False, 29_000_000)
    )
    assert callbacks.decode(callbacks.report_toggle(False)) == callbacks.ReportToggle(False)
    for forged in ("g:", "g:@x", "g:DROP TABLE", "d:y:", "d:y:abc", "i:maybe", "k:yes"):
        assert callbacks.decode(forged) is None
