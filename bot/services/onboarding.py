"""Onboarding use case: the question state lives in SQLite, so a restart resumes it."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from bot.clock import Clock
from bot.domain import onboarding
from bot.domain.accounts import IssuedProgram
from bot.domain.calendar import PlannedSession
from bot.domain.models import Library
from bot.domain.onboarding import Answers, Event, Result, Step
from bot.domain.programs import build_plan
from bot.domain.sessions import Session
from bot.services.reminders import Reminders
from bot.storage.repo import Repo

log = logging.getLogger(__name__)

FLOW = "onboarding"


@dataclass(frozen=True)
class Reply:
    """What happened to an event: the new state, any problem, and the program once finished."""

    answers: Answers | None  # None: no onboarding in progress
    previous_step: Step | None = None
    problem: str | None = None
    stale: bool = False
    issued: IssuedProgram | None = None
    session: Session | None = None  # the next planned session, once finished


class OnboardingService:
    """Starts, advances, resumes and cancels the onboarding conversation."""

    def __init__(
        self,
        repo: Repo,
        library: Library,
        clock: Clock,
        reminders: Reminders,
        default_timezone: str = "UTC",
        new_nonce: Callable[[], str] = lambda: secrets.token_hex(3),
    ) -> None:
        self.repo, self.library, self.clock, self.new_nonce = repo, library, clock, new_nonce
        self.reminders, self.default_timezone = reminders, default_timezone

    async def current(self, user_id: int) -> Answers | None:
        """The onboarding in progress, or None."""
        saved = await self.repo.load_conversation(user_id)
        if saved is None or saved.flow != FLOW:
            return None
        try:
            return onboarding.needs_triage(Answers.model_validate(saved.state))
        except ValidationError:
            # A state written by an older version that no longer fits: start that user over.
            log.warning("discarding unreadable onboarding state of a user")
            await self.repo.clear_conversation(user_id)
            return None

    async def begin(self, user_id: int, schedule_only: bool = False) -> Answers:
        """Start the questions from the top (a new nonce makes older buttons stale)."""
        user = await self.repo.get_user(user_id)
        tz = user.timezone if user and user.timezone else self.default_timezone
        answers = onboarding.start(self.new_nonce(), tz, schedule_only=schedule_only)
        await self._save(user_id, answers)
        return answers

    async def shown(self, user_id: int, message_id: int) -> None:
        """Remember which chat message shows the open question."""
        answers = await self.current(user_id)
        if answers is not None and answers.message_id != message_id:
            await self._save(user_id, answers.model_copy(update={"message_id": message_id}))

    async def cancel(self, user_id: int) -> bool:
        """Drop the onboarding in progress; False if there was none."""
        if await self.current(user_id) is None:
            return False
        await self.repo.clear_conversation(user_id)
        return True

    async def handle(self, user_id: int, event: Event, nonce: str | None = None) -> Reply:
        """Apply a button press or typed answer; issue the program when the last one is in."""
        answers = await self.current(user_id)
        if answers is None:
            return Reply(None, stale=True)
        if nonce is not None and nonce != answers.nonce:
            return Reply(answers, answers.step, "That button is from an earlier set-up.", True)
        now = self.clock()
        result: Result = onboarding.apply(answers, event, self.library, now)
        if result.answers == answers:
            return Reply(answers, answers.step, result.problem, result.stale)
        if not result.done:
            await self._save(user_id, result.answers)
            return Reply(result.answers, answers.step, result.problem)
        done = result.answers
        issue = None
        if not done.schedule_only:
            profile = done.profile()
            issue = (profile, build_plan(profile, self.library, week=1))
        # A referred user has no schedule answers: there is nothing to schedule.
        schedule = done.schedule() if done.timezone is not None else None
        saved = await self.reminders.finish_setup(user_id, now, issue, schedule)
        return Reply(done, answers.step, issued=saved.issued, session=saved.session)

    async def preview(self, user_id: int, answers: Answers) -> list[PlannedSession]:
        """The next two weeks of sessions the answers would give, for confirmation; the
        same computation that plans the first session when the user confirms."""
        return await self.reminders.preview(user_id, answers.schedule(), self.clock())

    async def _save(self, user_id: int, answers: Answers) -> None:
        await self.repo.save_conversation(
            user_id, FLOW, answers.model_dump(mode="json"), self.clock()
        )
