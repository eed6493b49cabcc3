"""The Bot API methods the stand-in implements, with Telegram's validation and errors."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from standin.errors import ApiError, bad_request
from standin.messages import MessageMethods
from standin.params import Params
from standin.records import JSON, CallbackAnswer
from standin.state import StandInState

Handler = Callable[[Params], Awaitable[Any]]

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile serves bots files up to 20 MB
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


class BotApi:
    """Dispatches Bot API calls (method name case-insensitive, as on Telegram)."""

    def __init__(self, state: StandInState) -> None:
        self.state = state
        self._poll_generation = 0
        messages = MessageMethods(state)
        self._handlers: dict[str, Handler] = {
            "getme": self.get_me,
            "logout": self._true,
            "close": self._true,
            "setwebhook": self.set_webhook,
            "deletewebhook": self.delete_webhook,
            "getwebhookinfo": self.get_webhook_info,
            "setmycommands": self.set_my_commands,
            "getmycommands": self.get_my_commands,
            "deletemycommands": self.delete_my_commands,
            "sendmessage": messages.send_message,
            "sendphoto": messages.send_photo,
            "senddocument": messages.send_document,
            "editmessagetext": messages.edit_message_text,
            "editmessagecaption": messages.edit_message_caption,
            "editmessagereplymarkup": messages.edit_message_reply_markup,
            "deletemessage": messages.delete_message,
            "answercallbackquery": self.answer_callback_query,
            "sendchataction": self.send_chat_action,
            "getfile": self.get_file,
            "getchat": self.get_chat,
        }

    async def call(
        self, method: str, params: Params, is_closed: Callable[[], bool] = lambda: False
    ) -> Any:
        """Run one Bot API method and return its result, or raise ApiError."""
        name = method.lower()
        self.state.requests[method] += 1
        if name == "getupdates":
            return await self.get_updates(params, is_closed)
        handler = self._handlers.get(name)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return await handler(params)

    async def _true(self, _: Params) -> bool:
        return True

    # -- bot, updates, webhook -----------------------------------------------------------

    async def get_me(self, _: Params) -> JSON:
        """getMe."""
        return {
            **self.state.bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, p: Params, is_closed: Callable[[], bool]) -> list[JSON]:
        """getUpdates with long polling; a newer poll terminates an older one with 409."""
        state = self.state
        if state.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        limit = min(max(p.int_("limit") or 100, 1), 100)
        timeout = max(p.float_("timeout") or 0.0, 0.0)
        allowed = p.json_("allowed_updates", "allowed updates")
        if allowed is not None:
            state.allowed_updates = frozenset(allowed) if allowed else None
        state.confirm(p.int_("offset"))
        self._poll_generation += 1
        generation = self._poll_generation
        state.notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = state.change_event()
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if is_closed():
                return []
            batch = state.deliverable(limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or state.closing:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    async def set_webhook(self, p: Params) -> bool:
        """setWebhook: remembered only, so getUpdates answers 409 like Telegram."""
        self.state.webhook_url = p.str_("url") or ""
        if p.bool_("drop_pending_updates"):
            self.state.drop_pending_updates()
        return True

    async def delete_webhook(self, p: Params) -> bool:
        """deleteWebhook."""
        self.state.webhook_url = ""
        if p.bool_("drop_pending_updates"):
            self.state.drop_pending_updates()
        return True

    async def get_webhook_info(self, _: Params) -> JSON:
        """getWebhookInfo."""
        return {
            "url": self.state.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": self.state.pending_updates,
        }

    # -- commands ------------------------------------------------------------------------

    async def set_my_commands(self, p: Params) -> bool:
        """setMyCommands."""
        commands = p.json_("commands", "commands")
        if not isinstance(commands, list):
            raise bad_request('field "commands" must be of type Array')
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = command.get("command") if isinstance(command, dict) else None
            desc = command.get("description") if isinstance(command, dict) else None
            valid = isinstance(name, str) and 1 <= len(name) <= 32
            if not valid or not all(c.islower() or c.isdigit() or c == "_" for c in str(name)):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(desc, str) or not 1 <= len(desc.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        scope = p.json_("scope", "bot command scope")
        self.state.set_commands(scope, p.str_("language_code") or "", commands)
        return True

    async def get_my_commands(self, p: Params) -> list[JSON]:
        """getMyCommands."""
        scope = p.json_("scope", "bot command scope")
        return self.state.commands(scope, p.str_("language_code") or "")

    async def delete_my_commands(self, p: Params) -> bool:
        """deleteMyCommands."""
        scope = p.json_("scope", "bot command scope")
        self.state.set_commands(scope, p.str_("language_code") or "", [])
        return True

    # -- callbacks, actions, files, chats ------------------------------------------------

    async def answer_callback_query(self, p: Params) -> bool:
        """answerCallbackQuery; a second answer to the same query fails, as on Telegram."""
        query_id = p.str_("callback_query_id") or ""
        pending = self.state.pending_callback(query_id)
        if pending is None or pending.answer is not None:
            raise bad_request(_QUERY_INVALID)
        pending.answer = CallbackAnswer(
            query_id,
            p.str_("text"),
            p.bool_("show_alert"),
            p.str_("url"),
            p.int_("cache_time") or 0,
        )
        self.state.callback_answers[query_id] = pending.answer
        self.state.notify()
        return True

    async def send_chat_action(self, p: Params) -> bool:
        """sendChatAction (not counted by flood control)."""
        chat = self.state.chat_for_bot(p.values.get("chat_id"))
        action = p.str_("action") or ""
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.state.record_chat_action(chat.id, action)
        return True

    async def get_file(self, p: Params) -> JSON:
        """getFile; the file is then served under base_file_url."""
        stored = self.state.get_file(p.str_("file_id") or "")
        if stored is None or stored.data is None:
            raise bad_request("invalid file_id")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    async def get_chat(self, p: Params) -> JSON:
        """getChat (the basic fields of ChatFullInfo)."""
        chat = self.state.chat_for_bot(p.values.get("chat_id"))
        return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11}
