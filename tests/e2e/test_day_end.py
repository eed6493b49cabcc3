"""The end of the user's day: a workout left open is closed, with one short note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from standin import SentMessage
from tests.e2e.conftest import Harness
from tests.e2e.flows import onboard, start_and_check

MON_18_BERLIN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
BERLIN_MIDNIGHT = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # Tue 00:00 in Berlin


async def start_session(h: Harness, user: int) -> SentMessage:
    h.clock.now = MON_18_BERLIN
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(user)
    assert "Time for your" in reminder.plain_text
    [card] = await start_and_check(h, user)
    return card


async def to_first_exercise(h: Harness, user: int) -> None:
    for _ in range(3):  # cardio, mobility, the light warm-up sets
        await h.press(user, "Done")


async def tick(h: Harness, moment: datetime) -> None:
    h.clock.now = moment
    await h.app.bot_data.runner.tick()


async def listed(h: Harness, user: int) -> str:
    [cal] = await h.send(user, "/schedule")
    return cal.plain_text or ""


async def test_an_open_workout_closes_at_midnight_with_what_was_logged(harness: Harness) -> None:
    h, u = harness, 601
    await onboard(h, u)
    await start_session(h, u)
    await to_first_exercise(h, u)
    await h.send(u, "4x10 bw", expect=2)
    await tick(h, BERLIN_MIDNIGHT - timedelta(minutes=1))
    assert "closed" not in h.last(u).plain_text, "not before the day is over"
    await tick(h, BERLIN_MIDNIGHT + timedelta(seconds=10))
    [note] = await h.new_messages(u)
    assert "I closed yesterday's upper-back session (Mon 23 Nov)" in note.plain_text
    assert "Wide-grip pull-up: 4x10" in note.plain_text
    assert "Next: Thu 26 Nov at 18:00, lower- and middle-back day" in note.plain_text
    await tick(h, BERLIN_MIDNIGHT + timedelta(minutes=5))
    assert h.last(u).message_id == note.message_id, "one note, once"
    text = await listed(h, u)
    assert "Thu 26 Nov, 18:00: lower- and middle-back day" in text, "it counted as a session"
    [today] = await h.send(u, "/today")
    assert "No session today" in today.plain_text, "no workout is open any more"


async def test_an_open_workout_with_nothing_logged_does_not_count(harness: Harness) -> None:
    h, u = harness, 602
    await onboard(h, u)
    await start_session(h, u)
    await tick(h, BERLIN_MIDNIGHT + timedelta(seconds=10))
    [note] = await h.new_messages(u)
    assert "I closed yesterday's upper-back session" in note.plain_text
    assert "Nothing was logged, so it doesn't count" in note.plain_text
    assert "Next: Thu 26 Nov at 18:00, upper-back day" in note.plain_text
    text = await listed(h, u)
    assert "Thu 26 Nov, 18:00: upper-back day" in text
    history = await h.app.bot_data.schedules.history(u)
    statuses = [s.status.value for s in history]  # newest first
    assert statuses[-1] == "skipped" and "done" not in statuses, "not recorded as done"


async def test_ending_early_with_nothing_logged_does_not_count(harness: Harness) -> None:
    h, u = harness, 603
    await onboard(h, u)
    await start_session(h, u)
    [end] = await h.press(u, "End session")
    assert "ended early" in end.plain_text and "No sets were logged" in end.plain_text
    assert "Next: Thu 26 Nov at 18:00, upper-back day" in end.plain_text
    await tick(h, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert "Thu 26 Nov, 18:00: upper-back day" in await listed(h, u)


async def test_midnight_in_one_zone_expires_while_another_zone_is_reminded(
    harness: Harness,
) -> None:
    h, berlin, new_york = harness, 604, 605
    await onboard(h, berlin)  # Mon and Thu at 18:00 in Berlin
    await onboard(h, new_york, city="New York")  # 18:00 in New York = midnight in Berlin
    await tick(h, MON_18_BERLIN)
    [unanswered] = await h.new_messages(berlin)
    assert "Time for your" in unanswered.plain_text
    await tick(h, BERLIN_MIDNIGHT)  # one tick does both
    [due] = await h.new_messages(new_york)
    assert "Time for your upper-back session (Mon 23 Nov, 18:00)" in due.plain_text
    history = await h.app.bot_data.schedules.history(berlin)
    assert history[-1].status.value == "missed", "the unanswered reminder expired"
    assert history[0].status.value == "planned", "and the next session is planned"
    assert "Thu 26 Nov, 18:00: upper-back day" in await listed(h, berlin), "same day comes next"


async def test_the_midnight_note_is_in_the_users_language(harness: Harness) -> None:
    h, u = harness, 605
    await onboard(h, u)
    await start_session(h, u)
    await to_first_exercise(h, u)
    await h.send(u, "4x10 bw", expect=2)
    await h.send(u, "/language")
    await h.press(u, "Русский")
    await tick(h, BERLIN_MIDNIGHT + timedelta(seconds=10))
    note = h.last(u).plain_text or ""
    assert "I closed" not in note and "Next:" not in note, note
    assert any("а" <= ch <= "я" for ch in note.lower()), note
