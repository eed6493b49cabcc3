"""Every question the set-up can be on has its renderer, with Back from the second one on."""

from __future__ import annotations

from bot.domain.models import Goal, Level, Library
from bot.domain.onboarding import ORDER, SCHEDULE_ORDER, Answers, Step
from bot.tg import question_views


def test_every_question_has_a_renderer() -> None:
    assert set(question_views.RENDERERS) == set(ORDER)
    assert Step.DONE not in question_views.RENDERERS


def test_back_is_offered_from_the_second_question_on(library: Library) -> None:
    for schedule_only, order in ((False, ORDER), (True, SCHEDULE_ORDER)):
        for i, step in enumerate(order):
            answers = Answers(
                nonce="abc123",
                step=step,
                schedule_only=schedule_only,
                weekdays=(0, 3),
                reminder_time="18:00",
                timezone="Europe/Berlin",
            )
            view = question_views.question(answers, library)
            recap, _, question = view.text.rpartition(f"<b>{i + 1}/{len(order)}</b> · ")
            assert question, "the question is numbered"
            # The answers so far stand above it, one line each, so a tap can edit the
            # message into the next question and the chat still shows what was answered.
            # The disclaimer heads each one: answers edit the greeting's message on in place.
            assert recap.startswith("<i>BackCoach gives general training advice, not medical")
            assert recap.count("✓ ") == i
            assert view.keyboard is not None
            labels = [b.text for row in view.keyboard.inline_keyboard for b in row]
            assert ("« Back" in labels) == (i > 0), (step, labels)


def test_a_finished_set_up_has_no_question(library: Library) -> None:
    view = question_views.question(Answers(nonce="abc123", step=Step.DONE), library)
    assert view.text == "All questions are answered." and view.keyboard is None


def test_the_recap_shows_each_answer_given_so_far(library: Library) -> None:
    answers = Answers(
        nonce="abc123", step=Step.PULLUPS, pain_now=False, goal=Goal.WIDTH, level=Level.BEGINNER
    )
    text = question_views.question(answers, library).text
    lines = text.split("\n\n")[1].splitlines()
    assert lines == [
        "✓ Warning signs: <b>none</b>",
        "✓ Back pain today: <b>no</b>",
        "✓ Health check: <b>all clear</b>",
        "✓ Goal: <b>Wider back</b>",
        "✓ Level: <b>Beginner (under a year)</b>",
    ]
    assert "<b>6/13</b> · How many strict pull-ups" in text
