"""Which language to speak to each user: their choice, else their Telegram app's, else a default."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from bot.i18n import SUPPORTED, pick_language, primary_subtag
from bot.storage.languages import LanguageRepo


@dataclass
class _Known:
    chosen: str | None
    telegram: str | None
    stored: bool  # the telegram value is in the database (the user row existed)


class Languages:
    """Resolves and remembers each user's language; one read per user per process."""

    def __init__(self, repo: LanguageRepo, default: str, remember: int = 50_000) -> None:
        self.repo = repo
        self.default = default
        # Saves a read on every update; the least recently seen users are forgotten (and read
        # again when they come back), so memory stays bounded however many users there are.
        self._known: OrderedDict[int, _Known] = OrderedDict()
        self.remember = remember

    def _keep(self, user_id: int, known: _Known) -> None:
        self._known[user_id] = known
        self._known.move_to_end(user_id)
        while len(self._known) > self.remember:
            self._known.popitem(last=False)

    async def _load(self, user_id: int) -> _Known:
        known = self._known.get(user_id)
        if known is None:
            stored = await self.repo.get(user_id)
            known = _Known(
                stored.chosen if stored else None,
                stored.telegram if stored else None,
                stored is not None,
            )
        self._keep(user_id, known)
        return known

    async def preload(self, user_ids: list[int]) -> None:
        """Learn many users' languages in one read, before a batch of reminders goes out."""
        missing = [u for u in dict.fromkeys(user_ids) if u not in self._known]
        if not missing:
            return
        stored = await self.repo.get_many(missing)
        for user_id in missing:
            got = stored.get(user_id)
            known = _Known(
                got.chosen if got else None, got.telegram if got else None, got is not None
            )
            self._keep(user_id, known)

    async def preload_recent(self) -> int:
        """At start-up: learn the languages of the most recently active users in one read, so
        their updates cost no lookup; how many. Users beyond the cache are read when seen."""
        stored = await self.repo.recent(self.remember)
        for user_id, got in stored.items():  # oldest first: the newest end up kept longest
            self._keep(user_id, _Known(got.chosen, got.telegram, True))
        return len(stored)

    def noted(self, user_id: int, telegram: str | None) -> None:
        """The user's row was just written with what Telegram reports (/start stores it)."""
        known = self._known.get(user_id)
        if known is not None:  # else nothing is remembered: the next update reads the row
            known.telegram, known.stored = telegram, True

    async def for_update(self, user_id: int, telegram_code: str | None) -> str:
        """The language for an update from this user; remembers what Telegram reports."""
        telegram = primary_subtag(telegram_code)
        read = user_id not in self._known
        known = await self._load(user_id)
        if read and not known.stored:
            # Just read: there is no user row to write it into. /start creates the row with it
            # (`noted`); until then it is only remembered here.
            known.telegram = telegram
        elif telegram != known.telegram or not known.stored:
            # Written once per change, so a reminder after a restart still knows it.
            known.stored = await self.repo.seen(user_id, telegram)
            known.telegram = telegram
        return pick_language(known.chosen, known.telegram, self.default)

    async def for_user(self, user_id: int) -> str:
        """The language for a message the bot sends on its own (reminders, reports)."""
        known = await self._load(user_id)
        return pick_language(known.chosen, known.telegram, self.default)

    async def choose(
        self, user_id: int, lang: str, now: datetime, chat_id: int | None = None, name: str = ""
    ) -> bool:
        """Store the user's choice (creating their row from the chat if needed); False for a
        language the bot does not speak, or for no user and no chat."""
        if lang not in SUPPORTED:
            return False
        if not await self.repo.choose(user_id, lang, now, chat_id, name):
            return False
        (await self._load(user_id)).chosen = lang
        return True

    def forget(self, user_id: int) -> None:
        """Drop what is remembered about a user (after their data is deleted)."""
        self._known.pop(user_id, None)
