"""/program, /exercises and the technique buttons."""

from __future__ import annotations

from telegram import Message, Update

from bot.domain.safety import Gate
from bot.tg import safety as safety_tg
from bot.tg import views
from bot.tg.context import Context
from bot.tg.render import esc
from bot.tg.send import send_views


async def show_program(update: Update, context: Context) -> None:
    """Show the user's current program, or how to get one."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    issued = await context.bot_data.safety.program(user.id)
    if issued is None:
        await message.reply_text("You don't have a program yet. Send /start to get one.")
        return
    if isinstance(issued, Gate):
        await safety_tg.refuse(message, context, issued)
        return
    head = views.View(f"<b>Your program</b> (version {issued.version})")
    await send_views(message, [head, *views.program(issued.plan)])


async def show_library(update: Update, context: Context) -> None:
    """List the exercise library by day and pattern."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await send_views(
        message, views.library_views(context.bot_data.library, await _not_for_you(context, user.id))
    )


async def _not_for_you(context: Context, user_id: int) -> dict[str, str]:
    """Exercises the user's answers rule out, with the reason."""
    checks = await context.bot_data.safety.checks(user_id)
    return {c.exercise.id: c.reason for c in checks if not c.allowed}


async def show_technique(message: Message, exercise_id: str, context: Context) -> bool:
    """Send an exercise's technique; False if the id is unknown."""
    exercise = context.bot_data.library.exercises.get(exercise_id)
    if exercise is None:
        return False
    view = views.technique(exercise)
    user = message.chat  # technique buttons live in private chats: the chat is the user
    check = await context.bot_data.safety.check(user.id, exercise_id) if user else None
    if check is not None and not check.allowed:
        view = views.View(f"⛔ <b>Not for you</b>: {esc(check.reason)}.\n\n" + view.text)
    await send_views(message, [view])
    return True
