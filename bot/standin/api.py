"""The Bot API methods the stand-in implements, with Telegram's validation and errors."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.standin.entities import format_text
from bot.standin.errors import ApiError, bad_request, too_many_requests
from bot.standin.limits import COUNTED_METHODS
from bot.standin.params import Params
from bot.standin.records import JSON, CallbackAnswer, Edit, SentMessage, StoredFile
from bot.standin.state import FileKind, StandInState
from bot.standin.validation import inline_markup, is_image, validate_reply_markup

logger = logging.getLogger(__name__)

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
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile serves bots files up to 20 MB
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class BotApi:
    """Dispatches Bot API calls (method name case-insensitive, as on Telegram)."""

    def __init__(self, state: StandInState) -> None:
        self.state = state
        self._poll_generation = 0
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
            "sendmessage": self.send_message,
            "sendphoto": self.send_photo,
            "senddocument": self.send_document,
            "editmessagetext": self.edit_message_text,
            "editmessagecaption": self.edit_message_caption,
            "editmessagereplymarkup": self.edit_message_reply_markup,
            "deletemessage": self.delete_message,
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

    # -- sending -------------------------------------------------------------------------

    async def send_message(self, p: Params) -> JSON:
        """sendMessage."""
        chat = self.state.chat_for_bot(p.values.get("chat_id"))
        text = p.str_("text") or ""
        plain, entities = format_text(text, p.str_("parse_mode"), p.json_("entities", "entities"))
        markup = validate_reply_markup(p.json_("reply_markup", "reply keyboard markup"))
        reply_to = self._reply_to(chat.id, p)
        return self._deliver(
            SentMessage(
                chat.id,
                0,
                "sendMessage",
                0,
                text,
                p.str_("parse_mode"),
                plain,
                entities,
                markup,
                reply_to_message_id=reply_to,
                sent_text=text,
            )
        )

    async def send_photo(self, p: Params) -> JSON:
        """sendPhoto (upload, file_id of a known file, or URL)."""
        return await self._send_media(p, "photo", "sendPhoto")

    async def send_document(self, p: Params) -> JSON:
        """sendDocument (upload, file_id of a known file, or URL)."""
        return await self._send_media(p, "document", "sendDocument")

    async def _send_media(self, p: Params, kind: FileKind, method: str) -> JSON:
        chat = self.state.chat_for_bot(p.values.get("chat_id"))
        stored = self._input_file(p, kind)
        caption = p.str_("caption") or ""
        plain, entities = format_text(
            caption,
            p.str_("parse_mode"),
            p.json_("caption_entities", "caption entities"),
            caption=True,
        )
        markup = validate_reply_markup(p.json_("reply_markup", "reply keyboard markup"))
        reply_to = self._reply_to(chat.id, p)
        return self._deliver(
            SentMessage(
                chat.id,
                0,
                method,
                0,
                caption or None,
                p.str_("parse_mode"),
                plain or None,
                entities,
                markup,
                files=[stored],
                reply_to_message_id=reply_to,
                sent_text=caption or None,
            )
        )

    def _input_file(self, p: Params, kind: FileKind) -> StoredFile:
        upload = p.files.get(kind)
        if upload is not None:
            if len(upload.body) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            if kind == "photo" and not is_image(upload.body):
                raise bad_request("IMAGE_PROCESS_FAILED")
            return self.state.store_file(kind, upload.body, upload.filename, upload.content_type)
        reference = p.str_(kind)
        if not reference:
            raise bad_request(f"there is no {kind} in the request")
        if reference.startswith("attach://"):
            raise bad_request(f"there is no {kind} in the request")
        known = self.state.get_file(reference)
        if known is not None:
            return known
        if reference.startswith(("http://", "https://")):
            return self.state.store_file(kind, None, reference.rsplit("/", 1)[-1], source=reference)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _reply_to(self, chat_id: int, p: Params) -> int | None:
        params = p.json_("reply_parameters", "reply parameters")
        message_id = p.int_("reply_to_message_id")
        allow_missing = p.bool_("allow_sending_without_reply")
        if isinstance(params, dict):
            message_id = params.get("message_id", message_id)
            allow_missing = bool(params.get("allow_sending_without_reply", allow_missing))
        if message_id is None:
            return None
        if self.state.find(chat_id, int(message_id)) is None:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return int(message_id)

    def _deliver(self, message: SentMessage) -> JSON:
        """Apply flood control, then store the message and return it as the bot sees it."""
        if message.method.lower() in COUNTED_METHODS:
            retry_after = self.state.flood.check(message.chat_id)
            if retry_after is not None:
                logger.debug("429 for chat %s: retry after %ss", message.chat_id, retry_after)
                raise too_many_requests(retry_after)
        message.message_id = self.state.next_message_id(message.chat_id)
        message.date = int(time.time())
        self.state.record_sent(message)
        return self.state.message_api(message)

    # -- editing -------------------------------------------------------------------------

    def _editable(self, p: Params) -> SentMessage:
        if not p.has("chat_id") and p.int_("message_id") is None:
            if p.has("inline_message_id"):
                raise bad_request("MESSAGE_ID_INVALID")  # no inline mode here
            raise bad_request("message identifier is not specified")
        chat = self.state.chat_for_bot(p.values.get("chat_id"))
        message_id = p.int_("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self.state.find(chat.id, message_id)
        if message is None:
            raise bad_request("message to edit not found")
        if not isinstance(message, SentMessage):
            raise bad_request("message can't be edited")
        return message

    def _apply_edit(
        self,
        message: SentMessage,
        method: str,
        new: tuple[str | None, str | None, str | None, list[JSON]],
        markup: JSON | None,
    ) -> JSON:
        text, parse_mode, plain, entities = new
        old_state = (
            message.plain_text or "",
            message.entities,
            inline_markup(message.reply_markup),
        )
        if old_state == (plain or "", entities, inline_markup(markup)):
            raise bad_request(_NOT_MODIFIED)
        message.text, message.parse_mode, message.plain_text = text, parse_mode, plain
        message.entities = entities
        message.reply_markup = markup
        message.edit_date = int(time.time())
        message.edits.append(Edit(method, message.edit_date, text, plain, message.buttons))
        self.state.notify()
        return self.state.message_api(message)

    async def edit_message_text(self, p: Params) -> JSON:
        """editMessageText; omitting reply_markup removes the inline keyboard, as on Telegram."""
        message = self._editable(p)
        text = p.str_("text") or ""
        plain, entities = format_text(text, p.str_("parse_mode"), p.json_("entities", "entities"))
        markup = validate_reply_markup(p.json_("reply_markup", "reply keyboard markup"))
        if message.is_media:
            raise bad_request("there is no text in the message to edit")
        new = (text, p.str_("parse_mode"), plain, entities)
        return self._apply_edit(message, "editMessageText", new, markup)

    async def edit_message_caption(self, p: Params) -> JSON:
        """editMessageCaption."""
        message = self._editable(p)
        caption = p.str_("caption") or ""
        plain, entities = format_text(
            caption,
            p.str_("parse_mode"),
            p.json_("caption_entities", "caption entities"),
            caption=True,
        )
        markup = validate_reply_markup(p.json_("reply_markup", "reply keyboard markup"))
        if not message.is_media:
            raise bad_request("there is no caption in the message to edit")
        new = (caption or None, p.str_("parse_mode"), plain or None, entities)
        return self._apply_edit(message, "editMessageCaption", new, markup)

    async def edit_message_reply_markup(self, p: Params) -> JSON:
        """editMessageReplyMarkup."""
        message = self._editable(p)
        markup = validate_reply_markup(p.json_("reply_markup", "reply keyboard markup"))
        new = (message.text, message.parse_mode, message.plain_text, message.entities)
        return self._apply_edit(message, "editMessageReplyMarkup", new, markup)

    async def delete_message(self, p: Params) -> bool:
        """deleteMessage."""
        chat = self.state.chat_for_bot(p.values.get("chat_id"))
        message_id = p.int_("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        if not self.state.delete(chat.id, message_id):
            raise bad_request("message to delete not found")
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
