"""Local stand-in for the Telegram Bot API, for tests, benchmarks and the terminal demo."""

from bot.standin.control import TINY_PNG
from bot.standin.errors import ApiError
from bot.standin.limits import FloodLimits, FloodStats
from bot.standin.records import (
    Button,
    CallbackAnswer,
    ChatAction,
    Edit,
    FakeChat,
    FakeUser,
    SentMessage,
    StoredFile,
    UserMessage,
)
from bot.standin.server import DEFAULT_TOKEN, StandIn
from bot.standin.state import DEFAULT_GROUP_ID

__all__ = [
    "DEFAULT_GROUP_ID",
    "DEFAULT_TOKEN",
    "TINY_PNG",
    "ApiError",
    "Button",
    "CallbackAnswer",
    "ChatAction",
    "Edit",
    "FakeChat",
    "FakeUser",
    "FloodLimits",
    "FloodStats",
    "SentMessage",
    "StandIn",
    "StoredFile",
    "UserMessage",
]
