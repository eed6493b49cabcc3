"""Safety answers given during a session: stored and acted on at once."""

from __future__ import annotations

import pytest

from bot.domain.sessions import PauseReason
from tests.e2e.conftest import Harness
from tests.e2e.flows import finish, onboard, start_and_check
from tests.e2e.safety_steps import MON_18_BERLIN, reminder_at, rows, tap_done


@pytest.fixture
def rest_scale() -> float:
    """Rest timers fire fast enough not to get in the way."""
    return 0.01


async def test_pain_answered_during_a_session_is_stored_and_acted_on(harness: Harness) -> None:
    h, u = harness, 622
    await onboard(h, u)
    await reminder_at(h, u, MON_18_BERLIN)
    [check] = await h.press(u, "Start")
    [spare] = await h.send(u, "/today")
    await h.press(u, "Fine", message=check)
    [stop] = await h.press(u, "It hurts", message=spare)
    assert "still open" in stop.plain_text
    assert [b.text for row in stop.buttons for b in row] == ["End the session"]
    checks = await h.app.bot_data.safety.store.back_checks(u)
    assert [f.value for _, f in checks] == ["fine", "hurts"]
    [warn] = await h.send(u, "/today")  # the session is still open, so it is shown...
    await h.new_messages(u)
    h.seen[u] = len(h.standin.messages(u))
    # ...and a warning sign tapped on that same old question still pauses everything.
    spare.reply_markup = {"inline_keyboard": [[{"text": "Sign", "callback_data": "b:r:-"}]]}
    [urgent] = await h.press(u, "Sign", message=spare)
    assert "Please get medical help today" in urgent.plain_text
    saved = await h.app.bot_data.schedules.schedule(u)
    assert saved is not None and saved.paused is PauseReason.MEDICAL
    assert "in progress" in warn.plain_text


async def settings_again(h: Harness, u: int, pain: bool, conditions: list[str]) -> None:
    """/settings mid-session, with new answers."""
    await h.send(u, "/settings", expect=2)
    await h.answer(u, "None of these")
    if pain:
        await h.press(u, "Yes, it hurts today")
        return
    await h.answer(u, "No, it doesn't hurt")
    await h.answer(u, "None of these")
    await h.answer(u, "Wider back")
    await h.answer(u, "Intermediate (1-3 years)")
    await h.answer(u, "10")
    await finish(h, u, conditions)


async def test_new_answers_mid_session_take_effect_at_once(harness: Harness) -> None:
    h, u = harness, 623
    await onboard(h, u)
    await reminder_at(h, u, MON_18_BERLIN)
    await start_and_check(h, u)
    card = await tap_done(h, u, 3)
    assert "Wide-grip pull-up" in card.plain_text
    await settings_again(h, u, pain=False, conditions=["Disc hernia or protrusion (in remission)"])
    note, nothing, card = await h.send(u, "4x10", expect=3)
    assert "taken these out" in note.plain_text and "Wide-grip pull-up" in note.plain_text
    assert "disc hernia" in note.plain_text and "Nothing was logged" in nothing.plain_text
    assert "Wide-grip pull-up" not in card.plain_text
    assert await rows(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 0
    # Then pain today: no more sets, no more buttons, only the referral.
    await settings_again(h, u, pain=True, conditions=[])
    [refused] = await h.send(u, "4x10 40")
    assert "No back program for now" in refused.plain_text
    msg = h.last(u)
    workout = await h.app.bot_data.workouts.active(u)
    assert workout is not None
    wid = workout.id
    msg.reply_markup = {"inline_keyboard": [[{"text": "D", "callback_data": f"w:{wid}:4:d"}]]}
    [refused] = await h.press(u, "D", message=msg)
    assert "No back program for now" in refused.plain_text
    assert await rows(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 0
