"""What the stand-in remembers: fake users and chats, and everything the bot did."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, Literal

JSON = dict[str, Any]


@dataclass
class FakeUser:
    """A Telegram user the stand-in impersonates."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    blocked_bot: bool = False

    def to_api(self) -> JSON:
        """Return the Bot API User object."""
        user: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value:
                user[key] = value
        return user


@dataclass
class FakeChat:
    """A private chat (id == user id) or a group (negative id)."""

    id: int
    type: Literal["private", "group", "supergroup"]
    title: str | None = None
    user: FakeUser | None = None

    def to_api(self) -> JSON:
        """Return the Bot API Chat object."""
        chat: JSON = {"id": self.id, "type": self.type}
        if self.user is not None:
            chat["first_name"] = self.user.first_name
            if self.user.last_name:
                chat["last_name"] = self.user.last_name
            if self.user.username:
                chat["username"] = self.user.username
        else:
            chat["title"] = self.title or f"Group {self.id}"
        return chat


@dataclass(frozen=True)
class Button:
    """One inline keyboard button as the user sees it."""

    text: str
    callback_data: str | None = None
    url: str | None = None

    def to_json(self) -> JSON:
        """Return a JSON-friendly dict without empty fields."""
        out: JSON = {"text": self.text}
        if self.callback_data is not None:
            out["callback_data"] = self.callback_data
        if self.url is not None:
            out["url"] = self.url
        return out


def buttons_from_markup(markup: JSON | None) -> list[list[Button]]:
    """Return the inline keyboard rows of a reply_markup (empty for other markups)."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [Button(b.get("text", ""), b.get("callback_data"), b.get("url")) for b in row]
        for row in markup["inline_keyboard"]
    ]


@dataclass
class StoredFile:
    """A file the bot uploaded, a user sent, or the bot referenced by URL / file_id."""

    file_id: str
    file_unique_id: str
    kind: Literal["photo", "document", "sticker"]
    data: bytes | None
    filename: str | None = None
    mime_type: str | None = None
    source: str | None = None  # the URL or file_id the bot passed instead of uploading

    @property
    def file_path(self) -> str:
        """Return the relative path getFile reports and the file endpoint serves."""
        return f"{self.kind}s/{self.file_id}"

    def to_json(self) -> JSON:
        """Return a JSON-friendly dict, bytes as base64."""
        return {
            "file_id": self.file_id,
            "kind": self.kind,
            "filename": self.filename,
            "mime_type": self.mime_type,
            "source": self.source,
            "size": None if self.data is None else len(self.data),
            "data_base64": None if self.data is None else base64.b64encode(self.data).decode(),
        }


@dataclass
class Edit:
    """One edit the bot made to a message: the state after the edit."""

    method: str
    date: int
    text: str | None
    plain_text: str  # "" when there is none
    buttons: list[list[Button]]

    def to_json(self) -> JSON:
        """Return a JSON-friendly dict."""
        return {
            "method": self.method,
            "date": self.date,
            "text": self.text,
            "plain_text": self.plain_text,
            "buttons": [[b.to_json() for b in row] for row in self.buttons],
        }


@dataclass
class SentMessage:
    """A message the bot sent; text, plain_text and buttons show its current state."""

    chat_id: int
    message_id: int
    method: str
    date: int
    text: str | None  # as the bot sent it (HTML source); the caption for media
    parse_mode: str | None
    # What the user reads, markup parsed out; "" for a photo or file without a caption
    # (Telegram never sends an empty text), so tests can search it without a None check.
    plain_text: str
    entities: list[JSON]
    reply_markup: JSON | None
    files: list[StoredFile] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    deleted: bool = False
    sent_text: str | None = None  # the text before any edit

    @property
    def buttons(self) -> list[list[Button]]:
        """Return the inline keyboard currently attached, as rows of buttons."""
        return buttons_from_markup(self.reply_markup)

    @property
    def is_media(self) -> bool:
        """Return whether the message is a photo or document (text is then a caption)."""
        return bool(self.files)

    def to_json(self) -> JSON:
        """Return a JSON-friendly dict, for a report or an error message."""
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "method": self.method,
            "date": self.date,
            "text": self.text,
            "sent_text": self.sent_text,
            "parse_mode": self.parse_mode,
            "plain_text": self.plain_text,
            "entities": self.entities,
            "buttons": [[b.to_json() for b in row] for row in self.buttons],
            "reply_markup": self.reply_markup,
            "files": [f.to_json() for f in self.files],
            "edits": [e.to_json() for e in self.edits],
            "reply_to_message_id": self.reply_to_message_id,
            "deleted": self.deleted,
        }


@dataclass
class UserMessage:
    """A message a fake user sent to the bot."""

    chat_id: int
    message_id: int
    user_id: int
    date: int
    text: str | None
    kind: Literal["text", "sticker", "photo", "document"]
    api: JSON  # the Message object as delivered in the update

    def to_json(self) -> JSON:
        """Return a JSON-friendly dict."""
        return {
            "chat_id": self.chat_id,
            "message_id": self.message_id,
            "user_id": self.user_id,
            "date": self.date,
            "text": self.text,
            "kind": self.kind,
        }


@dataclass
class CallbackAnswer:
    """How the bot answered a callback query."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int

    def to_json(self) -> JSON:
        """Return a JSON-friendly dict."""
        return {
            "callback_query_id": self.callback_query_id,
            "text": self.text,
            "show_alert": self.show_alert,
            "url": self.url,
            "cache_time": self.cache_time,
        }


@dataclass
class ChatAction:
    """A sendChatAction call (typing, upload_photo, ...)."""

    chat_id: int
    action: str
    date: float

    def to_json(self) -> JSON:
        """Return a JSON-friendly dict."""
        return {"chat_id": self.chat_id, "action": self.action, "date": self.date}


@dataclass
class PendingCallback:
    """A callback query a user created that the bot has not answered yet."""

    user_id: int
    chat_id: int
    message_id: int
    data: str
    answer: CallbackAnswer | None = None
