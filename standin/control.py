"""The test-facing side of the stand-in: act as users, read back and wait for bot output."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from typing import Literal, TypeVar

from standin.entities import bot_command_entities
from standin.records import (
    JSON,
    CallbackAnswer,
    ChatAction,
    FakeChat,
    PendingCallback,
    SentMessage,
    UserMessage,
)
from standin.state import ChatType, StandInState, file_api

T = TypeVar("T")
RECHECK_SECONDS = 0.05  # wait_for re-checks its condition at least this often

# Smallest valid PNG (1x1), so a bot that inspects or forwards the bytes gets a real image.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class StandInControl(StandInState):
    """User actions, read-back and waiting helpers on top of the stand-in's state."""

    # -- acting as users -----------------------------------------------------------------

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_type: ChatType = "private",
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        """Send text as a user; /commands in it get bot_command entities as in Telegram."""
        if not text.strip():
            raise ValueError("Telegram clients do not send empty messages")
        chat = self.user_chat(user_id, chat_type, chat_id)
        content: JSON = {"text": text}
        entities = bot_command_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(user_id, chat, "text", content, text, reply_to_message_id)

    def send_command(
        self,
        user_id: int,
        command: str,
        chat_type: ChatType = "private",
        chat_id: int | None = None,
    ) -> JSON:
        """Send "/command args" as a user, with the bot_command entity at offset 0."""
        entities = bot_command_entities(command)
        if not entities or entities[0]["offset"] != 0:
            raise ValueError(f"not a bot command: {command!r}")
        return self.send_text(user_id, command, chat_type, chat_id)

    def send_sticker(
        self,
        user_id: int,
        emoji: str = "👍",
        chat_type: ChatType = "private",
        chat_id: int | None = None,
    ) -> JSON:
        """Send a sticker (a message with no text) as a user."""
        chat = self.user_chat(user_id, chat_type, chat_id)
        stored = self.store_file("sticker", TINY_PNG, filename=emoji, mime_type="image/webp")
        return self._user_message(user_id, chat, "sticker", file_api(stored), None)

    def send_photo(
        self,
        user_id: int,
        data: bytes | None = None,
        caption: str | None = None,
        chat_type: ChatType = "private",
        chat_id: int | None = None,
    ) -> JSON:
        """Send a photo (optionally captioned) as a user; the bot can getFile it."""
        chat = self.user_chat(user_id, chat_type, chat_id)
        stored = self.store_file("photo", data or TINY_PNG, "photo.png", "image/png")
        content = file_api(stored)
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, chat, "photo", content, caption)

    def send_document(
        self,
        user_id: int,
        data: bytes,
        filename: str = "export.csv",
        mime_type: str = "text/csv",
        caption: str | None = None,
        chat_type: ChatType = "private",
        chat_id: int | None = None,
    ) -> JSON:
        """Send a file as a user; the bot can getFile it and download it from base_file_url."""
        chat = self.user_chat(user_id, chat_type, chat_id)
        stored = self.store_file("document", data, filename, mime_type)
        content = file_api(stored)
        if caption:
            content["caption"] = caption
        return self._user_message(user_id, chat, "document", content, caption)

    def press_button(
        self, user_id: int, message_id: int, button: str, chat_id: int | None = None
    ) -> str:
        """Press an inline button (by callback_data, else by text); return the query id."""
        user = self.user(user_id)
        chat_id = user_id if chat_id is None else chat_id
        sent = self.find(chat_id, message_id)
        if not isinstance(sent, SentMessage):
            raise LookupError(f"no bot message {message_id} in chat {chat_id}")
        flat = [b for row in sent.buttons for b in row]
        match = next((b for b in flat if b.callback_data == button), None) or next(
            (b for b in flat if b.text == button), None
        )
        if match is None:
            raise LookupError(
                f"message {message_id} in chat {chat_id} has no button {button!r}; "
                f"buttons: {[b.to_json() for b in flat]}"
            )
        if match.callback_data is None:
            raise ValueError(f"button {match.text!r} is a link; pressing it sends no update")
        query_id = str(8_000_000_000_000_000 + self.next_query_number())
        self.add_callback(
            query_id, PendingCallback(user_id, chat_id, message_id, match.callback_data)
        )
        self.push_update(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "message": self.message_api(sent),
                "chat_instance": str(abs(chat_id) * 7919 + self.bot_id),
                "data": match.callback_data,
            },
        )
        return query_id

    def _user_message(
        self,
        user_id: int,
        chat: FakeChat,
        kind: Literal["text", "sticker", "photo", "document"],
        content: JSON,
        text: str | None,
        reply_to_message_id: int | None = None,
    ) -> JSON:
        message_id = self.next_message_id(chat.id)
        date = int(time.time())
        api: JSON = {
            "message_id": message_id,
            "from": self.user(user_id).to_api(),
            "chat": chat.to_api(),
            "date": date,
            **content,
        }
        if reply_to_message_id is not None:
            original = self.find(chat.id, reply_to_message_id)
            if original is None:
                raise LookupError(f"no message {reply_to_message_id} in chat {chat.id}")
            api["reply_to_message"] = (
                self.message_api(original, with_reply=False)
                if isinstance(original, SentMessage)
                else original.api
            )
        self.record_user_message(UserMessage(chat.id, message_id, user_id, date, text, kind, api))
        return self.push_update("message", api)

    # -- waiting -------------------------------------------------------------------------

    async def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, what: str = "condition"
    ) -> T:
        """Return predicate()'s first truthy value, re-checked on every change."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._changed
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0 or self.closing:
                raise TimeoutError(
                    f"stand-in: gave up after {timeout}s waiting for {what}; {self.describe()}"
                )
            # Woken by every change here, and every 50 ms for conditions on the bot's side (its
            # journal finishing an update changes nothing here).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), min(remaining, RECHECK_SECONDS))

    async def wait_for_messages(
        self, chat_id: int, count: int, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least count messages to chat_id; return them all."""
        try:
            await self.wait_for(lambda: len(self._sent.get(chat_id, [])) >= count, timeout)
        except TimeoutError:
            got = [(m.message_id, m.plain_text[:60]) for m in self.messages(chat_id)]
            raise TimeoutError(
                f"stand-in: expected {count} bot message(s) in chat {chat_id} within "
                f"{timeout}s, got {len(got)}: {got}"
            ) from None
        return self.messages(chat_id)

    async def wait_for_callback_answer(
        self, callback_query_id: str, timeout: float = 5.0
    ) -> CallbackAnswer:
        """Wait until the bot answers the callback query; return the answer."""
        return await self.wait_for(
            lambda: self.callback_answers.get(callback_query_id),
            timeout,
            f"an answer to callback query {callback_query_id}",
        )

    @property
    def last_update_id(self) -> int:
        """The id of the newest update created so far (0 before any)."""
        return self._last_update_id

    async def wait_until_delivered(self, timeout: float = 5.0) -> None:
        """Wait until the bot has fetched every update created so far."""
        await self.wait_for(
            lambda: self._delivered_up_to >= self._last_update_id, timeout, "the bot to poll"
        )

    def describe(self) -> str:
        """Summarise bot output per chat, for timeout messages."""
        parts = [
            f"chat {chat_id}: {[m.plain_text[:40] for m in sent]}"
            for chat_id, sent in self._sent.items()
        ]
        pending = self._last_update_id - self._delivered_up_to
        return f"undelivered updates: {pending}; bot messages: " + ("; ".join(parts) or "none")

    # -- read-back API -------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Return the messages the bot sent to chat_id, oldest first (deleted ones flagged)."""
        return list(self._sent.get(chat_id, []))

    def last_message(self, chat_id: int) -> SentMessage | None:
        """Return the bot's latest message in chat_id, if any."""
        sent = self._sent.get(chat_id)
        return sent[-1] if sent else None

    def history(self, chat_id: int) -> list[SentMessage | UserMessage]:
        """Return both sides of the conversation in chat_id, in order."""
        return list(self._history.get(chat_id, []))

    def chats(self) -> list[int]:
        """Return the ids of chats the bot has sent messages to."""
        return list(self._sent)

    def chat_actions(self, chat_id: int) -> list[ChatAction]:
        """Return the chat actions (typing, ...) the bot sent to chat_id."""
        return list(self._chat_actions.get(chat_id, []))

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        """Return the bot's answer to a callback query, if it answered."""
        return self.callback_answers.get(callback_query_id)

    def stats(self) -> JSON:
        """Return request counts, messages sent and how many 429s flood control returned."""
        flood = self.flood.stats
        return {
            "requests": dict(self.requests),
            "messages_sent": sum(len(sent) for sent in self._sent.values()),
            "flood_429": {
                "total": flood.total,
                "per_chat": flood.per_chat,
                "group": flood.group,
                "global": flood.global_,
                "by_chat": {str(chat): n for chat, n in flood.by_chat.items()},
            },
        }

    @property
    def flood_429_count(self) -> int:
        """Return how many 429 Too Many Requests answers were given so far."""
        return self.flood.stats.total
