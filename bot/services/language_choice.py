"""/language: store the user's choice and say where they were, so the chat carries on there."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.services.languages import Languages
from bot.services.onboarding import OnboardingService, Question
from bot.storage.db import Database
from bot.storage.workouts import WorkoutRepo


@dataclass(frozen=True)
class Chosen:
    """A language picked with the button, and where the user is."""

    stored: bool  # False: a language the bot does not speak, or no user and no chat
    question: Question | None = None  # the set-up question open, to be asked again
    in_session: bool = False  # a workout is open (and no set-up question)


class LanguageChoice:
    """The language button's use case."""

    def __init__(
        self,
        db: Database,
        languages: Languages,
        onboarding: OnboardingService,
        workouts: WorkoutRepo,
        clock: Clock,
    ) -> None:
        self.db, self.languages, self.onboarding = db, languages, onboarding
        self.workouts, self.clock = workouts, clock

    async def choose(self, user_id: int, lang: str, chat_id: int, name: str) -> Chosen:
        """Store `lang` (making the user's row from the chat if needed): one transaction."""
        async with self.db.transaction():
            if not await self.languages.choose(user_id, lang, self.clock(), chat_id, name):
                return Chosen(stored=False)
            question = await self.onboarding.open_question(user_id)
            if question is not None:
                return Chosen(stored=True, question=question)
            active = await self.workouts.active(user_id)
        return Chosen(stored=True, in_session=active is not None)
