"""Request validation shared by the Bot API methods: reply markups and uploaded photos."""

from __future__ import annotations

from typing import Any

from standin.errors import bad_request
from standin.records import JSON

# Any of these makes an inline button do something; a button with none is a "text button".
_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


def is_image(data: bytes) -> bool:
    """Return whether data starts like an image format Telegram accepts as a photo."""
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return True
    return data.startswith(_IMAGE_MAGIC)


def validate_reply_markup(raw: Any) -> JSON | None:
    """Check a reply_markup the way Telegram does; return it, or None if absent."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in raw:
        if any(key in raw for key in ("keyboard", "remove_keyboard", "force_reply")):
            return raw
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = raw["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(
            'can\'t parse inline keyboard button: field "inline_keyboard" must be of type Array'
        )
    for row in rows:
        for button in row:
            _validate_button(button)
    return raw


def _validate_button(button: Any) -> None:
    prefix = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(prefix + "InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise bad_request(prefix + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(prefix + 'Field "text" must be of type String')
    data = button.get("callback_data")
    if data is not None:
        if not isinstance(data, str):
            raise bad_request(prefix + 'Field "callback_data" must be of type String')
        if len(data.encode("utf-8")) > 64:
            raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if url is not None and (not isinstance(url, str) or not url or any(c.isspace() for c in url)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    # An empty callback_data counts as no action at all, as on the real server.
    if not any(button.get(key) not in (None, "") for key in _BUTTON_ACTIONS):
        raise bad_request(prefix + "Text buttons are unallowed in the inline keyboard")


def inline_markup(markup: JSON | None) -> JSON | None:
    """Return the part of a markup that stays attached to the message (inline keyboards)."""
    return markup if markup and "inline_keyboard" in markup else None
