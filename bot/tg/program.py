"""/program, /exercises and the technique buttons."""

from __future__ import annotations

from telegram import Message, Update

from bot.tg import views
from bot.tg.context import Context
from bot.tg.send import send_views


async def show_program(update: Update, context: Context) -> None:
    """Show the user's current program, or how to get one."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    issued = await context.bot_data.repo.current_program(user.id)
    if issued is None:
        await message.reply_text("You don't have a program yet. Send /start to get one.")
        return
    head = views.View(f"<b>Your program</b> (version {issued.version})")
    await send_views(message, [head, *views.program(issued.plan)])


async def show_library(update: Update, context: Context) -> None:
    """List the exercise library by day and pattern."""
    message = update.effective_message
    assert message is not None
    await send_views(message, views.library_views(context.bot_data.library))


async def show_technique(message: Message, exercise_id: str, context: Context) -> bool:
    """Send an exercise's technique; False if the id is unknown."""
    exercise = context.bot_data.library.exercises.get(exercise_id)
    if exercise is None:
        return False
    await send_views(message, [views.technique(exercise)])
    return True
