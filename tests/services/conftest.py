"""The use cases wired as the app wires them, over a real SQLite file and a clock moved by hand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.domain.logged import Source
from bot.domain.models import Goal, Level, Library, Profile
from bot.domain.onboarding import Event, Finish, NoneOfThese, Pick, Step, Typed
from bot.domain.programs import build_plan
from bot.domain.workouts import Workout
from bot.services import bootstrap
from bot.services.bootstrap import Services
from bot.services.export import OwnData
from bot.services.freelog import FreeLog
from bot.services.logbook import Logbook
from bot.services.logfix import LogFixes
from bot.services.logset import SetLog
from bot.services.onboarding import Person
from bot.services.progress import Progress
from bot.services.reminders import ReminderSettings
from bot.services.workouts import Workouts
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.workouts import WorkoutRepo
from bot.unitofwork import UPDATE_COMMITS, Commits

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # a Monday evening
TZ = "Europe/Berlin"


@dataclass
class World:
    """Everything a handler would reach through BotData, built the way bot/app.py builds it."""

    db: Database
    clock: FakeClock
    library: Library
    repo: Repo
    workouts: WorkoutRepo
    training: Workouts
    setlog: SetLog
    logbook: Logbook
    progress: Progress
    own: OwnData
    freelog: FreeLog
    logfixes: LogFixes
    next_message: int = 100

    def message(self, user_id: int, text: str) -> Source:
        """A new chat message from the user, as the shell would describe it."""
        self.next_message += 1
        sent = int(self.clock().timestamp())
        return Source(self.next_message, user_id, self.next_message, text, sent)

    async def onboard(self, user_id: int, pullups: int = 10) -> None:
        """A user who finished onboarding: units kg, a timezone and an issued program."""
        await self.repo.upsert_user(user_id, user_id, "Ann", self.clock())
        await self.repo.set_timezone(user_id, TZ, self.clock())
        profile = Profile(goal=Goal.WIDTH, level=Level.INTERMEDIATE, pullups=pullups)
        plan = build_plan(profile, self.library)
        await self.repo.issue_program(user_id, profile, plan, self.clock())

    async def start(self, user_id: int) -> Workout:
        """Start training now and move past the warm-up to the first loaded exercise."""
        workout = await self.training.start(user_id)
        while workout.current is not None and workout.current.tick_off:
            workout = await self.training.tick_off(user_id)
        return workout


@pytest.fixture
async def world(tmp_path: Path, library: Library) -> AsyncIterator[World]:
    """The use cases over a fresh database file."""
    clock = FakeClock(NOW)
    built = bootstrap.build(
        await Database.open(tmp_path / "bot.sqlite3"), library, clock, ReminderSettings(), TZ
    )
    yield World(
        db=built.db,
        clock=clock,
        library=library,
        repo=built.repo,
        workouts=built.workouts,
        training=built.sessions,
        setlog=built.setlog,
        logbook=built.logbook,
        progress=built.progress,
        own=built.own,
        freelog=built.freelog,
        logfixes=built.logfixes,
    )
    await built.db.close()


@dataclass
class RoundTrips:
    """Calls into the SQLite thread (Database.round_trips) since the last reset."""

    db: Database
    start: int = 0

    def reset(self) -> None:
        """Count from now."""
        self.start = self.db.round_trips

    @property
    def count(self) -> int:
        """Round trips since the last reset."""
        return self.db.round_trips - self.start


@pytest.fixture
def round_trips(world: World) -> RoundTrips:
    """The round-trip counter of the world's database."""
    return RoundTrips(world.db)


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
