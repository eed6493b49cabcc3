"""The use cases over a real SQLite file, wired as the app wires them, with a clock to move."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.domain.models import Library
from bot.domain.onboarding import Event, Finish, NoneOfThese, Pick, Step, Typed
from bot.services import bootstrap
from bot.services.bootstrap import Services
from bot.services.onboarding import Person
from bot.storage.db import Database
from bot.unitofwork import UPDATE_COMMITS, Commits

MONDAY_9 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
ANN = Person(user_id=501, chat_id=501, first_name="Ann")

# Every answer of a healthy intermediate lifter, Monday and Thursday at 18:00 in Berlin.
HEALTHY: list[Event] = [
    NoneOfThese(Step.RED_FLAGS),
    Pick(Step.PAIN, "no"),
    NoneOfThese(Step.HEALTH),
    Pick(Step.GOAL, "width"),
    Pick(Step.LEVEL, "intermediate"),
    Pick(Step.PULLUPS, "10"),
    NoneOfThese(Step.CONDITIONS),
    NoneOfThese(Step.DISCOMFORT),
    NoneOfThese(Step.EQUIPMENT),
    Pick(Step.DAYS, "d0"),
    Pick(Step.DAYS, "d3"),
    Finish(Step.DAYS),
    Pick(Step.TIME, "1800"),
    Typed("Berlin"),
]


@pytest.fixture
def clock() -> FakeClock:
    """Monday 23 Nov 2026, 08:00 UTC."""
    return FakeClock(MONDAY_9)


@pytest.fixture
async def services(tmp_path: Path, library: Library, clock: FakeClock) -> AsyncIterator[Services]:
    """Every use case over a fresh database file."""
    db = await Database.open(tmp_path / "bot.sqlite3")
    try:
        yield bootstrap.build(db, library, clock, default_timezone="Europe/Berlin")
    finally:
        await db.close()


@contextmanager
def counting() -> Iterator[Commits]:
    """Count the transactions committed inside, as the update processor does per update."""
    commits = Commits()
    token = UPDATE_COMMITS.set(commits)
    try:
        yield commits
    finally:
        UPDATE_COMMITS.reset(token)


async def answer_all(s: Services, events: list[Event], person: Person = ANN) -> None:
    """Start the set-up and answer every event but the confirmation."""
    await s.onboarding.start(person)
    for event in events:
        reply = await s.onboarding.answer(person.user_id, event)
        assert reply.problem is None, (event, reply.problem)


async def onboarded(s: Services, person: Person = ANN) -> None:
    """A healthy lifter with a program, a schedule and a first session."""
    await answer_all(s, HEALTHY, person)
    reply = await s.onboarding.answer(person.user_id, Finish(Step.CONFIRM))
    assert reply.issued is not None and reply.session is not None
