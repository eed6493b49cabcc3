"""Local stand-in for the Telegram Bot API, for tests, benchmarks and the terminal demo."""

from standin.control import TINY_PNG
from standin.errors import ApiError
from standin.limits import FloodLimits, FloodStats
from standin.records import (
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
from standin.server import DEFAULT_TOKEN, StandIn
from standin.state import DEFAULT_GROUP_ID

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
