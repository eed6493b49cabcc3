"""Onboarding handlers: /start, /settings, /cancel, question buttons and typed answers."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest

from bot.domain.models import Outcome
from bot.domain.onboarding import ORDER, Answers, Event, Step, Typed
from bot.services.onboarding import OnboardingService, Reply
from bot.tg import progress as progress_tg
from bot.tg import safety as safety_tg
from bot.tg import schedule_views, views
from bot.tg.basic import DISCLAIMER
from bot.tg.context import Context
from bot.tg.render import esc
from bot.tg.send import drop_keyboard, send_views

log = logging.getLogger(__name__)


def service(context: Context) -> OnboardingService:
    """The onboarding use case over this app's storage."""
    data = context.bot_data
    return OnboardingService(
        data.repo, data.library, data.clock, data.reminders, data.default_timezone
    )


async def remember_user(update: Update, context: Context) -> None:
    """Create or refresh the user's record."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    data = context.bot_data
    await data.repo.upsert_user(user.id, chat.id, user.first_name or "", data.clock())


async def ask(message: Message, answers: Answers, context: Context) -> None:
    """Send the open question and remember the message that shows it."""
    assert message.chat is not None
    svc = service(context)
    preview = await svc.preview(message.chat.id, answers) if answers.step is Step.CONFIRM else None
    view = views.question(answers, context.bot_data.library, preview)
    sent = await message.reply_text(view.text, reply_markup=view.keyboard)
    assert message.chat is not None
    await service(context).shown(message.chat.id, sent.message_id)


async def start(update: Update, context: Context) -> None:
    """Greet; resume an unfinished set-up, or start one for a new user."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await remember_user(update, context)
    svc = service(context)
    current = await svc.current(user.id)
    if current is not None:
        await message.reply_text("Welcome back! Let's pick up where we left off.")
        await ask(message, current, context)
        return
    issued = await context.bot_data.repo.current_program(user.id)
    if issued is not None and issued.plan.outcome is not Outcome.REFER:
        await message.reply_text(
            f"Hi again, {esc(user.first_name)}! /program shows your program, and /settings "
            "goes through the questions again if something has changed."
        )
        return
    hello = (
        f"Welcome back, {esc(user.first_name)}! Let's go through the questions again."
        if issued is not None
        else f"Hi, {esc(user.first_name)}! I'm <b>BackCoach</b>. I'll ask a few short questions "
        "about your back's health and your goal, then give you a two-day back program."
    )
    await message.reply_text(hello + "\n\n" + DISCLAIMER)
    await ask(message, await svc.begin(user.id), context)


async def settings(update: Update, context: Context) -> None:
    """Go through the questions again; the current program stays until the new one is issued."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    await remember_user(update, context)
    await message.reply_text(
        "Let's go through the questions again. Your current program stays until you finish.\n\n"
        + DISCLAIMER,
        reply_markup=await progress_tg.settings_keyboard(context, user.id),
    )
    await ask(message, await service(context).begin(user.id), context)


async def schedule(update: Update, context: Context) -> None:
    """Show the schedule and the next two weeks, with a button to change it."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    data = context.bot_data
    gate = await data.safety.gate(user.id)
    if not gate.open:
        await safety_tg.refuse(message, context, gate)
        return
    saved = await data.schedules.schedule(user.id)
    if saved is None:
        await change_schedule(update, context)
        return
    sessions = await data.reminders.upcoming(user.id, data.clock())
    view = schedule_views.calendar_view(saved.schedule, sessions, paused=saved.paused is not None)
    await send_views(message, [view])


async def change_schedule(update: Update, context: Context) -> None:
    """Ask the schedule questions again (only with a loaded program and no medical pause)."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    gate = await context.bot_data.safety.gate(user.id)
    if not gate.open:
        await safety_tg.refuse(message, context, gate)
        return
    await remember_user(update, context)
    await ask(message, await service(context).begin(user.id, schedule_only=True), context)


async def cancel(update: Update, context: Context) -> None:
    """Stop the set-up in progress."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if await service(context).cancel(user.id):
        await message.reply_text("Set-up cancelled. Nothing changed. Send /start to begin again.")
    else:
        await message.reply_text("There is nothing to cancel right now. /help lists what I can do.")


async def on_button(update: Update, context: Context, nonce: str, event: Event) -> None:
    """A question's button: record it, update the question message, ask the next one."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    reply = await service(context).handle(user.id, event, nonce=nonce)
    if reply.answers is None:
        await query.answer("This set-up is finished. Send /start or /settings.", show_alert=True)
        await drop_keyboard(query.message)
        return
    if reply.stale:
        await query.answer(reply.problem or "That button is no longer active.")
        await drop_keyboard(query.message)
        await ask(query.message, reply.answers, context)
        return
    if reply.problem:  # the answer did not fit: say why, and ask again below it
        await query.answer()
        await drop_keyboard(query.message)
        await query.message.reply_text(esc(reply.problem))
        await ask(query.message, reply.answers, context)
        return
    await query.answer()
    await _show_progress(query.message, reply, context)


async def on_text(update: Update, context: Context, answers: Answers) -> None:
    """A typed answer to the open question."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    reply = await service(context).handle(user.id, Typed(message.text))
    if reply.problem:
        await message.reply_text(esc(reply.problem))
        if reply.answers is not None:
            await ask(message, reply.answers, context)
        return
    if answers.message_id is not None and reply.answers is not None:
        # Close the question on screen the way a tap would, so its buttons can't linger.
        record = views.answered(reply.answers, answers.step, context.bot_data.library)
        await _edit_by_id(context, message.chat_id, answers.message_id, record)
    await _after_answer(message, reply, context)


async def on_other(update: Update, context: Context, answers: Answers) -> None:
    """A sticker, photo or anything else while a question is open: explain, ask again."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        "I can only read text and button taps here. Here is the question again:"
    )
    await ask(message, answers, context)


async def _show_progress(message: Message, reply: Reply, context: Context) -> None:
    """After a button: refresh a multi-select in place, or close the answered question."""
    assert reply.answers is not None and reply.previous_step is not None
    library = context.bot_data.library
    step, before = reply.answers.step, reply.previous_step
    if step is before:  # a tick changed
        view = views.question(reply.answers, library)
        await _edit(message, view.text, view)
        return
    if step is not Step.DONE and ORDER.index(step) < ORDER.index(before):  # Back
        await drop_keyboard(message)
    else:
        await _edit(message, views.answered(reply.answers, before, library), None)
    await _after_answer(message, reply, context)


async def _after_answer(message: Message, reply: Reply, context: Context) -> None:
    """Ask the next question, or show the outcome, the program and the first session."""
    assert reply.answers is not None
    if reply.answers.step is not Step.DONE:
        await ask(message, reply.answers, context)
        return
    tz = reply.answers.timezone or context.bot_data.default_timezone
    closing = views.View(
        schedule_views.next_line(reply.session, tz) + "\n/schedule shows the next two weeks."
    )
    if reply.issued is None:  # only the schedule changed
        await send_views(message, [views.View("Schedule saved."), closing])
        return
    plan = reply.issued.plan
    out = [views.screening(plan, context.bot_data.library)]
    if plan.days:  # referred: the referral says everything; there is no program to show
        out += views.program(plan)
    if reply.session is not None:
        out.append(closing)
    await send_views(message, out)


async def _edit(message: Message, text: str, view: views.View | None) -> None:
    try:
        await message.edit_text(text, reply_markup=view.keyboard if view else None)
    except BadRequest as e:
        if "not modified" not in str(e).lower():
            raise


async def _edit_by_id(context: Context, chat_id: int, message_id: int, text: str) -> None:
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except BadRequest as e:  # deleted, too old or unchanged: the new question is what matters
        log.debug("could not close an old question: %s", e)
