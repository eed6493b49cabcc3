"""Chats the bot does not coach in: a group is told once that the bot works in private."""

from __future__ import annotations

from bot.clock import Clock
from bot.storage.repo import Repo


class Chats:
    """Use cases about chats rather than users."""

    def __init__(self, repo: Repo, clock: Clock) -> None:
        self.repo, self.clock = repo, clock

    async def tell_group_once(self, chat_id: int) -> bool:
        """True the first time a group is seen: it gets the 'private chats only' note once."""
        return await self.repo.mark_group_told(chat_id, self.clock())
