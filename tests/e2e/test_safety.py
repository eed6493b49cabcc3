"""Safety end to end: triage, referrals on every command, the back check, the pain button,
free logging of a ruled-out lift, Train now and the rest rule, check-ins."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.sessions import PauseReason, SessionStatus
from bot.domain.targets import Target
from bot.tg.safety import send_checkins
from tests.e2e.conftest import Harness
from tests.e2e.flows import answer_up_to_conditions, finish, onboard, start_and_check
from tests.e2e.safety_steps import MON_18_BERLIN, reminder_at, rows, tap_done


@pytest.fixture
def rest_scale() -> float:
    """Rest timers fire fast enough not to get in the way."""
    return 0.01


async def test_a_red_flag_ends_onboarding_with_the_urgent_message(harness: Harness) -> None:
    h, u = harness, 601
    [question] = await h.send(u, "/start")  # the greeting with the first question
    assert "1/13" in question.plain_text and "Numbness or tingling in your groin" in (
        question.plain_text
    )
    await h.tick(u, "▫️ New bladder or bowel trouble")
    [urgent] = await h.press(u, "Done")
    text = urgent.plain_text
    assert "Please get medical help" in text and "urgent care" in text
    assert "not a doctor" in text and "/start" in text
    assert "2/13" not in h.text(u) and "What do you want most" not in h.text(u)
    for command in ("/today", "/schedule", "/program"):
        [reply] = await h.send(u, command)
        assert "Please get medical help" in reply.plain_text, command
    assert await h.app.bot_data.schedules.schedule(u) is None, "no schedule, no reminders"
    # Once seen by a doctor, /start goes through the questions again.
    [again] = await h.send(u, "/start")
    assert "1/13" in again.plain_text


async def test_pain_today_refers_and_offers_a_check_in(harness: Harness) -> None:
    h, u = harness, 602
    await h.send(u, "/start")
    pain_q = await h.answer(u, "None of these")
    assert "hurt today" in pain_q.plain_text
    [referral] = await h.press(u, "Yes, it hurts today")
    assert "No back program for now" in referral.plain_text
    assert "can make it worse" in referral.plain_text and "/start" in referral.plain_text
    [ok] = await h.press(u, "Check in with me in 3 days")
    assert "check in with you in 3 days" in ok.plain_text
    h.clock.now += timedelta(days=2)
    assert await send_checkins(h.app) == 0, "not yet"
    await h.restart()  # the check-in lives in SQLite, not in memory
    h.clock.now += timedelta(days=1, minutes=1)
    assert await send_checkins(h.app) == 1
    [checkin] = await h.new_messages(u)
    assert "How is it now?" in checkin.plain_text and "/start" in checkin.plain_text
    assert await send_checkins(h.app) == 0, "sent once"


async def test_the_health_check_refers_before_the_goal(harness: Harness) -> None:
    h, u = harness, 603
    await h.send(u, "/start")
    await h.answer(u, "None of these")
    await h.answer(u, "No, it doesn't hurt")
    await h.tick(u, "▫️ Chest pain")
    [referral] = await h.press(u, "Done")
    assert "doctor should agree" in referral.plain_text
    assert "What do you want most" not in h.text(u)


async def test_a_referred_user_gets_no_session_schedule_or_reminder(harness: Harness) -> None:
    h, u = harness, 604
    await answer_up_to_conditions(h, u, "Healthy back", "Beginner (under a year)", "0")
    text = await finish(h, u, ["Recent back injury"])
    assert "No back program for now" in text and "Day 1" not in text
    assert "fresh back injury" in text, "the condition's own reason and advice are shown"
    [today] = await h.send(u, "/today")
    assert "No back program for now" in today.plain_text and not today.buttons
    [schedule] = await h.send(u, "/schedule")
    assert "No back program for now" in schedule.plain_text and not schedule.buttons
    assert "1/4" not in h.text(u), "no schedule set-up for a program that isn't there"
    # A forged Train now button or back-check answer gets the same answer, never a session.
    for data in ("n:now", "b:f:-"):
        msg = h.last(u)
        msg.reply_markup = {"inline_keyboard": [[{"text": "Forged", "callback_data": data}]]}
        h.standin.press_button(u, msg.message_id, "Forged")
        [reply] = await h.new_messages(u)
        assert "No back program for now" in reply.plain_text
    assert await h.app.bot_data.workouts.active(u) is None
    assert await h.app.bot_data.schedules.open_session(u) is None


async def test_hernia_free_logging_a_deadlift_is_logged_with_a_caution(harness: Harness) -> None:
    h, u = harness, 605
    await answer_up_to_conditions(h, u, "Stronger back", "Intermediate (1-3 years)", "10")
    await finish(h, u, ["Disc hernia or protrusion (in remission)"])
    [reply] = await h.send(u, "deadlift 5x5 100")
    text = reply.plain_text
    assert "Barbell deadlift: 5x5 @ 100 kg (logged)" in text
    assert "ruled out for you" in text and "disc hernia" in text
    assert "weight pressing down through your spine" in text and "axial" not in text
    assert "won't suggest weights" in text
    assert await rows(h, "SELECT COUNT(*) FROM set_logs WHERE user_id = ?", u) == 5
    assert await rows(h, "SELECT COUNT(*) FROM targets WHERE exercise_id = 'deadlift'") == 0
    # An allowed machine row gets no caution.
    [ok] = await h.send(u, "seated cable row 3x10 40")
    assert "ruled out" not in ok.plain_text
    # /exercises marks the deadlift as not for this user, with the reason.
    msgs = await h.send(u, "/exercises", expect=3)
    lower = next(m for m in msgs if "Lower and middle back day" in m.plain_text)
    assert "Not for you" in lower.plain_text and "Barbell deadlift ⛔" in lower.plain_text
    assert any(b.text == "⛔ Barbell deadlift" for row in lower.buttons for b in row)
    # Swap on the assisted pull-up names the ruled-out pull-ups, and never offers them.
    h.clock.now = MON_18_BERLIN
    await h.app.bot_data.runner.tick()
    await h.new_messages(u)
    await start_and_check(h, u)
    card = await tap_done(h, u, 3)
    assert "Assisted pull-up" in card.plain_text
    [swap] = await h.press(u, "Swap")
    assert "Not for you" in swap.plain_text and "Wide-grip pull-up" in swap.plain_text
    offered = [b.text for row in swap.buttons for b in row]
    assert offered and not any(
        "pull-up" in t.lower() and "assisted" not in t.lower() for t in offered
    )


async def test_back_check_fine_stiff_and_hurts(harness: Harness) -> None:
    h, u = harness, 606
    await onboard(h, u)
    # A known working weight for the pulldown, as after an earlier session.
    await h.app.bot_data.workouts.set_target(
        u, "lat-pulldown-chest", Target(50.0, 6, 12, 0, ""), MON_18_BERLIN
    )
    # Monday: a bit stiff: the same exercises, lighter, and the card says why.
    await reminder_at(h, u, MON_18_BERLIN)
    note, card = await start_and_check(h, u, "A bit stiff", expect=2)
    assert "lighter session" in note.plain_text and "Easy cardio" in card.plain_text
    await tap_done(h, u, 3)
    await h.send(u, "4x10", expect=2)  # the pull-ups
    card = h.last(u)
    assert "Wide-grip lat pulldown to the chest" in card.plain_text
    assert "@ 40 kg" in card.plain_text and "Stiff back" in card.plain_text
    await h.send(u, "4x12 40", expect=2)  # the top of the range: a normal day would add weight
    [summary] = await h.press(u, "End session")
    assert "same target as before" in summary.plain_text
    target = await h.app.bot_data.workouts.target(u, "lat-pulldown-chest")
    assert target is not None and target.weight_kg == 50, "a light day never changes targets"
    # Thursday: it hurts: no session, moved under the rest rule, with advice.
    await reminder_at(h, u, MON_18_BERLIN + timedelta(days=3))
    [rest] = await start_and_check(h, u, "It hurts")
    assert "No training today" in rest.plain_text and "moved" in rest.plain_text
    assert "doctor" in rest.plain_text and "Next:" in rest.plain_text
    nxt = await h.app.bot_data.schedules.open_session(u)
    assert nxt is not None and nxt.on > date(2026, 11, 26) and nxt.kind.value == "lower"
    [today] = await h.send(u, "/today")
    assert "hurt earlier today" in today.plain_text and not today.buttons, "no Train now either"
    # The next check also hurts: 2 of the last 3, so see a doctor and re-screen.
    await reminder_at(h, u, datetime.combine(nxt.on, MON_18_BERLIN.time(), UTC))
    [again] = await start_and_check(h, u, "It hurts")
    assert "2 of your last 3" in again.plain_text and "/settings" in again.plain_text
    checks = await h.app.bot_data.safety.store.back_checks(u)
    assert [f.value for _, f in checks] == ["stiff", "hurts", "hurts"]
    assert [d.isoformat() for d, _ in checks][:2] == ["2026-11-23", "2026-11-26"]


async def test_a_warning_sign_at_the_back_check_pauses_until_cleared(harness: Harness) -> None:
    h, u = harness, 607
    await onboard(h, u)
    await reminder_at(h, u, MON_18_BERLIN)
    [urgent] = await start_and_check(h, u, "A warning sign (see above)")
    assert "Please get medical help" in urgent.plain_text and "/resume" in urgent.plain_text
    saved = await h.app.bot_data.schedules.schedule(u)
    assert saved is not None and saved.paused is PauseReason.MEDICAL
    h.clock.now = MON_18_BERLIN + timedelta(days=3)
    assert await h.app.bot_data.runner.tick() == 0, "no reminders while paused"
    [today] = await h.send(u, "/today")
    assert "/resume" in today.plain_text
    [resume] = await h.send(u, "/resume")
    assert "doctor" in resume.plain_text
    [cleared] = await h.press(u, "A doctor has cleared me")
    assert "Reminders are on again" in cleared.plain_text
    saved = await h.app.bot_data.schedules.schedule(u)
    assert saved is not None and saved.paused is None


async def test_the_pain_button_stops_swaps_and_after_twice_leaves_it_out(harness: Harness) -> None:
    h, u = harness, 608
    await onboard(h, u)
    await reminder_at(h, u, MON_18_BERLIN)
    await start_and_check(h, u)
    card = await tap_done(h, u, 3)
    assert "Wide-grip pull-up" in card.plain_text
    assert any(b.text == "🛑 It hurts" for row in card.buttons for b in row)
    [stopped] = await h.press(u, "🛑 It hurts")
    assert "stopped" in stopped.plain_text and "hurt" in stopped.plain_text
    labels = [b.text for row in stopped.buttons for b in row]
    assert "End the session" in labels and "Go on to the next exercise" in labels
    swaps = [t for t in labels if t.startswith("Do ")]
    assert swaps and not any("pull-up" in t.lower() or "pulldown" in t.lower() for t in swaps), (
        "a swap avoids the painful pattern (vertical pulls)"
    )
    data = next(b.callback_data for row in stopped.buttons for b in row if b.text == swaps[0])
    [swapped] = await h.press(u, swaps[0])
    assert swaps[0].removeprefix("Do ").removesuffix(" instead") in swapped.plain_text
    assert await rows(h, "SELECT COUNT(*) FROM pain_reports WHERE user_id = ?", u) == 1
    # The same pain-swap button again (an old copy of the message) adds nothing twice.
    stopped.reply_markup = {"inline_keyboard": [[{"text": "Again", "callback_data": data}]]}
    h.standin.press_button(u, stopped.message_id, "Again")
    [where] = await h.new_messages(u)
    assert swaps[0].removeprefix("Do ").removesuffix(" instead") in where.plain_text
    workout = await h.app.bot_data.workouts.active(u)
    assert workout is not None and len(workout.items) == 12, "one exercise added, once"
    # Thursday's session: the lower day. Next Monday the pull-up hurts again.
    await h.press(u, "End session")
    await reminder_at(h, u, MON_18_BERLIN + timedelta(days=3))
    await start_and_check(h, u)
    await h.press(u, "End session")
    await reminder_at(h, u, MON_18_BERLIN + timedelta(days=7))
    await start_and_check(h, u)
    await tap_done(h, u, 3)
    stopped, ask = await h.press(u, "🛑 It hurts", expect=2)
    assert "hurt you 2 times" in ask.plain_text
    [done] = await h.press(u, "Yes, leave it out")
    assert "left out from now on" in done.plain_text
    program = await h.app.bot_data.repo.current_program(u)
    assert program is not None and "pullup-wide" in program.profile.excluded
    assert program.version == 2
    assert all(p.exercise.id != "pullup-wide" for d in program.plan.days for p in d.exercises)


async def test_train_now_keeps_three_days_of_rest(harness: Harness) -> None:
    h, u = harness, 609
    await onboard(h, u)
    await reminder_at(h, u, MON_18_BERLIN)
    await start_and_check(h, u)
    await h.press(u, "End session")
    # Tuesday: the day after a session: nothing fits, and the user is told when it does.
    h.clock.now = MON_18_BERLIN + timedelta(days=1)
    [reply] = await h.send(u, "/today")
    assert "1 day ago" in reply.plain_text and "Thursday 26 November" in reply.plain_text
    assert not reply.buttons, "no Train now the day after a session"
    # A forged Train now on Tuesday is refused too.
    reply.reply_markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "n:now"}]]}
    h.standin.press_button(u, reply.message_id, "Go")
    [refused] = await h.new_messages(u)
    assert "needs at least 3 days" in refused.plain_text
    # Thursday's session is missed; on Friday the lower day fits and counts for the plan.
    h.clock.now = MON_18_BERLIN + timedelta(days=4)
    await h.app.bot_data.runner.tick()
    h.seen[u] = len(h.standin.messages(u))
    [offer] = await h.send(u, "/today")
    assert "Train now: lower and middle back" in [b.text for row in offer.buttons for b in row]
    [check] = await h.press(u, "Train now: lower and middle back")
    assert "how is your back today?" in check.plain_text
    [card] = await h.press(u, "Fine")
    assert "Cat-cow" in card.plain_text or "Easy cardio" in card.plain_text
    workout = await h.app.bot_data.workouts.active(u)
    assert workout is not None and workout.kind.value == "lower"
    nxt = await h.app.bot_data.schedules.open_session(u)
    assert nxt is not None and nxt.kind.value == "upper" and nxt.on >= date(2026, 11, 30)
    sessions = await h.app.bot_data.schedules.history(u, limit=50)
    assert not [s for s in sessions if s.status is SessionStatus.DONE and s.on.day == 27]


async def refer(h: Harness, u: int, kind: str) -> None:
    """Go through set-up with one referring answer."""
    await h.send(u, "/start")
    if kind == "red-flag":
        await h.tick(u, "▫️ New or spreading leg weakness")
        await h.press(u, "Done")
        return
    await h.answer(u, "None of these")
    if kind == "pain":
        await h.press(u, "Yes, it hurts today")
        return
    if kind == "health":
        await h.answer(u, "No, it doesn't hurt")
        await h.tick(u, "▫️ Heart condition or high blood pressure")
        await h.press(u, "Done")
        return
    await h.answer(u, "No, it doesn't hurt")
    await h.answer(u, "None of these")
    await h.answer(u, "Wider back")
    await h.answer(u, "Advanced (3+ years)")
    await h.answer(u, "12")
    await finish(h, u, [kind])


@pytest.mark.parametrize(
    "kind",
    [
        "red-flag",
        "pain",
        "health",
        "Recent back injury",
        "Flare-up of a chronic condition",
        "Marked or progressing scoliosis",
    ],
)
async def test_no_command_or_button_gives_a_referred_user_a_session(
    harness: Harness, kind: str
) -> None:
    h, u = harness, 620
    await refer(h, u, kind)
    assert "No back program" in h.text(u) or "Please get medical help" in h.text(u)
    for command in ("/today", "/schedule", "/program", "/resume", "/pause", "/history"):
        await h.send(u, command)
    for data in ("n:now", "b:f:-", "b:s:-", "s:change", "c:ok", "w:1:0:d"):
        msg = h.last(u)
        msg.reply_markup = {"inline_keyboard": [[{"text": "Forged", "callback_data": data}]]}
        query = h.standin.press_button(u, msg.message_id, "Forged")
        await h.standin.wait_for_callback_answer(query, timeout=10)
    await h.send(u, "deadlift 5x5 100")
    await h.restart()
    await h.send(u, "/today")
    said = h.text(u)
    assert "Target:" not in said and "how is your back today?" not in said
    assert "Which days of the week" not in said, "no schedule set-up"
    assert await h.app.bot_data.workouts.active(u) is None
    assert await h.app.bot_data.schedules.open_session(u) is None
    assert "for now" in h.last(u).plain_text or "medical help" in h.last(u).plain_text


async def test_an_old_or_repeated_back_check_never_starts_a_session(harness: Harness) -> None:
    h, u = harness, 621
    await onboard(h, u)
    await reminder_at(h, u, MON_18_BERLIN)
    [first] = await h.press(u, "Start")
    [second] = await h.send(u, "/today")
    assert "how is your back today?" in first.plain_text and "Warning signs are" in (
        second.plain_text
    )
    [rest] = await h.press(u, "It hurts", message=first)
    assert "No training today" in rest.plain_text and "moved" in rest.plain_text
    [refused] = await h.press(u, "Fine", message=second)
    assert "hurt earlier today" in refused.plain_text
    assert await h.app.bot_data.workouts.active(u) is None, "no session after 'It hurts'"
    # Thursday: a session is done; a leftover 'Fine' afterwards starts no second one.
    h.clock.now = MON_18_BERLIN + timedelta(days=1)
    nxt = await h.app.bot_data.schedules.open_session(u)
    assert nxt is not None
    await reminder_at(h, u, datetime.combine(nxt.on, MON_18_BERLIN.time(), UTC))
    [check] = await h.press(u, "Start")
    [spare] = await h.send(u, "/today")
    await h.press(u, "Fine", message=check)
    await h.press(u, "End session")
    [refused] = await h.press(u, "Fine", message=spare)
    assert "already trained your back today" in refused.plain_text
    workouts = await h.app.bot_data.workouts.recent(u, limit=5)
    assert len(workouts) == 1, "one session a day"
