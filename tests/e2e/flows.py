"""Shared user journeys for end-to-end tests."""

from __future__ import annotations

from standin import SentMessage
from tests.e2e.conftest import Harness


async def answer_up_to_conditions(
    h: Harness, user: int, goal: str, level: str, pullups: str
) -> None:
    """Start and answer goal, level and pull-ups by tapping."""
    [first] = await h.send(user, "/start")
    text = first.plain_text
    assert "not medical advice" in text, "the greeting carries the disclaimer"
    assert "1/13" in text and "safety" in text, "and the first question"
    assert text.index("not medical advice") < text.index("1/13"), "the disclaimer comes first"
    await clear_triage(h, user)
    q2 = await h.answer(user, goal)
    assert "5/13" in q2.plain_text and f"Goal: {goal}" in q2.plain_text
    q3 = await h.answer(user, level)
    assert "6/13" in q3.plain_text
    q4 = await h.answer(user, pullups)
    assert "7/13" in q4.plain_text and f"Strict pull-ups: {pullups}" in q4.plain_text


async def clear_triage(h: Harness, user: int) -> None:
    """No warning signs, no pain today, nothing on the health check: the goal question next."""
    pain = await h.answer(user, "None of these")
    assert "2/13" in pain.plain_text and "hurt today" in pain.plain_text
    assert "✓ Warning signs: none" in pain.plain_text, "the answer stays on screen"
    health = await h.answer(user, "No, it doesn't hurt")
    assert "3/13" in health.plain_text and "Back pain today: no" in health.plain_text
    goal = await h.answer(user, "None of these")
    assert "4/13" in goal.plain_text and "What do you want most" in goal.plain_text
    assert "Health check: all clear" in goal.plain_text


async def finish(h: Harness, user: int, conditions: list[str]) -> str:
    """Tick conditions (or none), skip discomfort, full gym; return all the bot said after.

    A referring condition ends the set-up right after the conditions question.
    """
    before = len(h.standin.messages(user))
    if conditions:
        for name in conditions:
            await h.tick(user, f"▫️ {name}")
        q5 = await h.answer(user, "Done")
    else:
        q5 = await h.answer(user, "None of these")
    if "8/13" in q5.plain_text:
        q6 = await h.answer(user, "None, skip this")
        assert "9/13" in q6.plain_text
        after_gym = await h.answer(user, "Full gym")
        if "10/13" in after_gym.plain_text:  # not referred: the schedule questions
            await set_schedule(h, user)
    await h.standin.wait_for(
        lambda: (
            "shows the next two weeks" in h.last(user).plain_text
            or "No back program" in h.text(user)
        ),
        timeout=15,
        what="the program and the first session",
    )
    h.seen[user] = len(h.standin.messages(user))
    return "\n".join(m.plain_text or "" for m in h.standin.messages(user)[before:])


async def set_schedule(
    h: Harness,
    user: int,
    days: tuple[str, ...] = ("Mon", "Thu"),
    at: str = "18:00",
    city: str = "Berlin",
) -> None:
    """Answer the schedule questions and confirm."""
    for day in days:
        await h.tick(user, f"▫️ {day}")
    q8 = await h.answer(user, "Done")
    assert "11/13" in q8.plain_text
    q9 = await h.answer(user, at)
    assert "12/13" in q9.plain_text
    [q10] = await h.send(user, city)
    assert "13/13" in q10.plain_text and "next two weeks" in q10.plain_text
    await h.press(user, "Looks good")


async def to_confirmation(h: Harness, user: int) -> SentMessage:
    """A healthy intermediate lifter answers everything up to 'Does this look right?'."""
    await answer_up_to_conditions(h, user, "Wider back", "Intermediate (1-3 years)", "10")
    await h.answer(user, "None of these")
    await h.answer(user, "None, skip this")
    await h.answer(user, "Full gym")
    for day in ("Mon", "Thu"):
        await h.tick(user, f"▫️ {day}")
    await h.answer(user, "Done")
    await h.answer(user, "18:00")
    [confirm] = await h.send(user, "Berlin")
    assert "13/13" in confirm.plain_text and "next two weeks" in confirm.plain_text
    return confirm


async def onboard(
    h: Harness,
    user: int,
    days: tuple[str, ...] = ("Mon", "Thu"),
    at: str = "18:00",
    city: str = "Berlin",
) -> None:
    """A healthy intermediate lifter goes through the whole set-up."""
    await answer_up_to_conditions(h, user, "Wider back", "Intermediate (1-3 years)", "10")
    await h.answer(user, "None of these")
    await h.answer(user, "None, skip this")
    await h.answer(user, "Full gym")
    await set_schedule(h, user, days, at, city)
    await h.standin.wait_for(
        lambda: "shows the next two weeks" in h.last(user).plain_text,
        timeout=15,
        what="the first session",
    )
    h.seen[user] = len(h.standin.messages(user))


async def start_and_check(
    h: Harness, user: int, feeling: str = "Fine", expect: int = 1
) -> list[SentMessage]:
    """Tap Start on the reminder and answer the back check; return what the bot sends next."""
    [check] = await h.press(user, "Start")
    assert "how is your back today?" in check.plain_text
    return await h.press(user, feeling, expect=expect)
