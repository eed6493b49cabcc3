"""Available days end to end: the calendar picks from them, and what is shown is what is saved."""

from __future__ import annotations

import itertools
import logging
import re
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from standin import SentMessage
from tests.e2e.conftest import Harness
from tests.e2e.flows import onboard, start_and_check

# The harness clock starts Monday 23 Nov 2026, 08:00 UTC (09:00 in Berlin).
MON_18_BERLIN = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
LINE = re.compile(r"• (\w{3} \d{1,2} \w{3}), (\d\d:\d\d): (upper|lower)")
ALL_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def sessions(msg: SentMessage) -> list[tuple[str, str, str]]:
    """(day, time, kind) of each session line in a calendar or preview."""
    return LINE.findall(msg.plain_text or "")


def day_of(label: str) -> date:
    return datetime.strptime(f"{label} 2026 +0000", "%a %d %b %Y %z").date()


async def change_schedule(
    h: Harness, user: int, days: tuple[str, ...], typed: str | None = None
) -> SentMessage:
    """Through /schedule: choose the available days, 18:00, the user's zone; return the preview.

    The days are ticked by button (untick the old Mon and Thu first) or typed.
    """
    await h.send(user, "/schedule")
    [question] = await h.press(user, "Change schedule")
    if typed is not None:
        await h.send(user, typed)
    else:
        ticked = {b.text[2:].strip() for row in question.buttons for b in row if "✅" in b.text}
        for day in sorted(ticked ^ set(days), key=ALL_DAYS.index):
            mark = "✅" if day in ticked else "▫️"
            await h.tick(user, f"{mark} {day}")
        await h.answer(user, "Done")
    await h.answer(user, "18:00")
    preview = await h.answer(user, "Use Europe/Berlin")
    assert "next two weeks" in preview.plain_text
    return preview


async def confirm_and_list(h: Harness, user: int) -> list[tuple[str, str, str]]:
    """Tap 'Looks good', then return the sessions /schedule lists."""
    await h.press(user, "Looks good", expect=2)
    [cal] = await h.send(user, "/schedule")
    return sessions(cal)


def check_calendar(found: list[tuple[str, str, str]], allowed: set[str], per_week: int) -> None:
    """The rules a user can see: their days, alternating kinds, 3+ days apart, never over."""
    days = [day_of(d) for d, _, _ in found]
    assert found and all(d[:3] in allowed for d, _, _ in found), found
    assert all(a[2] != b[2] for a, b in itertools.pairwise(found)), "upper and lower alternate"
    assert all((b - a).days >= 3 for a, b in itertools.pairwise(days)), "3 days of rest"
    weeks = [d.isocalendar().week for d in days]
    assert max(weeks.count(w) for w in set(weeks)) <= per_week


@pytest.mark.parametrize(
    ("days", "typed", "per_week", "says"),
    [
        (("Mon", "Wed", "Fri"), None, 2, "Two sessions a week"),
        (ALL_DAYS, "any day", 2, "Two sessions a week"),
        (("Wed",), None, 1, "once a week, every Wednesday"),
    ],
    ids=["mon-wed-fri", "all-seven", "one-day"],
)
async def test_available_days_are_never_refused(
    harness: Harness, days: tuple[str, ...], typed: str | None, per_week: int, says: str
) -> None:
    await onboard(harness, 501)
    preview = await change_schedule(harness, 501, days, typed)
    assert says in preview.plain_text, "the preview says how often the user will train"
    shown = sessions(preview)
    check_calendar(shown, set(days), per_week)
    assert await confirm_and_list(harness, 501) == shown, "what was shown is what is saved"


async def at(h: Harness, moment: datetime) -> int:
    h.clock.now = moment
    return await h.app.bot_data.runner.tick()


async def reminder(h: Harness, user: int) -> SentMessage:
    await h.standin.wait_for(
        lambda: "Time for your" in h.last(user).plain_text, timeout=10, what="a reminder"
    )
    h.seen[user] = len(h.standin.messages(user))
    return h.last(user)


async def answer(h: Harness, user: int, msg: SentMessage, button: str) -> None:
    query = h.standin.press_button(user, msg.message_id, button)
    await h.standin.wait_for_callback_answer(query, timeout=10)


@pytest.mark.parametrize("change", ["moved", "skipped", "snoozed", "trained"])
async def test_preview_is_what_is_saved_after_each_change(harness: Harness, change: str) -> None:
    h, u = harness, 502
    await onboard(h, u)
    await at(h, MON_18_BERLIN)
    msg = await reminder(h, u)
    if change == "moved":
        await answer(h, u, msg, "Move")
        [options] = await h.new_messages(u)
        await h.press(u, options.buttons[0][1].text, message=options)
    elif change == "skipped":
        await answer(h, u, msg, "Skip")
        await h.new_messages(u)
    elif change == "snoozed":
        await answer(h, u, msg, "Snooze 1 h")
    else:
        await start_and_check(h, u)
        await h.standin.wait_for(
            lambda: "Tap Done when" in h.last(u).plain_text, timeout=10, what="the first card"
        )
        h.seen[u] = len(h.standin.messages(u))
        for _ in range(3):  # cardio, mobility, warm-up sets
            await h.press(u, "Done")
        await h.send(u, "10 bw", expect=2)  # a set logged: the session counts
    await h.standin.wait_until_delivered(timeout=10)
    h.seen[u] = len(h.standin.messages(u))
    h.clock.now = MON_18_BERLIN + timedelta(minutes=5)
    shown = sessions(await change_schedule(h, u, ("Mon", "Wed", "Fri")))
    check_calendar(shown, {"Mon", "Wed", "Fri"}, 2)
    assert await confirm_and_list(h, u) == shown, "the preview is what was saved"
    first_day, first_time, first_kind = shown[0]
    if change != "trained":  # with a workout open, /today shows the workout
        [today] = await h.send(u, "/today")
        assert f"Next: {first_day} at {first_time}" in today.plain_text
    local = time.fromisoformat(first_time)
    due = datetime.combine(day_of(first_day), local, tzinfo=ZoneInfo("Europe/Berlin"))
    assert await at(h, due - timedelta(minutes=1)) == 0
    assert await at(h, due) == 1
    sent = await reminder(h, u)
    assert f"{first_kind}" in sent.plain_text and f"({first_day}, {first_time})" in sent.plain_text


async def test_a_snoozed_session_stays_listed_with_its_new_time(harness: Harness) -> None:
    h, u = harness, 503
    await onboard(h, u)
    [before] = await h.send(u, "/schedule")
    await at(h, MON_18_BERLIN)
    msg = await reminder(h, u)
    await answer(h, u, msg, "Snooze 1 h")
    await at(h, MON_18_BERLIN + timedelta(minutes=5))
    [after] = await h.send(u, "/schedule")
    listed = sessions(after)
    assert listed[0] == ("Mon 23 Nov", "19:00", "upper"), "still listed, at its new time"
    assert listed[1:] == sessions(before)[1 : len(listed)], "the rest is unchanged"
    assert await at(h, MON_18_BERLIN + timedelta(hours=1)) == 1
    again = await reminder(h, u)
    assert "upper-back session (Mon 23 Nov, 19:00)" in again.plain_text


async def test_a_schedule_left_without_a_session_gets_one_at_start_up(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    h, u = harness, 504
    await onboard(h, u)
    await h.stop()
    # What a crash inside the last set-up step could leave with older code.
    with sqlite3.connect(h.db_path) as conn:
        conn.execute("DELETE FROM sessions")
    with caplog.at_level(logging.WARNING):
        await h.start()
    assert "no planned session" in caplog.text
    await at(h, MON_18_BERLIN - timedelta(hours=1))
    [cal] = await h.send(u, "/schedule")
    assert sessions(cal)[0] == ("Mon 23 Nov", "18:00", "upper")
    assert await at(h, MON_18_BERLIN) == 1
    await reminder(h, u)
