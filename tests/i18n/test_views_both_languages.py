"""Every view D renders is valid Telegram HTML, fits one message, and is wholly in its language."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.content_locale import localized
from bot.domain.calendar import Progress, Schedule, plan_sessions
from bot.domain.models import DayKind, Goal, Level, Library, Profile
from bot.domain.onboarding import ORDER, Answers
from bot.domain.programs import build_plan
from bot.domain.safety import Block, Gate
from bot.domain.sessions import Session, SessionStatus
from bot.i18n import use_language
from bot.tg import question_views, schedule_views, views
from bot.tg.render import MAX_TEXT
from standin.entities import parse_html

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
# Three Latin words in a row, once tags, commands, zones and code samples are set aside.
ENGLISH = re.compile(r"\b[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}\b")
NOT_PROSE = re.compile(r"<[^>]+>|/[a-z_]+|\b[A-Z][a-z]+/[A-Za-z_]+|<code>.*?</code>", re.S)


@pytest.fixture(scope="module")
def both(library: Library) -> Library:
    return localized(library)


def _all_views(library: Library) -> Iterator[views.View]:
    for step in ORDER:
        answers = Answers(
            nonce="abc123",
            step=step,
            weekdays=(0, 3),
            reminder_time="18:00",
            timezone="Europe/Moscow",
            tz_candidates=("Europe/Moscow", "Europe/Kaliningrad"),
        )
        schedule = answers.schedule()
        preview = plan_sessions(schedule, Progress(), NOW, 4)
        yield question_views.question(answers, library, preview)
    for conditions in [(), ("hernia",), ("recent-injury",), ("scoliosis-mild", "arthritis")]:
        for goal, level in itertools.product(Goal, Level):
            profile = Profile(goal=goal, level=level, pullups=5, conditions=frozenset(conditions))
            plan = build_plan(profile, library)
            yield views.screening(plan, library)
            yield views.screening_details(plan, library)
            yield from views.program(plan)
    for ex in library.exercises.values():
        yield views.technique(ex)
    yield from views.library_views(library, {"deadlift": "x"})
    for block in Block:
        yield views.referral(Gate(block, "x", offer_checkin=True), library)
    schedule = Schedule(weekdays=frozenset({0, 3}), time=time(18), timezone="Europe/Moscow")
    sessions = plan_sessions(schedule, Progress(), NOW, 4)
    yield schedule_views.calendar_view(schedule, sessions, paused=True)
    plan = build_plan(Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=10), library)
    for kind in DayKind:
        session = Session(
            id=1,
            user_id=1,
            chat_id=1,
            program_id=1,
            kind=kind,
            on=date(2026, 11, 23),
            due_at=NOW,
            expires_at=NOW + timedelta(hours=12),
            status=SessionStatus.PLANNED,
        )
        yield schedule_views.reminder_view(session, plan, "Europe/Moscow")
        yield views.View(schedule_views.next_line(session, "Europe/Moscow"))
    yield schedule_views.move_view(1, [date(2026, 11, 24), date(2026, 11, 25)])
    yield schedule_views.move_view(1, [])


def _texts(view: views.View) -> Iterator[str]:
    yield view.text
    if view.keyboard is not None:
        for row in view.keyboard.inline_keyboard:
            yield from (b.text for b in row)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_view_is_valid_html_under_the_limit(both: Library, lang: str) -> None:
    with use_language(lang):
        rendered = list(_all_views(both))
    assert len(rendered) > 100
    for view in rendered:
        assert len(view.text) <= MAX_TEXT, view.text[:80]
        parse_html(view.text)  # raises like Telegram would on bad markup
        if view.keyboard is not None:
            for row in view.keyboard.inline_keyboard:
                for button in row:
                    assert 0 < len(button.text) <= 64, button.text


def test_russian_views_carry_no_english_sentence(both: Library) -> None:
    with use_language("ru"):
        rendered = list(_all_views(both))
    leftovers = set()
    for view in rendered:
        for text in _texts(view):
            prose = NOT_PROSE.sub(" ", text)
            leftovers |= {m.group() for m in ENGLISH.finditer(prose)}
    assert leftovers == set()
