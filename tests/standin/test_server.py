"""The Bot API stand-in, exercised through a real python-telegram-bot Bot over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Conflict, EndPointNotFound, RetryAfter
from telegram.request import HTTPXRequest

from standin import TINY_PNG, FloodLimits, StandIn
from standin.entities import parse_html
from standin.limits import FloodControl

USER = 1001


def _bot(standin: StandIn) -> Bot:
    # The stand-in is plain HTTP; skipping CA loading saves ~0.1 s per Bot and test.
    def request() -> HTTPXRequest:
        return HTTPXRequest(httpx_kwargs={"verify": False})

    return Bot(
        standin.token,
        base_url=standin.base_url,
        base_file_url=standin.base_file_url,
        request=request(),
        get_updates_request=request(),
    )


def _keyboard(*rows: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def _seconds(retry_after: int | dtm.timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, dtm.timedelta) else retry_after


@pytest.fixture
async def standin() -> AsyncIterator[StandIn]:
    async with StandIn() as server:
        server.user(USER, "Ann", username="ann")
        yield server
    # Nothing of the server may outlive stop(): no handler or connection task.
    await asyncio.sleep(0)
    leftovers = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert leftovers == []


@pytest.fixture
async def bot(standin: StandIn) -> AsyncIterator[Bot]:
    async with _bot(standin) as client:
        yield client


async def test_get_me(bot: Bot, standin: StandIn) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.username == "backcoach_test_bot"
    assert me.id == standin.bot_id
    assert standin.base_url.startswith("http://127.0.0.1:")


async def test_send_message_with_keyboard_round_trips(bot: Bot, standin: StandIn) -> None:
    markup = _keyboard([("Yes", "screen:yes"), ("No", "screen:no")])
    sent = await bot.send_message(
        USER, "<b>💪 Back</b> day &amp; more", parse_mode="HTML", reply_markup=markup
    )
    assert sent.text == "💪 Back day & more"
    assert sent.from_user is not None and sent.from_user.is_bot
    assert sent.chat.id == USER and sent.chat.first_name == "Ann"
    assert isinstance(sent.date, dtm.datetime)
    bold = sent.entities[0]
    assert (bold.type, bold.offset, bold.length) == ("bold", 0, 7)  # UTF-16: the emoji is 2
    assert sent.reply_markup == markup
    record = standin.messages(USER)[0]
    assert record.message_id == sent.message_id
    assert record.text == "<b>💪 Back</b> day &amp; more"
    assert record.plain_text == "💪 Back day & more"
    assert [[b.callback_data for b in row] for row in record.buttons] == [
        ["screen:yes", "screen:no"]
    ]


async def test_text_limits(bot: Bot, standin: StandIn) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(USER, "a" * 4097)
    # The limit applies to the text after markup is parsed.
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    for empty in ("", "  \n ", "<b> </b>"):
        with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
            await bot.send_message(USER, empty, parse_mode="HTML")
    assert len(standin.messages(USER)) == 1


async def test_callback_data_over_64_bytes_rejected(bot: Bot) -> None:
    await bot.send_message(USER, "ok", reply_markup=_keyboard([("x", "d" * 64)]))
    for data in ("d" * 65, "é" * 33):  # bytes count, not characters
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(USER, "no", reply_markup=_keyboard([("x", data)]))
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(USER, "no", reply_markup=_keyboard([("x", "")]))


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>unclosed", "can't find end tag corresponding to start tag b"),
        ("<br>", 'unsupported start tag "br" at byte offset 0'),
        ("1 < 2", 'unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_bad_html_rejected(bot: Bot, html: str, error: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as caught:
        await bot.send_message(USER, html, parse_mode="HTML")
    assert error in caught.value.message.lower()


def test_html_entities_and_tags_like_telegram() -> None:
    text, entities = parse_html(
        '<a href="https://x.org">l</a> <tg-spoiler>s</tg-spoiler> &lt;&#33;&nbsp; '
        '<pre><code class="language-py">c</code></pre> <blockquote expandable>q</blockquote>'
    )
    assert text == "l s <!&nbsp; c q"
    assert [e["type"] for e in entities] == [
        "text_link",
        "spoiler",
        "pre",
        "expandable_blockquote",
    ]
    assert entities[2]["language"] == "py"


async def test_long_poll_returns_promptly_and_times_out(bot: Bot, standin: StandIn) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 2.0

    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await standin.wait_for(lambda: standin.requests["getUpdates"] >= 2, what="the poll")
    sent_at = time.monotonic()
    standin.send_text(USER, "hello")
    updates = await asyncio.wait_for(poll, 2.0)
    assert time.monotonic() - sent_at < 0.5
    assert updates[0].message is not None and updates[0].message.text == "hello"
    assert updates[0].message.from_user is not None and updates[0].message.from_user.id == USER


async def test_offsets_confirm_updates(bot: Bot, standin: StandIn) -> None:
    for text in ("one", "two", "three"):
        standin.send_text(USER, text)
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
    again = await bot.get_updates(timeout=0, limit=2)  # unconfirmed: delivered again
    assert [u.update_id for u in again] == [u.update_id for u in first[:2]]
    rest = await bot.get_updates(offset=first[1].update_id + 1, timeout=0)
    assert [u.update_id for u in rest] == [first[2].update_id]
    assert await bot.get_updates(offset=first[2].update_id + 1, timeout=0) == ()
    assert standin.pending_updates == 0


async def test_second_poll_terminates_first_with_conflict(bot: Bot, standin: StandIn) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await standin.wait_for(lambda: standin.requests["getUpdates"] >= 1)
    async with httpx.AsyncClient() as client:
        second = client.post(f"{standin.base_url}{standin.token}/getUpdates", data={"timeout": 0})
        assert (await second).json() == {"ok": True, "result": []}
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 2.0)


async def test_command_has_bot_command_entity(bot: Bot, standin: StandIn) -> None:
    standin.send_command(USER, "/start deep_link")
    standin.send_command(USER, "/log@backcoach_test_bot 60x8", chat_type="group")
    updates = await bot.get_updates(timeout=0)
    private, group = (u.message for u in updates)
    assert private is not None and group is not None
    assert private.parse_entities() == {private.entities[0]: "/start"}
    assert private.entities[0].offset == 0 and private.entities[0].type == "bot_command"
    assert group.chat.type == "group" and group.chat.id < 0
    assert group.entities[0].length == len("/log@backcoach_test_bot")
    with pytest.raises(ValueError, match="not a bot command"):
        standin.send_command(USER, "start")


async def test_sticker_and_photo_from_user(bot: Bot, standin: StandIn) -> None:
    standin.send_sticker(USER)
    standin.send_photo(USER, caption="form check")
    sticker, photo = (u.message for u in await bot.get_updates(timeout=0))
    assert sticker is not None and sticker.sticker is not None and sticker.text is None
    assert photo is not None and photo.photo and photo.caption == "form check"
    data = await (await bot.get_file(photo.photo[-1].file_id)).download_as_bytearray()
    assert bytes(data) == TINY_PNG


async def test_document_from_user_is_fetched_through_get_file(bot: Bot, standin: StandIn) -> None:
    body = b"Date,Exercise Name\n2026-01-01,Deadlift\n"
    standin.send_document(USER, body, "strong.csv", "text/csv", caption="my log")
    [update] = await bot.get_updates(timeout=0)
    doc = update.message.document if update.message else None
    assert doc is not None and doc.file_name == "strong.csv" and doc.mime_type == "text/csv"
    assert doc.file_size == len(body) and update.message and update.message.caption == "my log"
    data = await (await bot.get_file(doc.file_id)).download_as_bytearray()
    assert bytes(data) == body
    big = standin.store_file("document", b"x" * (20 * 1024 * 1024 + 1), "big.csv", "text/csv")
    with pytest.raises(BadRequest, match="too big"):
        await bot.get_file(big.file_id)  # Telegram serves bots files up to 20 MB


async def test_press_button_and_answer_callback(bot: Bot, standin: StandIn) -> None:
    sent = await bot.send_message(USER, "Pain?", reply_markup=_keyboard([("Yes", "pain:yes")]))
    query_id = standin.press_button(USER, sent.message_id, "Yes")  # by text
    (update,) = await bot.get_updates(timeout=0)
    assert isinstance(update, Update) and update.callback_query is not None
    query = update.callback_query
    assert query.id == query_id and query.data == "pain:yes"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.from_user.id == USER
    await query.answer("Noted", show_alert=True)
    answer = standin.callback_answer(query_id)
    assert answer is not None and (answer.text, answer.show_alert) == ("Noted", True)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer("again")
    with pytest.raises(LookupError, match="has no button"):
        standin.press_button(USER, sent.message_id, "Maybe")


async def test_edits_are_recorded(bot: Bot, standin: StandIn) -> None:
    sent = await bot.send_message(USER, "Set 1", reply_markup=_keyboard([("Done", "set:1")]))
    done2 = _keyboard([("Done", "set:2")])
    await bot.edit_message_text(
        "Set <b>2</b>", USER, sent.message_id, parse_mode="HTML", reply_markup=done2
    )
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        # Same rendered text (other tags, same entities) and same keyboard.
        await bot.edit_message_text(
            "Set <strong>2</strong>", USER, sent.message_id, parse_mode="HTML", reply_markup=done2
        )
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 9999)
    record = standin.messages(USER)[0]
    assert record.plain_text == "Set 2" and record.text == "Set <b>2</b>"
    assert record.sent_text == "Set 1" and record.buttons == []
    assert [e.method for e in record.edits] == ["editMessageText", "editMessageReplyMarkup"]
    assert record.edits[0].buttons[0][0].callback_data == "set:2"


async def test_photo_and_document_uploads_are_recorded(bot: Bot, standin: StandIn) -> None:
    photo = await bot.send_photo(USER, TINY_PNG, caption="<i>chart</i>", parse_mode="HTML")
    doc = await bot.send_document(USER, b"day,sets\n1,4\n", filename="log.csv")
    assert photo.photo and photo.caption == "chart"
    assert doc.document is not None and doc.document.file_name == "log.csv"
    photo_rec, doc_rec = standin.messages(USER)
    assert photo_rec.files[0].data == TINY_PNG and photo_rec.plain_text == "chart"
    assert doc_rec.files[0].data == b"day,sets\n1,4\n" and doc_rec.files[0].filename == "log.csv"
    with pytest.raises(BadRequest, match=r"(?i)image_process_failed"):
        await bot.send_photo(USER, b"not an image")


async def test_chat_actions_and_commands(bot: Bot, standin: StandIn) -> None:
    await bot.send_chat_action(USER, "typing")
    with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
        await bot.send_chat_action(USER, "dancing")
    await bot.set_my_commands([("start", "Begin"), ("log", "Log a set")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "log"]
    assert standin.commands()[1] == {"command": "log", "description": "Log a set"}
    assert [a.action for a in standin.chat_actions(USER)] == ["typing"]
    assert await bot.delete_webhook()


# PTB 22 warns that RetryAfter.retry_after will become a timedelta; _seconds() handles both.
_RETRY_AFTER_TYPE = "ignore:.*retry_after.*:DeprecationWarning"


@pytest.mark.filterwarnings(_RETRY_AFTER_TYPE)
async def test_flood_control_global_limit(bot: Bot, standin: StandIn) -> None:
    retries: list[float] = []
    for chat in range(1, 41):  # 40 chats, one message each: over the 30/s global limit
        try:
            await bot.send_message(chat, "reminder")
        except RetryAfter as error:
            retries.append(_seconds(error.retry_after))
    assert retries and min(retries) >= 1
    assert standin.flood.stats.global_ == standin.flood_429_count == len(retries)
    assert len(standin.chats()) == 40 - len(retries)


@pytest.mark.filterwarnings(_RETRY_AFTER_TYPE)
async def test_flood_control_per_chat_burst(bot: Bot, standin: StandIn) -> None:
    outcomes = []
    for n in range(5):  # a burst of 3 goes through, then ~1 per second
        try:
            await bot.send_message(USER, f"msg {n}")
            outcomes.append("ok")
        except RetryAfter as error:
            outcomes.append(f"retry {_seconds(error.retry_after):.0f}")
    assert outcomes == ["ok", "ok", "ok", "retry 1", "retry 1"]
    assert standin.flood.stats.per_chat == standin.flood_429_count == 2
    assert standin.stats()["flood_429"]["by_chat"] == {str(USER): 2}


async def test_flood_control_disabled() -> None:
    async with StandIn(limits=FloodLimits.disabled()) as standin, _bot(standin) as bot:
        for chat in range(1, 41):
            await bot.send_message(chat, "reminder")
        for n in range(10):
            await bot.send_message(-1001, f"group {n}")
        assert standin.flood_429_count == 0
        assert standin.stats()["messages_sent"] == 50


def test_flood_buckets_refill_with_time() -> None:
    now = [0.0]
    flood = FloodControl(FloodLimits(per_chat_burst=2, global_per_second=3), lambda: now[0])
    assert [flood.check(1), flood.check(1), flood.check(1)] == [None, None, 1]
    now[0] = 1.0  # one token back
    assert [flood.check(1), flood.check(1)] == [None, 1]
    # Sends at t=0 have left the 1-second window; t=1.0 holds one, so two more fit.
    assert [flood.check(2), flood.check(3), flood.check(4)] == [None, None, 1]
    now[0] = 2.5
    assert flood.check(4) is None
    groups = FloodControl(FloodLimits(per_chat_rate=None, group_per_minute=2), lambda: now[0])
    assert [groups.check(-5), groups.check(-5), groups.check(-5)] == [None, None, 60]


async def test_http_shapes_tokens_and_encodings(standin: StandIn) -> None:
    url = f"{standin.base_url}{standin.token}"
    async with httpx.AsyncClient() as client:
        wrong = await client.post(f"{standin.base_url}1:wrong/getMe")
        assert wrong.status_code == 401
        assert wrong.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        unknown = await client.post(f"{url}/sendPigeon")
        assert unknown.status_code == 404
        assert unknown.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
        markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
        as_json = await client.post(
            f"{url}/sendMessage", json={"chat_id": USER, "text": "json", "reply_markup": markup}
        )
        assert as_json.json()["result"]["reply_markup"] == markup
        as_query = await client.get(f"{url}/sendMessage", params={"chat_id": USER, "text": "q"})
        assert as_query.json()["result"]["text"] == "q"
    assert [m.plain_text for m in standin.messages(USER)] == ["json", "q"]


async def test_unknown_method_via_ptb(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendPigeon")


async def test_wait_for_messages_reports_what_arrived(bot: Bot, standin: StandIn) -> None:
    async def reply_later() -> None:
        await bot.send_message(USER, "first")
        await bot.send_message(USER, "second")

    task = asyncio.create_task(reply_later())
    messages = await standin.wait_for_messages(USER, 2, timeout=2.0)
    await task
    assert [m.plain_text for m in messages] == ["first", "second"]
    with pytest.raises(TimeoutError, match=r"expected 3 .*got 2.*'second'"):
        await standin.wait_for_messages(USER, 3, timeout=0.1)


async def test_stop_wakes_pending_long_poll(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    standin = await StandIn().start()
    async with _bot(standin) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await standin.wait_for(lambda: standin.requests["getUpdates"] >= 1)
        started = time.monotonic()
        await standin.stop()
        assert await asyncio.wait_for(poll, 2.0) == ()
        assert time.monotonic() - started < 1.0
    ours = [r for r in caplog.records if r.name.startswith(("standin", "tornado"))]
    assert ours and not any(standin.token in r.getMessage() for r in ours)
