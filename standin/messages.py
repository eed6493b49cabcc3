"""The Bot API methods that send, edit and delete messages, with Telegram's checks and errors."""

from __future__ import annotations

import logging
import time

from standin.entities import format_text
from standin.errors import ApiError, bad_request, too_many_requests
from standin.limits import COUNTED_METHODS
from standin.params import Params
from standin.records import JSON, Edit, SentMessage, StoredFile
from standin.state import FileKind, StandInState
from standin.validation import inline_markup, is_image, validate_reply_markup

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class MessageMethods:
    """sendMessage, sendPhoto, sendDocument, the three edits and deleteMessage."""

    def __init__(self, state: StandInState) -> None:
        self.state = state

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
        caption, plain, entities = _caption(p)
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
                plain,
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
        new: tuple[str | None, str | None, str, list[JSON]],
        markup: JSON | None,
    ) -> JSON:
        text, parse_mode, plain, entities = new
        old_state = (
            message.plain_text,
            message.entities,
            inline_markup(message.reply_markup),
        )
        if old_state == (plain, entities, inline_markup(markup)):
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
        caption, plain, entities = _caption(p)
        markup = validate_reply_markup(p.json_("reply_markup", "reply keyboard markup"))
        if not message.is_media:
            raise bad_request("there is no caption in the message to edit")
        new = (caption or None, p.str_("parse_mode"), plain, entities)
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


def _caption(p: Params) -> tuple[str, str, list[JSON]]:
    """A media message's caption as sent, as shown, and its entities (checked like Telegram)."""
    caption = p.str_("caption") or ""
    plain, entities = format_text(
        caption,
        p.str_("parse_mode"),
        p.json_("caption_entities", "caption entities"),
        caption=True,
    )
    return caption, plain, entities
