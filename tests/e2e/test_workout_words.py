"""Words typed on a warm-up or stretching card: English and Russian ones tick it off."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Harness
from tests.e2e.flows import onboard
from tests.e2e.test_workouts import start_session


@pytest.mark.parametrize("word", ["done", "Готово", "дальше"])
async def test_a_typed_done_word_ticks_off_a_warm_up_card(harness: Harness, word: str) -> None:
    h, u = harness, 541
    await onboard(h, u)
    card = await start_session(h, u)
    assert "1/11 · Easy cardio" in (card.plain_text or "")
    [nxt] = await h.send(u, word)
    assert "2/11 · Shoulder mobility" in (nxt.plain_text or "")


async def test_any_other_text_on_a_warm_up_card_says_how_to_go_on(harness: Harness) -> None:
    h, u = harness, 542
    await onboard(h, u)
    await start_session(h, u)
    [hint] = await h.send(u, "hello")
    assert "Tap Done when you have finished this one" in (hint.plain_text or "")
    [nxt] = await h.send(u, "ok")  # nothing was lost: the same card still takes a done word
    assert "2/11 · Shoulder mobility" in (nxt.plain_text or "")
