"""/progress charts and the weekly report, end to end through the stand-in."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta

from bot.tg.progress import send_reports
from standin import SentMessage
from tests.e2e.conftest import START, Harness
from tests.e2e.flows import onboard, start_and_check

SUN_18_BERLIN = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def log_on(h: Harness, user: int, when: datetime, line: str) -> str:
    """Log a set outside a session at a given moment; return the bot's reply."""
    h.clock.now = when
    [ok] = await h.send(user, line)
    assert "(logged)" in ok.plain_text, ok.plain_text
    return ok.plain_text


def photo(msg: SentMessage) -> bytes:
    assert msg.method == "sendPhoto", msg.method
    data = msg.files[0].data
    assert data is not None
    return data


async def test_progress_with_nothing_logged_is_a_friendly_text(harness: Harness) -> None:
    h, u = harness, 701
    await onboard(h, u)
    [reply] = await h.send(u, "/progress")
    assert reply.method == "sendMessage"
    assert "Nothing to chart yet" in reply.plain_text and "/import" in reply.plain_text


async def test_exercise_charts_by_button_and_by_name_cached_until_new_data(
    harness: Harness,
) -> None:
    h, u = harness, 702
    await onboard(h, u)
    await log_on(h, u, START, "deadlift 5x5 100")
    await log_on(h, u, START + timedelta(days=3), "deadlift 5x5 105")
    await log_on(h, u, START + timedelta(days=3), "seated cable row 3x12 50")
    [menu] = await h.send(u, "/progress")
    labels = [b.text for row in menu.buttons for b in row]
    assert labels[:2] == ["Barbell deadlift", "Seated cable row"]  # most logged first
    assert {"Weekly sets", "Weekly tonnage", "Back checks"} <= set(labels)

    actions_before = len(h.standin.chat_actions(u))
    [chart] = await h.press(u, "Barbell deadlift")
    assert png_size(photo(chart)) == (1080, 1080)
    assert "Barbell deadlift: 2 days logged, 1 record starred" in (chart.plain_text or "")
    actions = h.standin.chat_actions(u)[actions_before:]
    assert [a.action for a in actions] == ["upload_photo"]

    cache = h.app.bot_data.charts
    renders = cache.renders
    [again] = await h.send(u, "/progress deadlift")
    assert photo(again) == photo(chart) and cache.renders == renders  # same data: no redraw
    await log_on(h, u, START + timedelta(days=7), "deadlift 5x5 110")
    [newer] = await h.send(u, "/progress deadlift")
    assert cache.renders == renders + 1 and photo(newer) != photo(chart)
    assert "3 days logged, 2 records starred" in (newer.plain_text or "")


async def test_volume_and_back_check_charts(harness: Harness) -> None:
    h, u = harness, 703
    await onboard(h, u)
    await log_on(h, u, START, "deadlift 5x5 100")
    [vol] = await h.send(u, "/progress")
    [sets_chart] = await h.press(u, "Weekly sets", message=vol)
    assert png_size(photo(sets_chart)) == (1080, 1080)
    assert "5 working sets" in (sets_chart.plain_text or "")
    [tonnage] = await h.press(u, "Weekly tonnage", message=vol)
    assert png_size(photo(tonnage)) == (1080, 1080) and photo(tonnage) != photo(sets_chart)
    [no_checks] = await h.press(u, "Back checks", message=vol)
    assert no_checks.method == "sendMessage" and "No back checks yet" in no_checks.plain_text

    h.clock.now = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # Monday 18:00 in Berlin
    await h.app.bot_data.runner.tick()
    await h.new_messages(u)
    await start_and_check(h, u, "A bit stiff", expect=2)
    [checks] = await h.press(u, "Back checks", message=vol)
    assert png_size(photo(checks)) == (1080, 1080)
    assert "0 of 1 fine" in (checks.plain_text or "")


async def test_progress_for_an_unknown_exercise_offers_the_logged_ones(harness: Harness) -> None:
    h, u = harness, 704
    await onboard(h, u)
    await log_on(h, u, START, "deadlift 5x5 100")
    [reply] = await h.send(u, "/progress zumba")
    assert "no logged sets of one exercise called zumba" in reply.plain_text
    assert [b.text for b in reply.buttons[0]] == ["Barbell deadlift"]


async def test_weekly_report_on_sunday_at_reminder_time_and_opt_out(harness: Harness) -> None:
    h, u, v = harness, 705, 706
    await onboard(h, u)  # Mondays and Thursdays at 18:00, Berlin
    await onboard(h, v)
    await log_on(h, u, START - timedelta(days=7), "deadlift 5x5 100")  # the week before
    h.clock.now = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # Monday's session
    await h.app.bot_data.runner.tick()
    await h.new_messages(u)
    await h.new_messages(v)
    await start_and_check(h, u, "Fine")
    await h.press(u, "End session")
    await log_on(h, u, datetime(2026, 11, 24, 9, 0, tzinfo=UTC), "deadlift 5x5 105")

    # v turns the report off in /settings.
    first, _question = await h.send(v, "/settings", expect=2)
    [button] = [b.text for row in first.buttons for b in row]
    assert button == "Weekly report: on · turn off"
    await h.standin.wait_for_callback_answer(
        h.standin.press_button(v, first.message_id, button), timeout=10
    )
    await h.standin.wait_for(
        lambda: "off" in first.buttons[0][0].text.split("·")[0], timeout=10, what="the switch"
    )

    h.clock.now = SUN_18_BERLIN - timedelta(minutes=1)
    assert await send_reports(h.app) == 0  # not yet
    h.clock.now = SUN_18_BERLIN
    await send_reports(h.app)  # (the repeating job may get there first: either sends it)
    await h.standin.wait_for(lambda: len(reports(h, u)) == 1, timeout=10, what="the report")
    text = reports(h, u)[0].plain_text
    assert "Your week (Mon 23 Nov to Sun 29 Nov)" in text
    assert "Sessions: 1 of 2 planned" in text
    assert "Working sets: 5 (last week 5, +0)" in text
    assert "Volume: 2,625 kg (last week 2,500 kg, +125 kg)" in text
    assert "Barbell deadlift: New best estimated 1-rep max: 122.5 kg (105 kg x 5)" in text
    assert "Back checks: 1 fine, 0 a bit stiff, 0 hurting." in text
    assert "Next week: Mon 30 Nov (lower and middle back day), Thu 3 Dec" in text
    assert await send_reports(h.app) == 0  # never twice
    assert len(reports(h, u)) == 1 and reports(h, v) == []  # v turned it off
    h.clock.now = SUN_18_BERLIN + timedelta(days=7)
    await send_reports(h.app)
    await h.standin.wait_for(lambda: len(reports(h, u)) == 2, timeout=10, what="a week later")
    assert "Your week (Mon 30 Nov to Sun 6 Dec)" in reports(h, u)[1].plain_text
    assert reports(h, v) == []


def reports(h: Harness, user: int) -> list[SentMessage]:
    return [m for m in h.standin.messages(user) if "Your week" in (m.plain_text or "")]
