"""After a failed update: which of its sets were saved, so the reply can tell the truth."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.accounts import Units
from bot.domain.models import Library
from bot.domain.text import show_sets
from bot.storage.db import Database
from bot.storage.logs import LogRepo
from bot.storage.repo import Repo


@dataclass(frozen=True)
class SavedSets:
    """Sets a failed update saved before it failed, as the user would read them."""

    exercise: str
    sets: str


@dataclass(frozen=True)
class Origin:
    """Where a failed update came from: a button tap (update id) or a message."""

    update_id: int | None = None  # a tap
    chat_id: int | None = None  # a message: its chat, id and Unix time
    message_id: int | None = None
    sent_at: int | None = None


class Failures:
    """Looks up what a failed update saved; a saved one is marked so a retry is not logged."""

    def __init__(self, db: Database, repo: Repo, library: Library) -> None:
        self.logs, self.repo, self.library = LogRepo(db), repo, library

    async def saved_by(self, origin: Origin) -> SavedSets | None:
        """The sets the update logged before it failed, or None."""
        source = None
        if origin.update_id is not None:
            source = await self.logs.by_update(origin.update_id)
        elif origin.chat_id is not None and origin.message_id is not None:
            source = await self.logs.by_message(origin.chat_id, origin.message_id, origin.sent_at)
        if source is None:
            return None
        entries = await self.logs.entries_of(source.id)
        if not entries:
            return None
        await self.logs.set_failed(source.id, True)
        exercise = self.library.exercises.get(source.exercise_id)
        user = await self.repo.get_user(source.user_id)
        units = user.units if user else Units.KG
        return SavedSets(
            exercise.name if exercise else source.exercise_id,
            show_sets([e.set for e in entries], units),
        )
