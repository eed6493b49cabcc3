"""The update processor sets each update's language before its handlers run, and never fails."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.i18n import current_language
from bot.tg.processor import PerUserProcessor


def _update(user_id: int, code: str | None) -> Update:
    user = User(user_id, "Ann", False, language_code=code)
    message = Message(1, None, Chat(user_id, "private"), from_user=user)  # type: ignore[arg-type]
    return Update(user_id, message=message)


async def test_each_update_runs_in_its_users_language_and_it_does_not_leak() -> None:
    processor = PerUserProcessor()
    seen: dict[int, str] = {}

    async def language(update: Update) -> str:
        assert update.effective_user is not None
        return "ru" if update.effective_user.language_code == "ru" else "en"

    processor.language = language

    async def handler(uid: int) -> None:
        await asyncio.sleep(0)
        seen[uid] = current_language()

    await asyncio.gather(
        processor.do_process_update(_update(1, "ru"), handler(1)),
        processor.do_process_update(_update(2, "en"), handler(2)),
    )
    assert seen == {1: "ru", 2: "en"}
    assert current_language() == "en"  # nothing leaked into the caller


async def test_a_failed_lookup_answers_in_the_default_language() -> None:
    processor = PerUserProcessor()
    processor.default_language = "ru"
    seen: list[str] = []

    async def broken(update: Update) -> str:
        raise OSError("database is locked")

    async def handler() -> None:
        seen.append(current_language())

    processor.language = broken
    await processor.do_process_update(_update(3, "en"), handler())
    assert seen == ["ru"]


async def test_looking_up_the_language_does_not_mark_the_update_committed() -> None:
    from bot.storage.db import CURRENT_UPDATE

    processor = PerUserProcessor()
    during_lookup: list[int | None] = []

    async def language(update: Update) -> str:
        during_lookup.append(CURRENT_UPDATE.get())  # a write here must not count as the handler's
        return "ru"

    async def handler() -> None:
        during_lookup.append(CURRENT_UPDATE.get())

    processor.language = language
    await processor.do_process_update(_update(4, "ru"), handler())
    assert during_lookup == [None, 4]
