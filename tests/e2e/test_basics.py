"""/start, /help, an unknown command, odd input, the command menu and group chats, end to end."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot.tg.context import Context
from standin import FloodLimits
from tests.e2e.conftest import Harness


async def test_start_greets_with_the_disclaimer(harness: Harness) -> None:
    harness.standin.user(101, first_name="Ann <3")
    [reply] = await harness.send(101, "/start")  # one message: greeting, then the question
    assert "BackCoach" in reply.plain_text and "1/13" in reply.plain_text
    assert reply.plain_text.index("not medical advice") < reply.plain_text.index("1/13")
    assert reply.buttons, "with the question's buttons"
    assert "Ann <3" in reply.plain_text, "the name is shown as typed, escaped in HTML"
    assert "not medical advice" in reply.plain_text


async def test_the_disclaimer_stays_on_the_set_up_message_as_answers_move_it_on(
    harness: Harness,
) -> None:
    await harness.send(105, "/start")
    card = await harness.answer(105, "None of these")
    text = card.plain_text
    assert "2/13" in text and "Warning signs" in text, "the answer moved the question on"
    assert "not medical advice" in text, "the greeting's disclaimer did not vanish with it"
    assert text.index("not medical advice") < text.index("2/13")


async def test_help_lists_the_commands(harness: Harness) -> None:
    [reply] = await harness.send(102, "/help")
    assert "/start" in reply.plain_text and "/help" in reply.plain_text


async def test_unknown_command_is_answered_helpfully(harness: Harness) -> None:
    [reply] = await harness.send(103, "/frobnicate now")
    assert "don't know /frobnicate" in reply.plain_text
    assert "/help" in reply.plain_text


async def test_sticker_gets_a_friendly_answer(harness: Harness) -> None:
    harness.standin.user(104)
    harness.standin.send_sticker(104)
    [reply] = await harness.new_messages(104)
    assert "not sure what to do with that" in reply.plain_text


async def test_command_menu_is_set_with_descriptions(harness: Harness) -> None:
    commands = {c["command"]: c["description"] for c in harness.standin.commands()}
    assert {"start", "help"} <= set(commands)
    assert all(commands.values())


async def test_group_chat_is_told_once_and_then_ignored(harness: Harness) -> None:
    standin = harness.standin
    group = standin.group(-1001, title="Gym friends")
    standin.user(105)
    standin.send_command(105, "/program", chat_type="group", chat_id=group.id)
    [notice] = await harness.new_messages(group.id)
    assert "private chat" in notice.plain_text
    standin.send_command(105, "/help", chat_type="group", chat_id=group.id)
    standin.send_text(105, "hello?", chat_type="group", chat_id=group.id)
    await standin.wait_until_delivered()
    # A private message afterwards is answered, which proves the group updates were processed.
    await harness.send(105, "/help")
    assert len(standin.messages(group.id)) == 1


async def test_an_error_is_logged_with_traceback_and_the_user_told(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom(update: Update, context: Context) -> None:
        raise RuntimeError("kaboom")

    harness.app.add_handler(CommandHandler("boom", boom), group=-2)
    with caplog.at_level(logging.ERROR, logger="bot.tg.errors"):
        [reply] = await harness.send(106, "/boom")
    assert "something went wrong" in reply.plain_text
    [record] = [r for r in caplog.records if r.name == "bot.tg.errors"]
    assert record.exc_info is not None and "kaboom" in str(record.exc_info[1])


async def _burst(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    for i in range(6):
        await context.bot.send_message(update.effective_chat.id, f"part {i + 1}")


@pytest.mark.real_limits
async def test_a_burst_to_one_chat_is_paced_under_the_limit(harness: Harness) -> None:
    harness.app.add_handler(CommandHandler("burst", _burst), group=-2)
    msgs = await harness.send(107, "/burst", expect=6)
    assert [m.plain_text for m in msgs] == [f"part {i}" for i in range(1, 7)]
    assert harness.standin.flood_429_count == 0


@pytest.mark.real_limits
async def test_a_429_is_retried_and_nothing_lost(harness: Harness) -> None:
    # Telegram is stricter than the bot assumes: one message per second, no burst at all.
    harness.standin.set_limits(FloodLimits(per_chat_burst=1))
    harness.app.add_handler(CommandHandler("burst", _burst), group=-2)
    msgs = await harness.send(108, "/burst", expect=6)
    assert [m.plain_text for m in msgs] == [f"part {i}" for i in range(1, 7)]
    assert harness.standin.flood_429_count >= 1, "the stand-in did push back"
