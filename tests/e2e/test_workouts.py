"""Guided workouts end to end: a full session, a bad entry, a restart, the rest timer, records."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from standin import SentMessage
from tests.e2e.conftest import Harness
from tests.e2e.flows import answer_up_to_conditions, onboard, set_schedule, start_and_check

MON_18_BERLIN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


@pytest.fixture
def rest_scale() -> float:
    """A 90 s rest lasts 0.9 s here."""
    return 0.01


async def start_session(h: Harness, user: int) -> SentMessage:
    """The Monday reminder arrives and the user taps Start; return the first card."""
    h.clock.now = MON_18_BERLIN
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(user)
    assert "Time for your" in reminder.plain_text
    [card] = await start_and_check(h, user)
    return card


async def tap_done(h: Harness, user: int) -> SentMessage:
    """Tick off a warm-up or stretching card; return the next card."""
    [card] = await h.press(user, "Done")
    return card


async def log(h: Harness, user: int, text: str, expect: int = 2) -> list[SentMessage]:
    """Reply with sets; the bot confirms and shows the next card (or says how many are left)."""
    return await h.send(user, text, expect=expect)


async def logged_rows(h: Harness, user: int) -> int:
    row = await h.app.bot_data.db.one("SELECT COUNT(*) FROM set_logs WHERE user_id = ?", (user,))
    assert row is not None
    return int(row[0])


async def test_a_full_session_logged_by_reply(harness: Harness) -> None:
    h, u = harness, 501
    await onboard(h, u)
    card = await start_session(h, u)
    assert "1/11 · Easy cardio" in card.plain_text
    card = await tap_done(h, u)
    assert "Shoulder mobility" in card.plain_text
    card = await tap_done(h, u)
    assert "Wide-grip lat pulldown to the chest" in card.plain_text  # the light warm-up sets
    card = await tap_done(h, u)
    assert "Wide-grip pull-up" in card.plain_text and "Target: 4 x 6-12" in card.plain_text
    ok, card = await log(h, u, "4x10 bw")
    assert "✅ Wide-grip pull-up: 4x10" in ok.plain_text
    assert "Wide-grip lat pulldown to the chest" in card.plain_text
    assert "Reply with what you did" in card.plain_text
    ok, card = await log(h, u, "10 10 9 8 @ 52,5")
    assert "10, 10, 9, 8 @ 52.5 kg" in ok.plain_text
    assert "Lat pulldown behind the head" in card.plain_text
    [card] = await h.press(u, "Skip")
    assert "Barbell shrug" in card.plain_text
    [options] = await h.press(u, "Swap")
    names = [b.text for row in options.buttons for b in row]
    assert "Dumbbell shrug" in names and "Barbell shrug" not in names
    [card] = await h.press(u, "Dumbbell shrug")
    assert "Dumbbell shrug" in card.plain_text
    ok, card = await log(h, u, "4x15 24")
    assert "One-arm lat pulldown" in card.plain_text
    ok, card = await log(h, u, "3x12 25")
    assert "Straight-arm cable pulldown" in card.plain_text
    assert "Straight-arm" in card.plain_text and "pick your starting weight" in card.plain_text
    labels = [b.text for row in card.buttons for b in row]
    assert "Done as planned" not in labels, "no weight known: nothing to plan from"
    ok, card = await log(h, u, "3x12 20")
    assert "Lat stretch" in card.plain_text
    await tap_done(h, u)
    [summary] = await h.press(u, "Done")
    text = summary.plain_text
    assert "Session done!" in text
    assert "Wide-grip lat pulldown to the chest: 10, 10, 9, 8 @ 52.5 kg" in text
    assert "volume 1942.5 kg" in text  # (10 + 10 + 9 + 8) x 52.5
    assert "Next time:" in text
    assert "Next: Thu 26 Nov at 18:00, lower- and middle-back day" in text
    assert await logged_rows(h, u) == 4 + 4 + 4 + 3 + 3
    [hist] = await h.send(u, "/history")
    assert "Mon 23 Nov" in hist.plain_text and "Dumbbell shrug" in hist.plain_text


async def test_a_bad_entry_is_explained_and_nothing_is_saved(harness: Harness) -> None:
    h, u = harness, 502
    await onboard(h, u)
    await start_session(h, u)
    for _ in range(3):
        await tap_done(h, u)
    for bad in ("4x10 fifty", "0x10 50", "4x10 900"):
        [reply] = await h.send(u, bad)
        assert "couldn't read that" in reply.plain_text and "Nothing was saved" in reply.plain_text
        assert "For example" in reply.plain_text
    assert await logged_rows(h, u) == 0
    h.standin.send_sticker(u)
    note, card = await h.new_messages(u, expect=2)
    assert "only read text" in note.plain_text and "Wide-grip pull-up" in card.plain_text
    ok, card = await log(h, u, "4x8 bw")
    assert "✅" in ok.plain_text and "lat pulldown" in card.plain_text.lower()
    assert await logged_rows(h, u) == 4


async def test_a_restart_mid_session_resumes_it(harness: Harness) -> None:
    h, u = harness, 503
    await onboard(h, u)
    await start_session(h, u)
    for _ in range(3):
        await tap_done(h, u)
    await log(h, u, "4x9 bw")
    await h.restart()
    note, card = await h.send(u, "/today", expect=2)
    assert "in progress" in note.plain_text
    assert "5/11 · Wide-grip lat pulldown to the chest" in card.plain_text
    _, card = await log(h, u, "4x10 50")
    assert "Lat pulldown behind the head" in card.plain_text
    # A card from before the restart is out of date now.
    old = next(m for m in h.standin.messages(u) if "4/11" in (m.sent_text or ""))
    old.reply_markup = {"inline_keyboard": [[{"text": "Skip", "callback_data": "w:1:3:k"}]]}
    query = h.standin.press_button(u, old.message_id, "Skip")
    answer = await h.standin.wait_for_callback_answer(query)
    assert "out of date" in (answer.text or "")


async def test_rest_timer_pings_and_is_cancelled_by_the_next_set(harness: Harness) -> None:
    h, u = harness, 504
    await onboard(h, u)
    await start_session(h, u)
    for _ in range(3):
        await tap_done(h, u)
    _, left = await log(h, u, "bw x 10")
    assert "1 of 4 sets logged" in left.plain_text
    [ping] = await h.new_messages(u)  # 120 s rest, scaled to 1.2 s
    assert "Rest is over" in ping.plain_text and "pull-up" in ping.plain_text
    _, left = await log(h, u, "bw x 9")
    assert "2 of 4 sets logged" in left.plain_text
    _, left = await log(h, u, "bw x 9")  # before the rest is over: that timer is cancelled
    assert "3 of 4" in left.plain_text
    [ping] = await h.new_messages(u)
    assert "Rest is over" in ping.plain_text
    before = len(h.standin.messages(u))
    _, card = await log(h, u, "bw x 8")
    assert "Wide-grip lat pulldown" in card.plain_text
    await h.standin.wait_until_delivered()
    await asyncio.sleep(1.5)  # longer than any scaled rest: no ping for a finished exercise
    assert len(h.standin.messages(u)) == before + 2
    pings = [m for m in h.standin.messages(u) if "Rest is over" in (m.plain_text or "")]
    assert len(pings) == 2, "after sets 1 and 3; set 2's timer was cancelled by set 3"


async def test_top_of_the_range_adds_weight_next_time_and_records(harness: Harness) -> None:
    h, u = harness, 505
    await onboard(h, u)
    await start_session(h, u)
    for _ in range(3):
        await tap_done(h, u)
    await log(h, u, "4x12 bw")
    await log(h, u, "4x12 50")
    [end] = await h.press(u, "End session")
    assert "ended early" in end.plain_text
    assert "55 kg" in end.plain_text, "cable step is 5 kg: every set hit 12, so 55 kg next time"
    # Thursday's lower day, then the next upper day shows the new target.
    h.clock.now = MON_18_BERLIN + timedelta(days=3)
    await h.app.bot_data.runner.tick()
    await h.new_messages(u)
    await h.press(u, "Skip")
    h.clock.now = MON_18_BERLIN + timedelta(days=7)
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(u)
    assert "lower" in reminder.plain_text, "the skipped lower day comes again"


async def test_logging_outside_a_session(harness: Harness) -> None:
    h, u = harness, 506
    await onboard(h, u)
    [ok] = await h.send(u, "deadlift 5x5 100")
    assert "Barbell deadlift: 5x5 @ 100 kg (logged)" in ok.plain_text
    [ask] = await h.send(u, "row 3x10 60")
    assert "Which exercise" in ask.plain_text and len(ask.buttons) > 1
    [ok] = await h.press(u, "Seated cable row", message=ask)
    assert "Seated cable row: 3x10 @ 60 kg (logged)" in ok.plain_text
    assert await logged_rows(h, u) == 8
    [no] = await h.send(u, "hello coach")
    assert "To log sets" in no.plain_text


async def test_the_beginner_graduates_at_eight_pull_ups(harness: Harness) -> None:
    h, u = harness, 507
    await answer_up_to_conditions(h, u, "Wider back", "Beginner (under a year)", "4")
    await h.answer(u, "None of these")
    await h.answer(u, "None, skip this")
    await h.answer(u, "Full gym")
    await set_schedule(h, u)
    await h.standin.wait_for(lambda: "shows the next two weeks" in h.last(u).plain_text)
    h.seen[u] = len(h.standin.messages(u))
    await start_session(h, u)
    for _ in range(3):
        await tap_done(h, u)
    card = h.last(u)
    assert "Wide-grip pull-up" in card.plain_text and "as many clean reps" in card.plain_text
    msgs = await h.send(u, "max 9", expect=3)
    assert "🎉" in msgs[1].plain_text and "reached 8" in msgs[1].plain_text
    versions = await h.app.bot_data.repo.program_versions(u)
    assert versions == [1, 2]
    program = await h.app.bot_data.repo.current_program(u)
    assert program is not None and program.profile.pullups == 9
    upper = program.plan.days[0]
    pull = [p for p in upper.exercises if p.exercise.id == "pullup-wide"]
    assert pull and pull[0].sets[0].kind.value == "working"


async def test_a_reply_to_a_reminder_is_logged_against_that_days_exercise(
    harness: Harness,
) -> None:
    h, u = harness, 508
    await onboard(h, u)
    h.clock.now = MON_18_BERLIN
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(u)
    h.standin.send_text(u, "4x10 50", reply_to_message_id=reminder.message_id)
    [ask] = await h.new_messages(u)
    names = [b.text for row in ask.buttons for b in row]
    assert "Wide-grip lat pulldown to the chest" in names and "Barbell deadlift" not in names
    [ok] = await h.press(u, "Wide-grip lat pulldown to the chest", message=ask)
    assert "(logged)" in ok.plain_text
    assert await logged_rows(h, u) == 4


async def test_weights_in_pounds(harness: Harness) -> None:
    h, u = harness, 509
    await onboard(h, u)
    [ok] = await h.send(u, "/units lb")
    assert "now in <b>lb</b>" in (ok.text or "")
    [logged] = await h.send(u, "deadlift 5x5 225")
    assert "5x5 @ 225 lb" in logged.plain_text
    row = await h.app.bot_data.db.one("SELECT weight_kg FROM set_logs WHERE user_id = ?", (u,))
    assert row is not None and abs(row[0] - 102.058) < 0.01, "stored in kg"
