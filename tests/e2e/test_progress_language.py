"""Charts and the weekly report speak the reader's language: charts drawn in it and never served
from the cache in another one, numbers grouped the reader's way (issue #15)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest

from bot import charts
from bot.domain.accounts import Units
from bot.domain.stats import SessionPoint, WeekChecks, WeeklyReport
from bot.i18n import current_language, use_language
from bot.tg.progress import report_text
from tests.e2e.conftest import START, Harness
from tests.e2e.flows import onboard


async def test_a_chart_is_drawn_in_the_asking_users_language_and_cached_per_language(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, u = harness, 731
    await onboard(h, u)
    for days, line in ((0, "deadlift 5x5 100"), (3, "deadlift 5x5 105")):
        h.clock.now = START + timedelta(days=days)
        [ok] = await h.send(u, line)
        assert "(logged)" in (ok.plain_text or ""), ok.plain_text

    drawn_in: list[str] = []
    draw = charts.exercise_chart

    def spy(name: str, points: Sequence[SessionPoint], units: Units) -> bytes:
        # Runs on the chart thread: the labels are translated there, in this language.
        drawn_in.append(current_language())
        return draw(name, points, units)

    monkeypatch.setattr(charts, "exercise_chart", spy)
    progress, cache = h.app.bot_data.progress, h.app.bot_data.charts
    with use_language("en"):
        english = await progress.chart(u, "deadlift")
    with use_language("ru"):
        russian = await progress.chart(u, "deadlift")
        again = await progress.chart(u, "deadlift")
    assert english is not None and russian is not None and again is not None
    assert drawn_in == ["en", "ru"]  # the Russian user got a chart of their own, drawn once
    assert cache.renders == 2 and again.png == russian.png


def test_report_numbers_are_grouped_the_readers_way() -> None:
    # Big volumes are read at a glance: '12,345' in English, '12 345' (no-break space) in
    # Russian, where a comma would read as a decimal point.
    report = WeeklyReport(
        week=date(2026, 11, 23),
        done=2,
        planned=2,
        sets=30,
        sets_before=24,
        tonnage_kg=12345.0,
        tonnage_before_kg=10000.0,
        records=[],
        checks=WeekChecks(date(2026, 11, 23), 0, 0, 0),
        next_sessions=[],
    )
    with use_language("en"):
        english = report_text(report, Units.KG, {})
    with use_language("ru"):
        russian = report_text(report, Units.KG, {})
    assert "12,345 kg" in english and "+2,345 kg" in english
    assert "12\u00a0345 kg" in russian and "+2\u00a0345 kg" in russian
