"""Onboarding use cases: the question state lives in SQLite, so a restart resumes it.

Each public method is one use case of one update: it loads what it needs once, calls the
core, and writes in one transaction (so the update commits once), returning a typed value.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial

from pydantic import ValidationError

from bot.clock import Clock
from bot.domain import onboarding
from bot.domain.accounts import IssuedProgram
from bot.domain.calendar import PlannedSession
from bot.domain.models import Library, Outcome
from bot.domain.onboarding import Answers, Event, Result, Step
from bot.domain.programs import build_plan
from bot.domain.safety import Gate
from bot.domain.sessions import Session
from bot.i18n import _
from bot.services.languages import Languages
from bot.services.reminders import Calendar, Reminders
from bot.services.safety import Safety
from bot.storage.firstcontact import FirstContact, first_contact
from bot.storage.repo import Conversation, Repo, read_conversation, write_conversation
from bot.storage.userdata import UserData

log = logging.getLogger(__name__)

FLOW = "onboarding"


@dataclass(frozen=True)
class Person:
    """Who sent the update: the facts the shell extracts from it."""

    user_id: int
    chat_id: int
    first_name: str
    telegram_language: str | None = None  # what their Telegram app reports ("ru"), if anything


@dataclass(frozen=True)
class Question:
    """The open question, and for the confirmation the two weeks it would give."""

    answers: Answers
    preview: list[PlannedSession] = field(default_factory=list)


class Greeting(StrEnum):
    """What /start found."""

    NEW = "new"  # first time: the questions start
    AGAIN = "again"  # referred before: the questions start again
    RESUMED = "resumed"  # a set-up was in progress: it goes on
    HAS_PROGRAM = "has-program"  # nothing to ask


@dataclass(frozen=True)
class Started:
    """The answer to /start: how to greet, and the question to ask (if any)."""

    greeting: Greeting
    question: Question | None


@dataclass(frozen=True)
class Restarted:
    """/settings: the first question again, and whether the weekly report is on."""

    question: Question
    report_enabled: bool


@dataclass(frozen=True)
class Reply:
    """What happened to an event: the new state, any problem, and the program once finished."""

    answers: Answers | None  # None: no onboarding in progress
    previous_step: Step | None = None
    problem: str | None = None
    stale: bool = False
    issued: IssuedProgram | None = None
    session: Session | None = None  # the next planned session, once finished
    preview: list[PlannedSession] = field(default_factory=list)  # for the confirmation

    @property
    def question(self) -> Question | None:
        """The question to ask next, if the set-up goes on."""
        if self.answers is None or self.answers.step is Step.DONE:
            return None
        return Question(self.answers, self.preview)


class OnboardingService:
    """Starts, advances, resumes and cancels the onboarding conversation; built once."""

    def __init__(
        self,
        repo: Repo,
        userdata: UserData,
        safety: Safety,
        reminders: Reminders,
        library: Library,
        clock: Clock,
        default_timezone: str = "UTC",
        new_nonce: Callable[[], str] = lambda: secrets.token_hex(3),
        languages: Languages | None = None,
    ) -> None:
        self.repo, self.userdata, self.safety, self.reminders = repo, userdata, safety, reminders
        self.languages = languages  # told when /start stores what Telegram reports
        self.library, self.clock, self.new_nonce = library, clock, new_nonce
        self.default_timezone = default_timezone
        self.db = repo.db

    # --- use cases ------------------------------------------------------------------------

    async def start(self, person: Person) -> Started:
        """/start: remember the user; resume a set-up, or begin one unless they have a program."""
        async with self.db.transaction():  # one commit, even when a stale state is dropped
            started = await self._start(person)
        if self.languages is not None:  # stored with the user: no write on their next update
            self.languages.noted(person.user_id, person.telegram_language)
        return started

    async def _start(self, person: Person) -> Started:
        begun: list[Answers] = []

        def begin(seen: FirstContact) -> Conversation | None:
            """No set-up open and no program to keep: the questions start (on SQLite's thread,
            so the first state is stored in the same call; a new nonce makes older buttons
            stale)."""
            if seen.conversation is not None or seen.outcome not in (None, Outcome.REFER):
                return None
            tz = seen.user.timezone or self.default_timezone
            begun.append(onboarding.start(self.new_nonce(), tz, schedule_only=False))
            return Conversation(FLOW, begun[0].model_dump(mode="json"))

        # The user upsert, every read /start decides on and a new set-up's first state travel
        # in one round trip.
        seen = await self.db.unit(
            partial(first_contact, user_id=person.user_id, chat_id=person.chat_id,
                    first_name=person.first_name, now=self.clock(), begin=begin,
                    telegram_language=person.telegram_language)
        )  # fmt: skip
        if begun:
            greeting = Greeting.NEW if seen.outcome is None else Greeting.AGAIN
            return Started(greeting, Question(begun[0]))
        current = await self._readable(person.user_id, seen.conversation)
        if current is not None:
            return Started(Greeting.RESUMED, await self._question(person.user_id, current))
        if seen.outcome is not None and seen.outcome is not Outcome.REFER:
            return Started(Greeting.HAS_PROGRAM, None)
        greeting = Greeting.NEW if seen.outcome is None else Greeting.AGAIN
        tz = seen.user.timezone or self.default_timezone
        answers = onboarding.start(self.new_nonce(), tz, schedule_only=False)
        await self._save(person.user_id, answers)
        return Started(greeting, Question(answers))

    async def restart(self, person: Person) -> Restarted:
        """/settings: the questions from the top; the current program stays until the end."""
        question = await self._begin(person, schedule_only=False)
        return Restarted(question, await self.userdata.report_enabled(person.user_id))

    async def change_schedule(self, person: Person) -> Gate | Question:
        """The schedule questions again: only with a loaded program and no medical pause."""
        gate = await self.safety.gate(person.user_id)
        if not gate.open:
            return gate
        return await self._begin(person, schedule_only=True)

    async def schedule(self, person: Person) -> Gate | Calendar | Question:
        """/schedule: the schedule and the next two weeks, or its questions if there is none."""
        gate = await self.safety.gate(person.user_id)
        if not gate.open:
            return gate
        shown = await self.reminders.overview(person.user_id, self.clock())
        return shown or await self._begin(person, schedule_only=True)

    async def cancel(self, user_id: int) -> bool:
        """/cancel: drop the onboarding in progress; False if there was none."""
        if await self.current(user_id) is None:
            return False
        await self.repo.clear_conversation(user_id)
        return True

    async def current(self, user_id: int) -> Answers | None:
        """The onboarding in progress, or None."""
        return await self._readable(user_id, await self.repo.load_conversation(user_id))

    async def _readable(self, user_id: int, saved: Conversation | None) -> Answers | None:
        """The onboarding in a saved conversation, or None (dropped if no longer readable)."""
        try:
            return _answers_in(saved)
        except ValidationError:
            # A state written by an older version that no longer fits: start that user over.
            log.warning("discarding unreadable onboarding state of a user")
            await self.repo.clear_conversation(user_id)
            return None

    async def open_question(self, user_id: int) -> Question | None:
        """The question in progress with what it needs to be shown again, or None."""
        answers = await self.current(user_id)
        return None if answers is None else await self._question(user_id, answers)

    async def answer(self, user_id: int, event: Event, nonce: str | None = None) -> Reply:
        """A button press or typed answer; the program is issued when the last one is in.

        Reading the set-up, applying the answer and storing the next state are one call into
        SQLite (`Database.once`); only the last answer goes on to issue the program.
        """
        now = self.clock()
        applied = await self.db.once(
            partial(
                _apply, user_id=user_id, event=event, nonce=nonce, now=now, library=self.library
            )
        )
        answers, result = applied.before, applied.result
        if answers is None:
            if applied.unreadable:
                # A state written by an older version that no longer fits: start that user over.
                log.warning("discarding unreadable onboarding state of a user")
                await self.repo.clear_conversation(user_id)
            return Reply(None, stale=True)
        if result is None:
            problem = _("That button is from an earlier set-up.")
            return await self._reply(user_id, answers, answers.step, problem, stale=True)
        if result.answers == answers:
            return await self._reply(user_id, answers, answers.step, result.problem, result.stale)
        if not result.done:  # stored by _apply
            return await self._reply(user_id, result.answers, answers.step, result.problem)
        done = result.answers
        issue = None
        if not done.schedule_only:
            profile = done.profile()
            issue = (profile, build_plan(profile, self.library, week=1))
        # A referred user has no schedule answers: there is nothing to schedule.
        schedule = done.schedule() if done.timezone is not None else None
        setup = await self.reminders.finish_setup(user_id, now, issue, schedule)
        return Reply(done, answers.step, issued=setup.issued, session=setup.session)

    # --- helpers --------------------------------------------------------------------------

    async def _begin(self, person: Person, schedule_only: bool) -> Question:
        """Remember the user and start the questions from the top, in one transaction (a new
        nonce makes older buttons stale)."""
        async with self.db.transaction():
            user = await self.repo.upsert_user(
                person.user_id, person.chat_id, person.first_name, self.clock()
            )
            tz = user.timezone or self.default_timezone
            answers = onboarding.start(self.new_nonce(), tz, schedule_only=schedule_only)
            await self._save(person.user_id, answers)
        return Question(answers)

    async def _question(self, user_id: int, answers: Answers) -> Question:
        return Question(answers, await self._preview(user_id, answers))

    async def _reply(
        self,
        user_id: int,
        answers: Answers,
        previous: Step,
        problem: str | None = None,
        stale: bool = False,
    ) -> Reply:
        preview = await self._preview(user_id, answers)
        return Reply(answers, previous, problem, stale, preview=preview)

    async def _preview(self, user_id: int, answers: Answers) -> list[PlannedSession]:
        """The next two weeks the answers would give, for the confirmation; the same
        computation that plans the first session when the user confirms."""
        if answers.step is not Step.CONFIRM:
            return []
        return await self.reminders.preview(user_id, answers.schedule(), self.clock())

    async def _save(self, user_id: int, answers: Answers) -> None:
        await self.repo.save_conversation(
            user_id, FLOW, answers.model_dump(mode="json"), self.clock()
        )


def _answers_in(saved: Conversation | None) -> Answers | None:
    """The set-up in a saved conversation, or None; ValidationError if it no longer fits."""
    if saved is None or saved.flow != FLOW:
        return None
    return onboarding.needs_triage(Answers.model_validate(saved.state))


@dataclass(frozen=True)
class _Applied:
    """What one answer did on SQLite's thread."""

    before: Answers | None  # the set-up as it was; None: none open (or unreadable)
    result: Result | None = None  # None: a button from an earlier set-up
    unreadable: bool = False


def _apply(
    conn: sqlite3.Connection,
    user_id: int,
    event: Event,
    nonce: str | None,
    now: datetime,
    library: Library,
) -> _Applied:
    """Read the open set-up, apply the answer (the pure core), and store the new state unless
    it is the last answer, which issues the program in its own unit of work."""
    try:
        answers = _answers_in(read_conversation(conn, user_id))
    except ValidationError:
        return _Applied(None, unreadable=True)
    if answers is None:
        return _Applied(None)
    if nonce is not None and nonce != answers.nonce:
        return _Applied(answers)
    result = onboarding.apply(answers, event, library, now)
    if result.answers != answers and not result.done:
        write_conversation(conn, user_id, FLOW, result.answers.model_dump(mode="json"), now)
    return _Applied(answers, result)
