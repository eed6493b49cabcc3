"""Reminders end to end with a controllable clock: local time, answers, restarts, blocks, scale."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.calendar import Schedule
from bot.domain.models import Goal, Level, Profile
from bot.domain.programs import build_plan
from bot.domain.sessions import PauseReason, SessionStatus
from bot.tg.ratelimit import Limits, PacedRateLimiter
from standin import FloodLimits, SentMessage
from tests.e2e.conftest import Harness
from tests.e2e.flows import onboard, start_and_check

# The harness clock starts Monday 23 Nov 2026, 08:00 UTC (09:00 in Berlin, UTC+1 in winter).
MON_18_BERLIN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


async def at(h: Harness, moment: datetime) -> int:
    """Move the clock and run the reminder job once; return how many reminders went out."""
    h.clock.now = moment
    return await h.app.bot_data.runner.tick()


async def reminder(h: Harness, user: int) -> SentMessage:
    [msg] = await h.new_messages(user)
    assert "Time for your" in msg.plain_text, msg.plain_text
    return msg


async def test_reminder_arrives_at_the_local_time_with_four_buttons(harness: Harness) -> None:
    await onboard(harness, 401)
    assert await at(harness, MON_18_BERLIN - timedelta(seconds=30)) == 0
    assert await at(harness, MON_18_BERLIN) == 1
    msg = await reminder(harness, 401)
    assert "upper-back session (Mon 23 Nov, 18:00)" in msg.plain_text
    assert "Wide-grip pull-up" in msg.plain_text
    assert [b.text for row in msg.buttons for b in row] == ["Start", "Snooze 1 h", "Skip", "Move"]
    assert await at(harness, MON_18_BERLIN + timedelta(minutes=5)) == 0, "sent once only"


async def test_snooze_reminds_again_an_hour_later(harness: Harness) -> None:
    await onboard(harness, 402)
    await at(harness, MON_18_BERLIN)
    first = await reminder(harness, 402)
    query = harness.standin.press_button(402, first.message_id, "Snooze 1 h")
    await harness.standin.wait_for_callback_answer(query)
    await harness.standin.wait_for(lambda: "Snoozed until 19:00" in (first.plain_text or ""))
    assert not first.buttons, "the answered reminder loses its buttons"
    assert await at(harness, MON_18_BERLIN + timedelta(minutes=59)) == 0
    assert await at(harness, MON_18_BERLIN + timedelta(hours=1)) == 1
    again = await reminder(harness, 402)
    assert "upper-back" in again.plain_text


async def test_skip_keeps_the_alternation_and_the_rest_rule(harness: Harness) -> None:
    await onboard(harness, 403)
    await at(harness, MON_18_BERLIN)
    await reminder(harness, 403)
    [nxt] = await harness.press(403, "Skip")
    assert "Next: Thu 26 Nov at 18:00, upper-back day" in nxt.plain_text
    assert await at(harness, MON_18_BERLIN + timedelta(days=3)) == 1
    assert "upper-back" in (await reminder(harness, 403)).plain_text


async def train(h: Harness, user: int) -> None:
    """Start, pass the back check, log one set and end: a session that counts."""
    [card] = await start_and_check(h, user)
    while "Tap Done when" in card.plain_text:  # warm-ups are ticked off
        [card] = await h.press(user, "Done")
    await h.send(user, "10 @ 40", expect=2)
    [summary] = await h.press(user, "End session")
    assert "ended early" in summary.plain_text and "No sets were logged" not in summary.plain_text


async def test_start_then_move_offers_only_rested_days(harness: Harness) -> None:
    await onboard(harness, 404)
    await at(harness, MON_18_BERLIN)
    await reminder(harness, 404)
    await train(harness, 404)  # a set logged, so it counts
    nxt = await harness.app.bot_data.schedules.open_session(404)
    assert nxt is not None and (nxt.on, nxt.kind.value) == (date(2026, 11, 26), "lower")
    # Thursday's reminder; the user wants to move it.
    await at(harness, MON_18_BERLIN + timedelta(days=3))
    await reminder(harness, 404)
    [options] = await harness.press(404, "Move")
    labels = [b.text for row in options.buttons for b in row]
    assert "Tue 24 Nov" not in labels and "Wed 25 Nov" not in labels, "too soon after Monday"
    assert "Thu 26 Nov" not in labels, "the day it is already on"
    assert "Fri 27 Nov" in labels and "Sat 28 Nov" in labels
    [moved] = await harness.press(404, "Sat 28 Nov")
    assert "Next: Sat 28 Nov at 18:00, lower- and middle-back day" in moved.plain_text
    assert await at(harness, MON_18_BERLIN + timedelta(days=4)) == 0, "nothing on Friday"
    assert await at(harness, MON_18_BERLIN + timedelta(days=5)) == 1
    assert "lower- and middle-back" in (await reminder(harness, 404)).plain_text


async def test_moving_shifts_the_following_sessions(harness: Harness) -> None:
    await onboard(harness, 405)
    await at(harness, MON_18_BERLIN)
    await reminder(harness, 405)
    await harness.press(405, "Move")
    [moved] = await harness.press(405, "Tue 24 Nov")
    assert "Tue 24 Nov" in moved.plain_text
    await at(harness, MON_18_BERLIN + timedelta(days=1))
    await reminder(harness, 405)
    await start_and_check(harness, 405)
    # Done on Tuesday: Thursday is too soon, so the next chosen day is the following Monday.
    nxt = await harness.app.bot_data.schedules.open_session(405)
    assert nxt is not None and (nxt.on, nxt.kind.value) == (date(2026, 11, 30), "lower")
    sessions = await harness.app.bot_data.schedules.history(405)
    done = [s.on for s in sessions if s.status is SessionStatus.DONE]
    assert done == [date(2026, 11, 24)]


async def test_a_reminder_missed_while_down_is_sent_once_after_restart(harness: Harness) -> None:
    await onboard(harness, 406)
    await harness.stop()
    harness.clock.now = MON_18_BERLIN + timedelta(hours=1, minutes=30)  # 90 min late
    await harness.start()  # its first job run may already send it
    await at(harness, harness.clock.now)
    assert "upper-back" in (await reminder(harness, 406)).plain_text
    assert await at(harness, harness.clock.now + timedelta(minutes=1)) == 0
    assert len([m for m in harness.standin.messages(406) if "Time for" in m.plain_text]) == 1


async def test_a_reminder_too_late_after_downtime_is_recorded_as_missed(harness: Harness) -> None:
    await onboard(harness, 407)
    await harness.stop()
    harness.clock.now = MON_18_BERLIN + timedelta(hours=3)
    await harness.start()
    await at(harness, harness.clock.now)
    assert not any("Time for" in m.plain_text for m in harness.standin.messages(407))
    history = await harness.app.bot_data.schedules.history(407)
    assert history[1].status is SessionStatus.MISSED
    nxt = history[0]
    assert (nxt.status, nxt.on, nxt.kind.value) == (
        SessionStatus.PLANNED,
        date(2026, 11, 26),
        "upper",
    )


async def test_a_crash_between_claiming_and_recording_never_sends_twice(harness: Harness) -> None:
    await onboard(harness, 408)
    harness.clock.now = MON_18_BERLIN
    # The sender claimed the reminder, started sending it (perhaps it went out), then died.
    claimed = await harness.app.bot_data.schedules.claim_due(MON_18_BERLIN, 10)
    assert [s.user_id for s in claimed] == [408]
    await harness.app.bot_data.reminders.attempting(claimed[0], MON_18_BERLIN)
    await harness.restart()
    assert await at(harness, MON_18_BERLIN + timedelta(minutes=1)) == 0
    history = await harness.app.bot_data.schedules.history(408)
    assert history[0].status is SessionStatus.REMINDED


async def test_a_crash_after_claiming_but_before_sending_sends_it_once(harness: Harness) -> None:
    await onboard(harness, 414)
    harness.clock.now = MON_18_BERLIN
    # Claimed as part of a batch, but the process died before this one's send began.
    claimed = await harness.app.bot_data.schedules.claim_due(MON_18_BERLIN, 10)
    assert [s.user_id for s in claimed] == [414]
    await harness.restart()
    assert await at(harness, MON_18_BERLIN + timedelta(minutes=1)) == 1
    await reminder(harness, 414)
    assert await at(harness, MON_18_BERLIN + timedelta(minutes=2)) == 0, "and only once"


async def test_a_user_who_blocked_the_bot_gets_paused_not_retried(harness: Harness) -> None:
    await onboard(harness, 409)
    harness.standin.block_bot(409)
    assert await at(harness, MON_18_BERLIN) == 0
    saved = await harness.app.bot_data.schedules.schedule(409)
    assert saved is not None and saved.paused is PauseReason.BLOCKED
    attempts = harness.standin.stats()["requests"].get("sendMessage", 0)
    for hours in (1, 24, 72):
        assert await at(harness, MON_18_BERLIN + timedelta(hours=hours)) == 0
    assert harness.standin.stats()["requests"].get("sendMessage", 0) == attempts, "no retries"
    harness.standin.block_bot(409, blocked=False)
    [back] = await harness.send(409, "/resume")
    assert "Reminders are on" in back.plain_text and "Next:" in back.plain_text


async def test_pause_and_resume(harness: Harness) -> None:
    await onboard(harness, 410)
    [paused] = await harness.send(410, "/pause")
    assert "paused" in paused.plain_text
    assert await at(harness, MON_18_BERLIN) == 0
    [cal] = await harness.send(410, "/schedule")
    assert "paused" in cal.plain_text and "Monday and Thursday at 18:00" in cal.plain_text
    harness.clock.now = MON_18_BERLIN + timedelta(hours=5)  # Monday 23:00 in Berlin
    [resumed] = await harness.send(410, "/resume")
    assert "Next: Thu 26 Nov at 18:00, upper-back day" in resumed.plain_text


async def test_rest_rule_holds_through_a_mix_of_answers(harness: Harness) -> None:
    await onboard(harness, 411, days=("Mon", "Fri"))
    moment = MON_18_BERLIN
    for action in ["Start", "Skip", "Start", "Snooze 1 h", "Start", "Start", "Skip", "Start"]:
        for _ in range(14):  # find the next reminder within two weeks
            if await at(harness, moment):
                break
            moment += timedelta(days=1)
        msg = await reminder(harness, 411)
        if action == "Snooze 1 h":
            query = harness.standin.press_button(411, msg.message_id, action)
            await harness.standin.wait_for_callback_answer(query)
        elif action == "Start":
            await train(harness, 411)
        else:
            await harness.press(411, action)
        harness.seen[411] = len(harness.standin.messages(411))
        if action == "Snooze 1 h":
            moment += timedelta(hours=1)
            assert await at(harness, moment) == 1
            await reminder(harness, 411)
            await train(harness, 411)
            harness.seen[411] = len(harness.standin.messages(411))
    sessions = await harness.app.bot_data.schedules.history(411, limit=50)
    done = sorted((s.on, s.kind) for s in sessions if s.status is SessionStatus.DONE)
    assert len(done) >= 6
    for (a, kind_a), (b, kind_b) in itertools.pairwise(done):
        assert (b - a).days >= 3, f"{a} then {b}"
        assert kind_a is not kind_b, "upper and lower alternate"


async def many_users(h: Harness, count: int) -> list[int]:
    """Users with a program and a Mon/Thu 18:00 Berlin schedule, set up through the services."""
    data, now = h.app.bot_data, h.clock.now
    profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10)
    plan = build_plan(profile, h.library)
    schedule = Schedule(weekdays=frozenset({0, 3}), time=time(18, 0), timezone="Europe/Berlin")
    users = list(range(10_000, 10_000 + count))
    for uid in users:
        h.standin.user(uid)
        await data.repo.upsert_user(uid, uid, f"U{uid}", now)
        await data.repo.issue_program(uid, profile, plan, now)
        await data.reminders.set_schedule(uid, schedule, now)
    return users


async def test_a_thousand_reminders_due_in_the_same_second_are_all_sent(
    harness: Harness,
) -> None:
    # The design under test, not Telegram's ceiling: limits off, the bot's pace far above 28/s.
    harness.standin.set_limits(FloodLimits.disabled())
    users = await many_users(harness, 1000)
    jobs = harness.app.job_queue.jobs() if harness.app.job_queue else ()
    assert sorted(j.name or "" for j in jobs) == ["checkins", "reminders", "weekly-reports"], (
        "no job per user"
    )
    limiter = harness.app.bot.rate_limiter
    assert isinstance(limiter, PacedRateLimiter)
    limiter.limits = Limits(per_second=2000, per_chat_per_second=100, per_chat_burst=100)
    assert await at(harness, MON_18_BERLIN) == 1000
    assert {chat for _, chat, _ in harness.standin.sent_log} >= set(users)
    counts = await harness.app.bot_data.schedules.count_by_status()
    assert counts.get("reminded") == 1000 and "sending" not in counts and "planned" not in counts


@pytest.mark.real_limits
class TestScale:
    """Hundreds of users due in the same minute, against Telegram's real limits."""

    async def test_300_reminders_due_at_once_all_arrive_without_a_429(
        self, harness: Harness
    ) -> None:
        data = harness.app.bot_data
        users = await many_users(harness, 300)
        # Stagger due times by a second each, in reverse user order, to check the ordering.
        async with data.db.transaction() as conn:
            for i, uid in enumerate(reversed(users)):
                await conn.execute(
                    "UPDATE sessions SET due_ts = ? WHERE user_id = ?",
                    (int(MON_18_BERLIN.timestamp()) - 300 + i, uid),
                )
        harness.standin.sent_log.clear()
        sent = await at(harness, MON_18_BERLIN)
        assert sent == 300
        log = harness.standin.sent_log
        assert len(log) == 300
        assert harness.standin.flood_429_count == 0, harness.standin.stats()["flood_429"]
        order = [chat for _, chat, _ in log]
        swapped = [(i, a, b) for i, (a, b) in enumerate(itertools.pairwise(order)) if a < b]
        assert order == list(reversed(users)), f"in order of due time; swapped: {swapped}"
        times = [t for t, _, _ in log]
        in_any_second = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
        assert in_any_second <= 30


async def test_timezone_from_the_local_time_on_the_users_clock(harness: Harness) -> None:
    await onboard(harness, 413)
    await harness.send(413, "/schedule")
    await harness.press(413, "Change schedule")
    await harness.tick(413, "▫️ Tue")
    await harness.tick(413, "▫️ Fri")
    await harness.answer(413, "Done")
    await harness.answer(413, "07:00")
    # The harness clock says 08:00 UTC; the user's clock says 11:00, so UTC+3.
    problem, question = await harness.send(413, "11:00", expect=2)
    assert "Which of these" in problem.plain_text
    assert any(b.text == "Europe/Moscow" for row in question.buttons for b in row)
    confirm = await harness.answer(413, "Europe/Moscow")
    assert (
        "Tuesday and Friday at 07:00" in confirm.plain_text
        and "Europe/Moscow" in confirm.plain_text
    )
    saved, nxt = await harness.press(413, "Looks good", expect=2)
    assert "Schedule saved" in saved.plain_text and "Tue 24 Nov at 07:00" in nxt.plain_text
    session = await harness.app.bot_data.schedules.open_session(413)
    assert session is not None and session.due_at == datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
