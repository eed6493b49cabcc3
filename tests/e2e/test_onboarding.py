"""Onboarding end to end: questions, screening outcomes, restarts, odd input, two users at once."""

from __future__ import annotations

import asyncio
from collections import Counter

from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.tg.processor import PerUserProcessor
from tests.e2e.conftest import Harness
from tests.e2e.flows import answer_up_to_conditions, finish, set_schedule, to_confirmation


async def test_healthy_beginner_gets_the_beginner_path(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 201, "Wider back", "Beginner (under a year)", "3")
    text = await finish(harness, 201, [])
    assert "No health condition changes your program" in text
    assert "fewer than 8 strict pull-ups" in text
    assert "Day 1 · Upper back" in text and "Day 2 · Lower and middle back" in text
    assert "Wide-grip pull-up: 1 x max" in text, "one all-out set of pull-ups"
    assert "Wide-grip pull-up: 4 x" not in text, "no pull-up working sets"
    assert "Wide-grip lat pulldown to the chest: 4 x 6-12" in text
    assert "at least 3 days" in text
    [[first, *_], *_] = harness.with_button(201, "t:deadlift").buttons
    assert first.callback_data and first.callback_data.startswith("t:")
    # The answers and the program are stored.
    db = await Database.open(harness.db_path)
    try:
        issued = await Repo(db).current_program(201)
    finally:
        await db.close()
    assert issued is not None and issued.version == 1 and issued.profile.pullups == 3


async def test_technique_button_shows_cues(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 202, "Thicker back", "Intermediate (1-3 years)", "10")
    await finish(harness, 202, [])
    [tech] = await harness.press(202, "t:deadlift")
    assert "Barbell deadlift" in tech.plain_text
    for section in ("Set-up", "The movement", "Common mistakes", "Breathing"):
        assert section in tech.plain_text


async def test_hernia_gets_the_spine_sparing_program_and_why(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 203, "Wider back", "Intermediate (1-3 years)", "10")
    text = await finish(harness, 203, ["Disc hernia or protrusion (in remission)"])
    assert "What your answers change" in text
    assert "Disc hernia or protrusion: Smooth, moderate work" in text
    assert "Assisted pull-up (machine)" in text and "Chest-supported machine row" in text
    program = text.split("Day 1")[1]
    for banned in (
        "Barbell deadlift",
        "Bent-over barbell row",
        "T-bar row",
        "Barbell shrug",
        "Weighted pull-up",
    ):
        assert banned not in program, banned
    assert "not a doctor" in text
    [why] = await harness.press(203, "Why these changes?")
    assert "discs" in why.plain_text, "the hernia's full explanation is one tap away"
    assert "spine-sparing split" in why.plain_text


async def test_recent_injury_is_referred_with_no_program(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 204, "Healthy back", "Beginner (under a year)", "0")
    text = await finish(harness, 204, ["Recent back injury"])
    assert "No back program for now" in text and "doctor" in text
    assert "Day 1" not in text
    assert "8/13" not in text, "no question after a referral"
    [reply] = await harness.send(204, "/program")
    assert "No back program for now" in reply.plain_text and "/start" in reply.plain_text


async def test_restart_mid_onboarding_resumes_at_the_same_question(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 205, "Stronger back", "Advanced (3+ years)", "12")
    await harness.tick(205, "▫️ Mild scoliosis")
    await harness.restart()
    # The old question's buttons still work after the restart: state came from SQLite.
    q5 = await harness.answer(205, "Done")
    assert "8/13" in q5.plain_text
    await harness.restart()
    [again] = await harness.send(205, "/start")
    assert "pick up where we left off" in again.plain_text and "8/13" in again.plain_text
    assert "✓ Conditions: Mild scoliosis" in again.plain_text, "with the answers so far"
    q6 = await harness.answer(205, "None, skip this")
    assert "9/13" in q6.plain_text
    await harness.answer(205, "Full gym")
    await set_schedule(harness, 205)
    await harness.standin.wait_for(
        lambda: "shows the next two weeks" in harness.last(205).plain_text,
        timeout=15,
        what="the program",
    )
    assert "Mild scoliosis" in harness.text(205)


async def test_stale_button_and_sticker_are_handled(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 206, "Wider back", "Beginner (under a year)", "2")
    # A button from an earlier set-up, as an old message on another device would still show it.
    goal_message = harness.standin.messages(206)[0]
    goal_message.reply_markup = {
        "inline_keyboard": [[{"text": "Old", "callback_data": "o:000000:g:p:width"}]]
    }
    stale = harness.standin.press_button(206, goal_message.message_id, "Old")
    answer = await harness.standin.wait_for_callback_answer(stale, timeout=10)
    assert "earlier" in (answer.text or "") or "another question" in (answer.text or "")
    [again] = await harness.new_messages(206)
    assert "7/13" in again.plain_text, "the open question is shown again"
    harness.standin.send_sticker(206)
    explain, question = await harness.new_messages(206, expect=2)
    assert "only read text and button taps" in explain.plain_text and "7/13" in question.plain_text
    [hint, question] = await harness.send(206, "blah blah", expect=2)
    assert "buttons" in hint.plain_text and "7/13" in question.plain_text
    # Forged data is refused politely.
    harness.standin.messages(206)[-1].reply_markup = {
        "inline_keyboard": [[{"text": "Evil", "callback_data": "o:zzzz:x:p:../../etc"}]]
    }
    forged = harness.standin.press_button(206, harness.last(206).message_id, "Evil")
    answer = await harness.standin.wait_for_callback_answer(forged, timeout=10)
    assert "no longer works" in (answer.text or "")
    # And the conversation is still where it was.
    q5 = await harness.answer(206, "None of these")
    assert "8/13" in q5.plain_text


async def test_button_from_a_finished_conversation(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 207, "Wider back", "Beginner (under a year)", "2")
    await finish(harness, 207, [])
    finished = harness.standin.messages(207)[0]  # the set-up's questions were all in it
    finished.reply_markup = {
        "inline_keyboard": [[{"text": "Old", "callback_data": "o:abcdef:e:f"}]]
    }
    query = harness.standin.press_button(207, finished.message_id, "Old")
    answer = await harness.standin.wait_for_callback_answer(query, timeout=10)
    assert "finished" in (answer.text or "")


async def test_cancel_and_back(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 208, "Wider back", "Beginner (under a year)", "2")
    [q3] = await harness.press(208, "« Back")
    assert "6/13" in q3.plain_text
    [q4] = await harness.send(208, "9")
    assert "7/13" in q4.plain_text, "a typed number answers the pull-up question"
    [bye] = await harness.send(208, "/cancel")
    assert "cancelled" in bye.plain_text.lower()
    [reply] = await harness.send(208, "/program")
    assert "don't have a program" in reply.plain_text


async def test_two_users_at_once_do_not_share_state(harness: Harness) -> None:
    await asyncio.gather(
        answer_up_to_conditions(harness, 301, "Wider back", "Beginner (under a year)", "1"),
        answer_up_to_conditions(harness, 302, "Stronger back", "Advanced (3+ years)", "15"),
    )
    text_a, text_b = await asyncio.gather(
        finish(harness, 301, ["Disc hernia or protrusion (in remission)"]),
        finish(harness, 302, []),
    )
    assert "Disc hernia or protrusion:" in text_a and "Disc hernia" not in text_b
    assert "fewer than 8" in text_a and "fewer than 8" not in text_b
    assert "For strength, these go heavy" in text_b and "Barbell deadlift" in text_b


async def test_exercises_lists_the_library(harness: Harness) -> None:
    msgs = await harness.send(209, "/exercises", expect=3)
    text = "\n".join(m.plain_text for m in msgs)
    assert "Upper-back day" in text and "Vertical pulls" in text and "Warm-up" in text
    [tech] = await harness.press(209, "t:seated-cable-row")
    assert "Seated cable row" in tech.plain_text


async def test_every_onboarding_update_commits_once_and_finishing_is_one_commit(
    harness: Harness,
) -> None:
    # A crash between two commits of one update would leave the second never done, since the
    # journal marks the update committed with its first: each update must commit once.
    processor = harness.app.update_processor
    assert isinstance(processor, PerUserProcessor)
    journal = harness.app.bot_data.journal
    harness_user = 211
    await to_confirmation(harness, harness_user)
    await harness.standin.wait_for(lambda: journal.outstanding == 0, what="every answer done")
    before = Counter(processor.commits)
    await harness.press(harness_user, "Looks good", expect=2)
    await harness.standin.wait_for(lambda: journal.outstanding == 0, what="the finish done")
    assert processor.commits - before == Counter({1: 1}), "finishing is exactly one commit"
    assert not processor.split, "no onboarding update committed more than once"
    assert set(processor.commits) <= {0, 1}
    db = await Database.open(harness.db_path)
    try:
        issued = await Repo(db).current_program(211)
        saved = await db.one("SELECT COUNT(*) FROM conversations WHERE user_id = 211")
    finally:
        await db.close()
    assert issued is not None and saved is not None and saved[0] == 0, "finished in that commit"


async def test_a_typed_answer_closes_the_question_on_screen(harness: Harness) -> None:
    await answer_up_to_conditions(harness, 212, "Wider back", "Beginner (under a year)", "2")
    [q3] = await harness.press(212, "« Back")
    assert "6/13" in (q3.plain_text or "") and q3.buttons
    [q4] = await harness.send(212, "9")
    assert "7/13" in (q4.plain_text or "")
    await harness.standin.wait_for(
        lambda: "Strict pull-ups: 9" in (q3.plain_text or ""), what="the question closed"
    )
    assert not q3.buttons, "the answered question keeps no buttons to tap by mistake"


async def test_an_answer_whose_question_was_deleted_comes_as_a_new_message(
    harness: Harness,
) -> None:
    # A tap normally turns the question into the next one in place; if that message is gone
    # (deleted on the phone meanwhile, or too old to edit), the next question is sent instead.
    [first] = await harness.send(213, "/start")
    query = harness.standin.press_button(213, first.message_id, "None of these")
    first.deleted = True  # before the bot gets to edit it
    await harness.standin.wait_for_callback_answer(query, timeout=10)
    [pain] = await harness.new_messages(213)
    assert "2/13" in pain.plain_text and "✓ Warning signs: none" in pain.plain_text
    assert pain.buttons, "with its buttons"
    q3 = await harness.answer(213, "No, it doesn't hurt")
    assert q3.message_id == pain.message_id and "3/13" in q3.plain_text
