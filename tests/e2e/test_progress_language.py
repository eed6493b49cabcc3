"""Charts speak the language of the user who asks: drawn in it, and never served from the cache
in another one (issue #15)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest

from bot import charts
from bot.domain.accounts import Units
from bot.domain.stats import SessionPoint
from bot.i18n import current_language, use_language
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
