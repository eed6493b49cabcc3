"""JSON mirror of the control API under /control/<action>, for driving from another process.

Arguments come from the query string and/or a JSON object body; answers are
{"ok": true, "result": ...} or {"ok": false, "description": ...} (400 bad arguments,
404 unknown action or message, 408 wait timed out).
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import tornado.web

from bot.standin.limits import FloodLimits

if TYPE_CHECKING:
    from bot.standin.server import StandIn

logger = logging.getLogger(__name__)

Args = dict[str, Any]
Action = Callable[["StandIn", Args], Awaitable[Any]]


def _int(args: Args, name: str, default: int | None = None) -> int:
    value = args.get(name, default)
    if value is None:
        raise ValueError(f"missing argument {name!r}")
    return int(value)


def _opt_int(args: Args, name: str) -> int | None:
    value = args.get(name)
    return None if value in (None, "") else int(value)


async def _user(s: StandIn, a: Args) -> Any:
    user = s.user(
        _int(a, "user_id"),
        a.get("first_name"),
        a.get("username"),
        a.get("language_code"),
        a.get("last_name"),
    )
    return user.to_api()


async def _group(s: StandIn, a: Args) -> Any:
    chat = s.group(_int(a, "chat_id", -1001), a.get("title"), a.get("type", "group"))
    return chat.to_api()


async def _block(s: StandIn, a: Args) -> Any:
    s.block_bot(_int(a, "user_id"), bool(a.get("blocked", True)))
    return True


async def _send_text(s: StandIn, a: Args) -> Any:
    return s.send_text(
        _int(a, "user_id"),
        str(a["text"]),
        a.get("chat_type", "private"),
        _opt_int(a, "chat_id"),
        _opt_int(a, "reply_to_message_id"),
    )


async def _send_command(s: StandIn, a: Args) -> Any:
    return s.send_command(
        _int(a, "user_id"), str(a["command"]), a.get("chat_type", "private"), _opt_int(a, "chat_id")
    )


async def _send_sticker(s: StandIn, a: Args) -> Any:
    return s.send_sticker(
        _int(a, "user_id"),
        a.get("emoji", "👍"),
        a.get("chat_type", "private"),
        _opt_int(a, "chat_id"),
    )


async def _send_photo(s: StandIn, a: Args) -> Any:
    data = base64.b64decode(a["data_base64"]) if a.get("data_base64") else None
    return s.send_photo(
        _int(a, "user_id"),
        data,
        a.get("caption"),
        a.get("chat_type", "private"),
        _opt_int(a, "chat_id"),
    )


async def _send_document(s: StandIn, a: Args) -> Any:
    return s.send_document(
        _int(a, "user_id"),
        base64.b64decode(a.get("data_base64") or ""),
        a.get("filename", "export.csv"),
        a.get("mime_type", "text/csv"),
        a.get("caption"),
        a.get("chat_type", "private"),
        _opt_int(a, "chat_id"),
    )


async def _press_button(s: StandIn, a: Args) -> Any:
    query_id = s.press_button(
        _int(a, "user_id"), _int(a, "message_id"), str(a["button"]), _opt_int(a, "chat_id")
    )
    return {"callback_query_id": query_id}


async def _messages(s: StandIn, a: Args) -> Any:
    return [m.to_json() for m in s.messages(_int(a, "chat_id"))]


async def _history(s: StandIn, a: Args) -> Any:
    return [m.to_json() for m in s.history(_int(a, "chat_id"))]


async def _chat_actions(s: StandIn, a: Args) -> Any:
    return [c.to_json() for c in s.chat_actions(_int(a, "chat_id"))]


async def _callback_answers(s: StandIn, a: Args) -> Any:
    return {qid: answer.to_json() for qid, answer in s.callback_answers.items()}


async def _commands(s: StandIn, a: Args) -> Any:
    scope = a.get("scope")
    if isinstance(scope, str):
        scope = json.loads(scope)
    return s.commands(scope, a.get("language_code", ""))


async def _stats(s: StandIn, a: Args) -> Any:
    return s.stats()


async def _limits(s: StandIn, a: Args) -> Any:
    if a:
        current = asdict(s.limits)
        current.update({k: v for k, v in a.items() if k in current})
        s.set_limits(FloodLimits(**current))
    return asdict(s.limits)


async def _wait_for_messages(s: StandIn, a: Args) -> Any:
    timeout = float(a.get("timeout", 5.0))
    sent = await s.wait_for_messages(_int(a, "chat_id"), _int(a, "count"), timeout)
    return [m.to_json() for m in sent]


ACTIONS: dict[str, Action] = {
    "user": _user,
    "group": _group,
    "block": _block,
    "send_text": _send_text,
    "send_command": _send_command,
    "send_sticker": _send_sticker,
    "send_photo": _send_photo,
    "send_document": _send_document,
    "press_button": _press_button,
    "messages": _messages,
    "history": _history,
    "chat_actions": _chat_actions,
    "callback_answers": _callback_answers,
    "commands": _commands,
    "stats": _stats,
    "limits": _limits,
    "wait_for_messages": _wait_for_messages,
}


class ControlHandler(tornado.web.RequestHandler):
    """Dispatches /control/<action> to the in-process control API."""

    standin: StandIn

    def initialize(self, standin: StandIn) -> None:
        self.standin = standin

    async def get(self, action: str) -> None:
        await self._handle(action)

    async def post(self, action: str) -> None:
        await self._handle(action)

    async def _handle(self, action: str) -> None:
        handler = ACTIONS.get(action)
        if handler is None:
            self._reply(404, {"ok": False, "description": f"unknown control action {action!r}"})
            return
        args: Args = {k: v[-1].decode() for k, v in self.request.query_arguments.items()}
        try:
            if self.request.body:
                body = json.loads(self.request.body)
                if not isinstance(body, dict):
                    raise ValueError("the body must be a JSON object")
                args.update(body)
            result = await handler(self.standin, args)
        except KeyError as error:
            self._reply(400, {"ok": False, "description": f"missing argument {error}"})
        except TimeoutError as error:
            self._reply(408, {"ok": False, "description": str(error)})
        except LookupError as error:
            self._reply(404, {"ok": False, "description": str(error)})
        except (ValueError, TypeError) as error:
            self._reply(400, {"ok": False, "description": str(error)})
        else:
            self._reply(200, {"ok": True, "result": result})

    def _reply(self, status: int, body: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))
