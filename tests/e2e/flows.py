"""Shared user journeys for end-to-end tests."""

from __future__ import annotations

from tests.e2e.conftest import Harness


async def answer_up_to_conditions(
    h: Harness, user: int, goal: str, level: str, pullups: str
) -> None:
    """Start and answer goal, level and pull-ups by tapping."""
    greeting, question = await h.send(user, "/start", expect=2)
    assert "not medical advice" in greeting.plain_text, "the disclaimer comes first"
    assert "1/10" in question.plain_text
    [q2] = await h.press(user, goal)
    assert "2/10" in q2.plain_text
    [q3] = await h.press(user, level)
    assert "3/10" in q3.plain_text
    [q4] = await h.press(user, pullups)
    assert "4/10" in q4.plain_text


async def finish(h: Harness, user: int, conditions: list[str]) -> str:
    """Tick conditions (or none), skip discomfort, full gym; return all the bot said after."""
    before = len(h.standin.messages(user))
    if conditions:
        for name in conditions:
            await h.tick(user, f"▫️ {name}")
        [q5] = await h.press(user, "Done")
    else:
        [q5] = await h.press(user, "None of these")
    assert "5/10" in q5.plain_text
    [q6] = await h.press(user, "None, skip this")
    assert "6/10" in q6.plain_text
    [after_gym] = await h.press(user, "Full gym")
    if "7/10" in after_gym.plain_text:  # not referred: the schedule questions
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
    [q8] = await h.press(user, "Done")
    assert "8/10" in q8.plain_text
    [q9] = await h.press(user, at)
    assert "9/10" in q9.plain_text
    [q10] = await h.send(user, city)
    assert "10/10" in q10.plain_text and "next two weeks" in q10.plain_text
    await h.press(user, "Looks good")


async def onboard(
    h: Harness,
    user: int,
    days: tuple[str, ...] = ("Mon", "Thu"),
    at: str = "18:00",
    city: str = "Berlin",
) -> None:
    """A healthy intermediate lifter goes through the whole set-up."""
    await answer_up_to_conditions(h, user, "Wider back", "Intermediate (1-3 years)", "10")
    await h.press(user, "None of these")
    await h.press(user, "None, skip this")
    await h.press(user, "Full gym")
    await set_schedule(h, user, days, at, city)
    await h.standin.wait_for(
        lambda: "shows the next two weeks" in h.last(user).plain_text,
        timeout=15,
        what="the first session",
    )
    h.seen[user] = len(h.standin.messages(user))
