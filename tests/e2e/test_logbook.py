"""The training log end to end: first weights, assisted pull-ups, undo, edits, history, records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from telegram import Update

from bot.tg.processor import PerUserProcessor
from standin import SentMessage
from tests.e2e.conftest import Harness
from tests.e2e.flows import answer_up_to_conditions, finish, onboard, start_and_check
from tests.e2e.test_workouts import MON_18_BERLIN, log, logged_rows, start_session, tap_done


@pytest.fixture
def rest_scale() -> float:
    """Rest timers long enough never to ping during these tests."""
    return 100.0


def buttons(message: SentMessage) -> list[str]:
    return [b.text for row in message.buttons for b in row]


async def rows(h: Harness, user: int) -> list[tuple[str, int, float | None]]:
    found = await h.app.bot_data.db.all(
        "SELECT exercise_id, reps, weight_kg FROM set_logs WHERE user_id = ? ORDER BY id", (user,)
    )
    return [(r[0], r[1], r[2]) for r in found]


def edit(h: Harness, sent: dict[str, Any], text: str) -> None:
    """The user edits a message they sent: Telegram sends an edited_message update."""
    message = dict(sent["message"])
    message["text"] = text
    message["edit_date"] = message["date"] + 30
    h.standin.push_update("edited_message", message)


async def to_first_lift(h: Harness, user: int) -> SentMessage:
    """Start Monday's session and tick off the warm-up; return the pull-up card."""
    await start_session(h, user)
    for _ in range(2):
        await tap_done(h, user)
    return await tap_done(h, user)


async def test_a_first_session_picks_weights_by_button_and_by_text(harness: Harness) -> None:
    h, u = harness, 601
    await onboard(h, u)
    card = await to_first_lift(h, u)
    assert "Wide-grip pull-up" in card.plain_text
    assert "Target: 4 x 6-12 @ bodyweight" in card.plain_text, "bodyweight lifts say so"
    _, card = await log(h, u, "4x8 bw")
    assert "Wide-grip lat pulldown to the chest" in card.plain_text
    assert "bodyweight" not in card.plain_text, "a loaded lift never gets a bodyweight target"
    assert "pick your starting weight" in card.plain_text
    assert "12 clean reps (the top of the range)" in card.plain_text
    assert "Done as planned" not in buttons(card)
    assert {"40 kg", "45 kg", "50 kg"} <= set(buttons(card)), "an intermediate's suggestions"
    [card] = await h.press(u, "45 kg")
    assert "Target: 4 x 6-12 @ 45 kg" in card.plain_text
    assert "Reps per set: 6, 6, 6, 6" in card.plain_text
    ok, card = await h.press(u, "Done as planned", expect=2)
    assert "✅ Wide-grip lat pulldown to the chest: 4x6 @ 45 kg" in ok.plain_text
    assert "Lat pulldown behind the head" in card.plain_text
    [card] = await h.send(u, "35 kg")
    assert "Target: 4 x 6-12 @ 35 kg" in card.plain_text and "Done as planned" in buttons(card)
    assert await rows(h, u) == [("pullup-wide", 8, None)] * 4 + [("lat-pulldown-chest", 6, 45)] * 4


async def test_sets_without_a_weight_are_asked_about_not_logged_as_bodyweight(
    harness: Harness,
) -> None:
    h, u = harness, 602
    await onboard(h, u)
    await to_first_lift(h, u)
    await log(h, u, "4x8 bw")
    await h.send(u, "50")  # the first weight for the pulldown
    [ask] = await h.send(u, "3x10")
    assert "What weight?" in ask.plain_text and "Nothing is saved" in ask.plain_text
    assert buttons(ask) == ["50 kg (as before)"]
    assert await logged_rows(h, u) == 4
    ok, _ = await h.press(u, "50 kg (as before)", expect=2)
    assert "3x10 @ 50 kg" in ok.plain_text
    [ask] = await h.send(u, "10")
    assert "What weight?" in ask.plain_text
    ok, card = await h.send(u, "52.5", expect=2)
    assert "52.5 kg x 10" in ok.plain_text and "Lat pulldown behind the head" in card.plain_text
    [ask] = await h.send(u, "3x10")  # never lifted: the first weights a card offers
    assert buttons(ask) == ["30 kg", "35 kg", "40 kg"]
    ok, left = await h.press(u, "35 kg", expect=2)
    assert "3x10 @ 35 kg" in ok.plain_text and "3 of 4 sets logged" in left.plain_text
    target = await h.app.bot_data.workouts.target(u, "lat-pulldown-behind-head")
    assert target is not None and target.weight_kg == 35, "the weight lifted becomes the target"
    # Outside a session, bad input is explained the same way, with an example.
    [end] = await h.press(u, "End session")
    assert "ended early" in end.plain_text
    [bad] = await h.send(u, "deadlift 5x5 fifty")
    assert "couldn't read that" in bad.plain_text and "For example: deadlift" in bad.plain_text
    assert "Nothing was saved" in bad.plain_text


async def test_assisted_pull_ups_progress_by_taking_help_away(harness: Harness) -> None:
    h, u = harness, 603
    await onboard(h, u)
    await to_first_lift(h, u)
    [options] = await h.press(u, "Swap")
    assert "Assisted pull-up (machine)" in buttons(options)
    [card] = await h.press(u, "Assisted pull-up (machine)")
    assert "more counterweight means more help" in card.plain_text
    assert "bodyweight" not in card.plain_text
    ok, _ = await log(h, u, "4x12 30")
    assert "✅ Assisted pull-up (machine): 4x12 @ 30 kg of help" in ok.plain_text
    [summary] = await h.press(u, "End session")
    text = summary.plain_text
    assert "Assisted pull-up (machine): 4x12 @ 30 kg" in text
    assert "take 5 kg of help away: 25 kg of assistance next time" in text
    line = next(x for x in text.splitlines() if "Assisted pull-up" in x)
    assert "volume" not in line, "a counterweight is no load"
    [records] = await h.send(u, "/records")
    assert "12 reps with 30 kg of help" in records.plain_text
    [hist] = await h.send(u, "/history")
    assert "Assisted pull-up (machine): 4x12 @ 30 kg of help" in hist.plain_text
    target = await h.app.bot_data.workouts.target(u, "assisted-pullup")
    assert target is not None and target.weight_kg == 25


async def test_undo_in_a_session_and_outside_one(harness: Harness) -> None:
    h, u = harness, 604
    await onboard(h, u)
    [none] = await h.send(u, "undo")
    assert "Nothing to undo" in none.plain_text
    [ok] = await h.send(u, "deadlift 5x5 100")
    assert "(logged)" in ok.plain_text and "✏️ Edit" in buttons(ok)
    [gone] = await h.send(u, "/undo")
    assert "Removed 5 sets of Barbell deadlift: 5x5 @ 100 kg" in gone.plain_text
    assert await rows(h, u) == []
    await to_first_lift(h, u)
    [other] = await h.send(u, "deadlift 5x5 100")
    assert "That line is for Barbell deadlift, but you are on Wide-grip pull-up" in other.plain_text
    assert "Nothing was saved" in other.plain_text
    _, left = await log(h, u, "bw x 10")
    assert "1 of 4 sets logged" in left.plain_text
    [gone] = await h.send(u, "Undo")
    assert "Removed 1 set of Wide-grip pull-up: 1x10 bw" in gone.plain_text
    assert "0 of 4 sets logged" in gone.plain_text
    _, card = await log(h, u, "pull-ups 4x9 bw")  # naming the exercise is fine too
    assert "Wide-grip lat pulldown to the chest" in card.plain_text
    gone, card = await h.send(u, "undo", expect=2)  # the last set reopens the pull-ups
    assert "Removed 1 set of Wide-grip pull-up: 1x9 bw" in gone.plain_text
    assert "Wide-grip pull-up" in card.plain_text and "3 of 4 sets" in card.plain_text
    assert await rows(h, u) == [("pullup-wide", 9, None)] * 3


async def test_an_edited_message_replaces_what_it_logged(harness: Harness) -> None:
    h, u = harness, 605
    await onboard(h, u)
    sent = h.standin.send_text(u, "deadlift 5x5 100")
    await h.new_messages(u)
    edit(h, sent, "deadlift 5x5 110")
    [changed] = await h.new_messages(u)
    assert "Changed Barbell deadlift: 5x5 @ 110 kg (was 5x5 @ 100 kg)" in changed.plain_text
    assert await rows(h, u) == [("deadlift", 5, 110)] * 5
    # The same update processed twice (a redelivery) logs nothing twice.
    await h.app.process_update(Update.de_json(sent, h.app.bot))
    [again] = await h.new_messages(u)
    assert "Already in your log" in again.plain_text
    assert len(await rows(h, u)) == 5
    # In a session: an edit changes the set count of the exercise it belongs to.
    await to_first_lift(h, u)
    sets = h.standin.send_text(u, "2x10 bw")
    await h.new_messages(u, expect=2)
    edit(h, sets, "3x10 bw")
    [changed] = await h.new_messages(u)
    assert "Changed Wide-grip pull-up: 3x10 bw (was 2x10 bw)" in changed.plain_text
    edit(h, sets, "4x10 bw")  # now every set is in: on to the next exercise
    changed, card = await h.new_messages(u, expect=2)
    assert "Changed Wide-grip pull-up: 4x10 bw (was 3x10 bw)" in changed.plain_text
    assert "Wide-grip lat pulldown to the chest" in card.plain_text
    assert [r for r in await rows(h, u) if r[0] == "pullup-wide"] == [("pullup-wide", 10, None)] * 4
    # An edit of a message that logged nothing is not read as new input.
    chat = h.standin.send_text(u, "hello")
    await h.new_messages(u)
    edit(h, chat, "4x10 50")
    [note] = await h.new_messages(u)
    assert "logged no sets, so nothing changed" in note.plain_text
    # 'Edit' on a confirmation lets the user retype that line.
    ok, _ = await log(h, u, "4x10 50")
    [ask] = await h.press(u, "✏️ Edit", message=ok)
    assert "Send the corrected line" in ask.plain_text
    [changed] = await h.send(u, "4x10 55")
    assert "Changed Wide-grip lat pulldown to the chest: 4x10 @ 55 kg" in changed.plain_text
    # The corrected line and the end of its prompt are one commit, so a crash cannot leave
    # the line changed with the prompt still waiting for another one.
    processor = h.app.update_processor
    assert isinstance(processor, PerUserProcessor)
    await h.standin.wait_for(lambda: h.app.bot_data.journal.outstanding == 0, what="all done")
    assert not processor.split, "no update of this test committed twice"
    assert [r for r in await rows(h, u) if r[0] == "lat-pulldown-chest"] == [
        ("lat-pulldown-chest", 10, 55)
    ] * 4


async def test_history_shows_free_logs_in_current_units_and_per_exercise(
    harness: Harness,
) -> None:
    h, u = harness, 606
    await onboard(h, u)
    await h.send(u, "deadlift 5x5 100")
    await h.send(u, "seated cable row 10 10 9 @ 50")
    [hist] = await h.send(u, "/history")
    assert "Logged outside a session" in hist.plain_text
    assert "Barbell deadlift: 5x5 @ 100 kg" in hist.plain_text
    await h.send(u, "/units lb")
    [hist] = await h.send(u, "/history")
    assert "Barbell deadlift: 5x5 @ 220.46 lb" in hist.plain_text, "old sets in today's units"
    [one] = await h.send(u, "/history deadlifts")
    assert "Barbell deadlift" in one.plain_text and "5x5 @ 220.46 lb" in one.plain_text
    [records] = await h.send(u, "/records")
    assert "Barbell deadlift" in records.plain_text
    assert "best estimated 1-rep max 257.21 lb (220.46 lb x 5)" in records.plain_text
    assert "10 reps at 110.23 lb" in records.plain_text


async def test_last_time_after_a_restart_is_the_previous_session(harness: Harness) -> None:
    h, u = harness, 607
    await onboard(h, u)
    await to_first_lift(h, u)
    await log(h, u, "4x8 bw")
    await h.press(u, "End session")
    h.clock.now = MON_18_BERLIN + timedelta(days=3)  # Thursday's lower day: one row logged
    await h.app.bot_data.runner.tick()
    await h.new_messages(u)
    await start_and_check(h, u)
    for _ in range(2):
        await tap_done(h, u)
    await log(h, u, "4x8 60")  # a session with nothing logged wouldn't count
    h.seen[u] = len(h.standin.messages(u))
    await h.press(u, "End session")
    h.clock.now = MON_18_BERLIN + timedelta(days=7)
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(u)
    assert "upper-back" in reminder.plain_text
    await start_and_check(h, u)
    for _ in range(2):
        await tap_done(h, u)
    card = await tap_done(h, u)
    assert "Last time: 4x8 bw" in card.plain_text
    assert "Reps per set: 9, 9, 9, 9" in card.plain_text
    await log(h, u, "bw x 9")
    await h.restart()
    _, card = await h.send(u, "/today", expect=2)
    assert "Wide-grip pull-up" in card.plain_text
    assert "Last time: 4x8 bw" in card.plain_text, "the previous session, not this one"


async def test_four_all_out_sets_are_asked_for_as_four_sets(harness: Harness) -> None:
    h, u = harness, 608
    await answer_up_to_conditions(h, u, "Stronger back", "Advanced (3+ years)", "12")
    await finish(h, u, [])
    card = await to_first_lift(h, u)
    assert "4 all-out sets" in card.plain_text
    assert "Done as planned" not in buttons(card)
    _, left = await log(h, u, "max 12")
    assert "1 of 4 sets logged" in left.plain_text


async def test_an_error_says_whether_the_sets_were_saved(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, u = harness, 609
    await onboard(h, u)
    await to_first_lift(h, u)
    import bot.tg.workouts as shell

    calls = []

    def broken(*args: object) -> str:
        calls.append(args)
        raise RuntimeError("the confirmation failed after the save")

    monkeypatch.setattr(shell, "understood", broken)
    [sorry] = await h.send(u, "2x10 bw")
    assert "Your sets were saved before it happened: Wide-grip pull-up: 2x10 bw" in sorry.plain_text
    assert "no need to send them again" in sorry.plain_text
    monkeypatch.undo()
    [again] = await h.send(u, "2x10 bw")
    assert "Already in your log, so not saved twice" in again.plain_text
    assert len(await rows(h, u)) == 2
    import bot.services.logset as use_cases

    def unreadable(*args: object) -> None:
        raise RuntimeError("the database went away before the save")

    monkeypatch.setattr(use_cases, "parse_line", unreadable)
    [sorry] = await h.send(u, "2x10 bw")
    assert "No sets from that message were saved, so please send it again" in sorry.plain_text
    monkeypatch.undo()
    _, card = await log(h, u, "2x10 bw")
    assert "Wide-grip lat pulldown" in card.plain_text
    assert len(await rows(h, u)) == 4


async def test_an_open_weight_question_is_dropped_when_the_session_moves_on(
    harness: Harness,
) -> None:
    h, u = harness, 610
    await onboard(h, u)
    await to_first_lift(h, u)
    await log(h, u, "4x8 bw")
    await h.send(u, "50")
    [ask] = await h.send(u, "3x10")
    assert "What weight?" in ask.plain_text
    [card] = await h.press(u, "Skip")
    assert "Lat pulldown behind the head" in card.plain_text
    [card] = await h.send(u, "35")  # the first weight for this card, not the old question
    assert "Target: 4 x 6-12 @ 35 kg" in card.plain_text
    assert [r for r in await rows(h, u) if r[0] != "pullup-wide"] == []


async def test_a_reply_to_a_reminder_without_a_weight_is_asked_about(harness: Harness) -> None:
    h, u = harness, 611
    await onboard(h, u)
    h.clock.now = MON_18_BERLIN
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(u)
    h.standin.send_text(u, "4x10", reply_to_message_id=reminder.message_id)
    [ask] = await h.new_messages(u)
    [ask] = await h.press(u, "Wide-grip lat pulldown to the chest", message=ask)
    assert "What weight?" in ask.plain_text, "never logged as bodyweight on a cable"
    [ok] = await h.press(u, "45 kg", message=ask)
    assert "4x10 @ 45 kg (logged)" in ok.plain_text
    assert await rows(h, u) == [("lat-pulldown-chest", 10, 45)] * 4


async def test_every_free_logging_update_commits_once_and_before_its_confirmation(
    harness: Harness,
) -> None:
    """A pick, a typed weight and a corrected line each commit once (a crash between two
    commits would leave the second undone, and the journal would never replay it)."""
    h, u = harness, 501
    await onboard(h, u)
    processor = h.app.update_processor
    assert isinstance(processor, PerUserProcessor)
    split = len(processor.split)
    [which] = await h.send(u, "row 3x10 60")
    assert "Which exercise" in which.plain_text
    [done] = await h.press(u, "Chest-supported machine row")
    assert "(logged)" in done.plain_text
    assert await rows(h, u) == [("machine-row", 10, 60.0)] * 3
    [weight] = await h.send(u, "deadlift 2x5")
    assert "weight" in weight.plain_text.lower()
    [done] = await h.send(u, "100")
    assert "(logged)" in done.plain_text
    [asked] = await h.press(u, "✏️ Edit", message=done)
    assert "corrected line" in asked.plain_text
    [fixed] = await h.send(u, "deadlift 2x5 105")
    assert "105" in fixed.plain_text
    assert await rows(h, u) == [("machine-row", 10, 60.0)] * 3 + [("deadlift", 5, 105.0)] * 2
    assert len(processor.split) == split, list(processor.split)[split:]


async def test_a_set_typed_outside_and_inside_a_workout_costs_three_round_trips(
    harness: Harness,
) -> None:
    """The journal's record and finish, and one call for the whole use case (#13 point 6)."""
    h, u = harness, 501
    await onboard(h, u)
    journal, db = h.app.bot_data.journal, h.app.bot_data.db

    async def trips(text: str, expect: int) -> int:
        await h.standin.wait_for(lambda: journal.outstanding == 0, timeout=10, what="quiet")
        before = db.round_trips
        await h.send(u, text, expect=expect)
        await h.standin.wait_for(lambda: journal.outstanding == 0, timeout=10, what="finish")
        return db.round_trips - before

    assert await trips("deadlift 5x5 100", 1) == 3
    await to_first_lift(h, u)
    assert await trips("2x10 bw", 2) == 3
    assert await logged_rows(h, u) == 7
