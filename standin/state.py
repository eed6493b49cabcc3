"""In-memory world of the stand-in: users, chats, the update queue and the bot's output."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Callable
from typing import Literal, TypeVar

from standin.errors import bad_request, forbidden
from standin.limits import FloodControl, FloodLimits
from standin.records import (
    JSON,
    CallbackAnswer,
    ChatAction,
    FakeChat,
    FakeUser,
    PendingCallback,
    SentMessage,
    StoredFile,
    UserMessage,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")
ChatType = Literal["private", "group", "supergroup"]
FileKind = Literal["photo", "document", "sticker"]

DEFAULT_GROUP_ID = -1001
# Telegram delivers these only when asked for explicitly in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class StandInState:
    """Everything the fake Telegram knows; shared by the Bot API, the control API and tests."""

    def __init__(
        self,
        *,
        token: str,
        bot_username: str,
        bot_first_name: str,
        limits: FloodLimits,
        strict_chats: bool,
        clock: Callable[[], float] = time.monotonic,
        first_update_id: int = 1,
    ) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 1_000_001
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.flood = FloodControl(limits, clock)
        self.strict_chats = strict_chats
        self.requests: Counter[str] = Counter()
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.allowed_updates: frozenset[str] | None = None
        self.webhook_url = ""
        self.closing = False
        self._users: dict[int, FakeUser] = {}
        self._chats: dict[int, FakeChat] = {}
        self._last_message_id: Counter[int] = Counter()
        self._sent: dict[int, list[SentMessage]] = {}
        # Every message in arrival order: (monotonic seconds, chat id, message id).
        self.sent_log: list[tuple[float, int, int]] = []
        self._history: dict[int, list[SentMessage | UserMessage]] = {}
        self._by_id: dict[tuple[int, int], SentMessage | UserMessage] = {}
        self._updates: deque[JSON] = deque()
        # Telegram numbers updates on from where it left off, whatever the bot's restarts.
        self._last_update_id = first_update_id - 1
        self._delivered_up_to = first_update_id - 1
        self._callbacks: dict[str, PendingCallback] = {}
        self._last_query_number = 0
        self._chat_actions: dict[int, list[ChatAction]] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._files: dict[str, StoredFile] = {}
        self._changed = asyncio.Event()

    # -- change notification -------------------------------------------------------------

    def notify(self) -> None:
        """Wake everything waiting for a change (long polls, wait_for)."""
        # Swapping in a fresh Event lets waiters re-check without a lost-wakeup race.
        self._changed.set()
        self._changed = asyncio.Event()

    def change_event(self) -> asyncio.Event:
        """Return the event the next notify() sets; grab it before checking a condition."""
        return self._changed

    # -- users and chats -----------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        """Register (or update and return) a fake user; its private chat id is its id."""
        if user_id <= 0:
            raise ValueError("user ids are positive; groups use negative chat ids")
        user = self._users.get(user_id)
        if user is None:
            user = FakeUser(user_id, first_name or f"User {user_id}", last_name, username)
            user.language_code = language_code or "en"
            self._users[user_id] = user
            self._chats[user_id] = FakeChat(user_id, "private", user=user)
            return user
        user.first_name = first_name or user.first_name
        user.username = username or user.username
        user.language_code = language_code or user.language_code
        user.last_name = last_name or user.last_name
        return user

    def group(
        self, chat_id: int = DEFAULT_GROUP_ID, title: str | None = None, type: ChatType = "group"
    ) -> FakeChat:
        """Register (or return) a group chat; group ids are negative."""
        if chat_id >= 0 or type == "private":
            raise ValueError("group chats have negative ids")
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = FakeChat(chat_id, type, title=title or f"Group {-chat_id}")
            self._chats[chat_id] = chat
        elif title:
            chat.title = title
        return chat

    def block_bot(self, user_id: int, blocked: bool = True) -> None:
        """Make sends to this user fail with 403 "bot was blocked by the user" (or undo)."""
        self.user(user_id).blocked_bot = blocked

    def chat_for_bot(self, raw: object) -> FakeChat:
        """Resolve a chat_id parameter for a bot call; 400/403 like Telegram when it can't."""
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        text = str(raw).strip()
        if text.startswith("@"):
            for known in self._chats.values():
                if known.user is not None and known.user.username == text[1:]:
                    return self._check_reachable(known)
            raise bad_request("chat not found")
        try:
            chat_id = int(text)
        except ValueError:
            raise bad_request("chat not found") from None
        chat = self._chats.get(chat_id)
        if chat is None:
            if self.strict_chats or chat_id == 0:
                raise bad_request("chat not found")
            chat = self.group(chat_id) if chat_id < 0 else self._chats[self.user(chat_id).id]
        return self._check_reachable(chat)

    @staticmethod
    def _check_reachable(chat: FakeChat) -> FakeChat:
        if chat.user is not None and chat.user.blocked_bot:
            raise forbidden("bot was blocked by the user")
        return chat

    def user_chat(self, user_id: int, chat_type: ChatType, chat_id: int | None) -> FakeChat:
        """Return the chat a user's action happens in, registering user and group."""
        user = self.user(user_id)
        if chat_type == "private":
            if chat_id not in (None, user_id):
                raise ValueError("a private chat's id is the user's id")
            return self._chats[user.id]
        return self.group(chat_id if chat_id is not None else DEFAULT_GROUP_ID, type=chat_type)

    def next_message_id(self, chat_id: int) -> int:
        """Allocate the next message id in a chat (ids are per chat, as in private chats)."""
        self._last_message_id[chat_id] += 1
        return self._last_message_id[chat_id]

    # -- messages ------------------------------------------------------------------------

    def bot_user(self) -> JSON:
        """Return the bot's User object."""
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def record_sent(self, message: SentMessage) -> None:
        """Store a message the bot sent and wake waiters."""
        self._sent.setdefault(message.chat_id, []).append(message)
        self.sent_log.append((time.monotonic(), message.chat_id, message.message_id))
        self._history.setdefault(message.chat_id, []).append(message)
        self._by_id[message.chat_id, message.message_id] = message
        self.notify()

    def find(self, chat_id: int, message_id: int) -> SentMessage | UserMessage | None:
        """Return the message with this id in this chat, if it exists and is not deleted."""
        message = self._by_id.get((chat_id, message_id))
        if isinstance(message, SentMessage) and message.deleted:
            return None
        return message

    def message_api(self, sent: SentMessage, with_reply: bool = True) -> JSON:
        """Return the Bot API Message object for a bot message in its current state."""
        chat = self._chats[sent.chat_id]
        out: JSON = {
            "message_id": sent.message_id,
            "from": self.bot_user(),
            "chat": chat.to_api(),
            "date": sent.date,
        }
        key, entities_key = (
            ("caption", "caption_entities") if sent.is_media else ("text", "entities")
        )
        if sent.plain_text:
            out[key] = sent.plain_text
        if sent.entities:
            out[entities_key] = sent.entities
        for stored in sent.files:
            out.update(file_api(stored))
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            out["reply_markup"] = sent.reply_markup
        if sent.edit_date is not None:
            out["edit_date"] = sent.edit_date
        if with_reply and sent.reply_to_message_id is not None:
            original = self.find(sent.chat_id, sent.reply_to_message_id)
            if isinstance(original, SentMessage):
                out["reply_to_message"] = self.message_api(original, with_reply=False)
            elif isinstance(original, UserMessage):
                out["reply_to_message"] = original.api
        return out

    # -- files ---------------------------------------------------------------------------

    def store_file(
        self,
        kind: FileKind,
        data: bytes | None,
        filename: str | None = None,
        mime_type: str | None = None,
        source: str | None = None,
    ) -> StoredFile:
        """Keep a file so getFile and the file endpoint can serve it."""
        number = len(self._files) + 1
        stored = StoredFile(
            f"{kind}-{number:06d}", f"u{number:06d}", kind, data, filename, mime_type, source
        )
        self._files[stored.file_id] = stored
        return stored

    def get_file(self, file_id: str) -> StoredFile | None:
        """Return a stored file by file_id."""
        return self._files.get(file_id)

    # -- updates -------------------------------------------------------------------------

    def push_update(self, kind: str, payload: JSON) -> JSON:
        """Queue an update for getUpdates and wake a pending long poll."""
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, kind: payload}
        self._updates.append(update)
        self.notify()
        return update

    def confirm(self, offset: int | None) -> None:
        """Forget updates below offset (negative: keep only the last -offset)."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
            return
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()

    def deliverable(self, limit: int) -> list[JSON]:
        """Return up to limit queued updates the bot accepts, marking them delivered."""
        allowed = self.allowed_updates
        wanted: list[JSON] = []
        for update in list(self._updates):
            kind = next(k for k in update if k != "update_id")
            accepted = kind not in _OPT_IN_UPDATES if not allowed else kind in allowed
            if not accepted:
                # Telegram never creates updates the bot opted out of.
                self._updates.remove(update)
                continue
            wanted.append(update)
            if len(wanted) >= limit:
                break
        before = self._delivered_up_to
        if wanted:
            self._delivered_up_to = max(before, wanted[-1]["update_id"])
        elif not self._updates:
            self._delivered_up_to = self._last_update_id
        if self._delivered_up_to != before:
            # Only on progress: a long poll calls this in its wait loop and must not wake itself.
            self.notify()
        return wanted

    def drop_pending_updates(self) -> None:
        """Forget every queued update (deleteWebhook/setWebhook drop_pending_updates)."""
        self._updates.clear()
        self._delivered_up_to = self._last_update_id
        self.notify()

    @property
    def pending_updates(self) -> int:
        """Return how many updates are queued and not yet confirmed by an offset."""
        return len(self._updates)

    def record_chat_action(self, chat_id: int, action: str) -> None:
        """Store a chat action."""
        self._chat_actions.setdefault(chat_id, []).append(ChatAction(chat_id, action, time.time()))
        self.notify()

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """Return the commands the bot set for this scope and language (default scope: all)."""
        return list(self._commands.get((scope_key(scope), language_code), []))

    def set_commands(self, scope: JSON | None, language_code: str, commands: list[JSON]) -> None:
        """Store setMyCommands (an empty list deletes, as in Telegram)."""
        key = (scope_key(scope), language_code)
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        self.notify()

    def pending_callback(self, callback_query_id: str) -> PendingCallback | None:
        """Return an issued callback query."""
        return self._callbacks.get(callback_query_id)

    def next_query_number(self) -> int:
        """Allocate a number for a new callback query id."""
        self._last_query_number += 1
        return self._last_query_number

    def add_callback(self, query_id: str, pending: PendingCallback) -> None:
        """Remember an issued callback query so answerCallbackQuery can be checked."""
        self._callbacks[query_id] = pending

    def delete(self, chat_id: int, message_id: int) -> bool:
        """Delete a message (deleteMessage); return False if there was none."""
        message = self.find(chat_id, message_id)
        if message is None:
            return False
        if isinstance(message, SentMessage):
            message.deleted = True
        else:
            del self._by_id[chat_id, message_id]
        self.notify()
        return True

    def record_user_message(self, message: UserMessage) -> None:
        """Store a message a user sent."""
        self._history.setdefault(message.chat_id, []).append(message)
        self._by_id[message.chat_id, message.message_id] = message


def scope_key(scope: JSON | None) -> str:
    """Return a stable key for a BotCommandScope (None means the default scope)."""
    if not scope or scope.get("type") == "default":
        return "default"
    return ",".join(f"{k}={scope[k]}" for k in sorted(scope))


def file_api(stored: StoredFile) -> JSON:
    """Return the message fields (photo / document / sticker) that carry a stored file."""
    size = len(stored.data) if stored.data is not None else 0
    base: JSON = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
    if size:
        base["file_size"] = size
    if stored.kind == "photo":
        return {"photo": [{**base, "width": 320, "height": 320}]}
    if stored.kind == "sticker":
        return {
            "sticker": {
                **base,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": stored.filename or "👍",
            }
        }
    document = dict(base)
    if stored.filename:
        document["file_name"] = stored.filename
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return {"document": document}
