"""Handlers every chat meets: /start, /help, unknown commands and input, and group chats."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.i18n import N_, _
from bot.tg.commands import help_lines
from bot.tg.context import Context
from bot.tg.render import esc
from bot.tg.views import DISCLAIMER

PRIVATE_ONLY = N_(
    "Hi! I coach back training one person at a time, so I only work in a private chat. "
    "Open a chat with me directly to get your program."
)


async def start(update: Update, context: Context) -> None:
    """Greet the user and say what comes next."""
    assert update.effective_message is not None
    user = update.effective_user
    name = esc(user.first_name) if user and user.first_name else _("there")
    hello = _(
        "Hi, {name}! I'm <b>BackCoach</b>. I build a two-day back program around your goal and "
        "your back's health, remind you when a session is due and keep track of what you lift."
    ).format(name=name)
    await update.effective_message.reply_text(
        hello + "\n\n" + _(DISCLAIMER) + "\n\n" + _("Send /help to see what I can do.")
    )


async def help_command(update: Update, context: Context) -> None:
    """List the commands."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        _("<b>What I can do</b>")
        + "\n"
        + "\n".join(esc(line) for line in help_lines())
        + "\n\n"
        + _(
            "In a session, <b>🛑 It hurts</b> stops an exercise at once. I'm not a doctor: "
            "if pain doesn't settle, or you feel numbness or weakness in your legs, see one."
        )
    )


async def unknown_command(update: Update, context: Context) -> None:
    """Answer a command the bot does not have."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command = message.text.split()[0]
    await message.reply_text(
        _("I don't know {command}. Here is what I understand:").format(command=esc(command))
        + "\n"
        + "\n".join(esc(line) for line in help_lines())
    )


async def unexpected_input(update: Update, context: Context) -> None:
    """Answer text, stickers and photos that nothing else is waiting for."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        _(
            "I'm not sure what to do with that. To log sets, write e.g. "
            "<code>deadlift 5x5 100</code>; /today starts today's session, and /help lists "
            "everything."
        )
    )


async def group_chat(update: Update, context: Context) -> None:
    """In a group, say once that the bot works in private chats, then stay silent there."""
    chat = update.effective_chat
    if update.callback_query is not None:
        # An unanswered tap leaves the button spinning for whoever pressed it.
        await update.callback_query.answer(_("I work in private chats: message me directly."))
    if chat is not None and await context.bot_data.chats.tell_group_once(chat.id):
        await context.bot.send_message(chat.id, _(PRIVATE_ONLY))
    raise ApplicationHandlerStop
