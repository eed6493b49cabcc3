"""Onboarding handlers: /start, /settings, /schedule, /cancel, question buttons and typed answers.

Each handler extracts the update's facts, calls one use case on `bot_data.onboarding` and
renders what it returns.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import BadRequest

from bot.domain.onboarding import ORDER, Event, Step, Typed
from bot.domain.safety import Gate
from bot.i18n import _, primary_subtag
from bot.services.onboarding import Greeting, Person, Question, Reply
from bot.services.reminders import Calendar
from bot.tg import progress as progress_tg
from bot.tg import question_views, schedule_views, views
from bot.tg import safety as safety_tg
from bot.tg.context import Context
from bot.tg.render import esc, split_message
from bot.tg.send import drop_keyboard, send_views

log = logging.getLogger(__name__)

QUESTION_MESSAGE = "question-message"  # user_data key: the chat message showing the question


def person(update: Update) -> Person:
    """Who sent the update."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    return Person(user.id, chat.id, user.first_name or "", primary_subtag(user.language_code))


async def ask(
    message: Message, question: Question, context: Context, intro: str | None = None
) -> None:
    """Send the open question (after `intro`, in the same message when it fits) and remember,
    for this run, the message that shows it.

    Which message shows the question is screen state, not an answer: it lives in user_data
    (lost on a restart, when the old question simply keeps its buttons), so asking writes
    nothing and the update that led here commits once.
    """
    view = question_views.question(question.answers, context.bot_data.library, question.preview)
    parts = split_message(f"{intro}\n\n{view.text}" if intro else view.text)
    for part in parts[:-1]:
        await message.reply_text(part)
    sent = await message.reply_text(parts[-1], reply_markup=view.keyboard)
    _showing(context, sent.message_id)


def _showing(context: Context, message_id: int) -> None:
    if context.user_data is not None:
        context.user_data[QUESTION_MESSAGE] = message_id


async def start(update: Update, context: Context) -> None:
    """Greet; resume an unfinished set-up, or start one for a new user."""
    message = update.effective_message
    assert message is not None
    who = person(update)
    started = await context.bot_data.onboarding.start(who)
    name = esc(who.first_name)
    if started.greeting is Greeting.HAS_PROGRAM:
        await message.reply_text(
            _(
                "Hi again, {name}! /program shows your program, and /settings goes through the "
                "questions again if something has changed."
            ).format(name=name)
        )
        return
    assert started.question is not None
    # The greeting and the first question travel as one message: one call to Telegram, and
    # the phone shows the disclaimer and the question together.
    if started.greeting is Greeting.RESUMED:
        intro = _("Welcome back! Let's pick up where we left off.")
    else:
        hello = (
            _("Welcome back, {name}! Let's go through the questions again.")
            if started.greeting is Greeting.AGAIN
            else _(
                "Hi, {name}! I'm <b>BackCoach</b>. I'll ask a few short questions about your "
                "back's health and your goal, then give you a two-day back program."
            )
        ).format(name=name)
        intro = hello  # the question under it starts with the disclaimer
    await ask(message, started.question, context, intro=intro)


async def settings(update: Update, context: Context) -> None:
    """Go through the questions again; the current program stays until the new one is issued."""
    message = update.effective_message
    assert message is not None
    restarted = await context.bot_data.onboarding.restart(person(update))
    await message.reply_text(
        _("Let's go through the questions again. Your current program stays until you finish."),
        reply_markup=progress_tg.report_keyboard(restarted.report_enabled),
    )
    await ask(message, restarted.question, context)


async def schedule(update: Update, context: Context) -> None:
    """Show the schedule and the next two weeks, with a button to change it."""
    message = update.effective_message
    assert message is not None
    shown = await context.bot_data.onboarding.schedule(person(update))
    if isinstance(shown, Calendar):
        paused = shown.paused is not None
        view = schedule_views.calendar_view(shown.schedule, shown.sessions, paused)
        await send_views(message, [view])
        return
    await _schedule_questions(message, context, shown)


async def change_schedule(update: Update, context: Context) -> None:
    """Ask the schedule questions again (only with a loaded program and no medical pause)."""
    message = update.effective_message
    assert message is not None
    await _schedule_questions(
        message, context, await context.bot_data.onboarding.change_schedule(person(update))
    )


async def _schedule_questions(message: Message, context: Context, shown: Gate | Question) -> None:
    if isinstance(shown, Gate):
        await safety_tg.refuse(message, context, shown)
        return
    await ask(message, shown, context)


async def cancel(update: Update, context: Context) -> None:
    """Stop the set-up in progress."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if await context.bot_data.onboarding.cancel(user.id):
        await message.reply_text(
            _("Set-up cancelled. Nothing changed. Send /start to begin again.")
        )
    else:
        await message.reply_text(
            _("There is nothing to cancel right now. /help lists what I can do.")
        )


async def on_button(update: Update, context: Context, nonce: str, event: Event) -> None:
    """A question's button: record it, update the question message, ask the next one."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    reply = await context.bot_data.onboarding.answer(user.id, event, nonce=nonce)
    question = reply.question
    if reply.answers is None:
        await query.answer(_("This set-up is finished. Send /start or /settings."), show_alert=True)
        await drop_keyboard(query.message)
        return
    if reply.stale and question is not None:
        await query.answer(reply.problem or _("That button is no longer active."))
        await drop_keyboard(query.message)
        await ask(query.message, question, context)
        return
    if reply.problem and question is not None:  # the answer did not fit: say why, ask again
        await query.answer()
        await drop_keyboard(query.message)
        await query.message.reply_text(esc(reply.problem))
        await ask(query.message, question, context)
        return
    await query.answer()
    await _show_progress(query.message, reply, context)


async def on_text(update: Update, context: Context, reply: Reply) -> None:
    """A typed answer to the open question, already applied (`reply`): show what follows."""
    message = update.effective_message
    assert message is not None
    question = reply.question
    if reply.problem:
        await message.reply_text(esc(reply.problem))
        if question is not None:
            await ask(message, question, context)
        return
    shown = context.user_data.get(QUESTION_MESSAGE) if context.user_data is not None else None
    if isinstance(shown, int) and reply.answers is not None and reply.previous_step is not None:
        # Close the question on screen the way a tap would, so its buttons can't linger.
        record = question_views.answered(
            reply.answers, reply.previous_step, context.bot_data.library
        )
        await _edit_by_id(context, message.chat_id, shown, record)
    await _after_answer(message, reply, context)


async def on_other(update: Update, context: Context, question: Question) -> None:
    """A sticker, photo or anything else while a question is open: explain, ask again."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        _("I can only read text and button taps here. Here is the question again:")
    )
    await ask(message, question, context)


async def answer_typed(context: Context, user_id: int, text: str) -> Reply:
    """Apply typed text to the open question (answers None: no set-up in progress)."""
    return await context.bot_data.onboarding.answer(user_id, Typed(text))


async def _show_progress(message: Message, reply: Reply, context: Context) -> None:
    """After a button: the same message shows what follows (a changed tick, or the answer
    recorded above the next question), so a tap costs one edit; Back asks anew below."""
    assert reply.answers is not None and reply.previous_step is not None
    library = context.bot_data.library
    step, before = reply.answers.step, reply.previous_step
    if step is Step.DONE:
        order = reply.answers.order()
        done = order[: order.index(before) + 1]
        await _edit(message, question_views.recap(reply.answers, done, library), None)
        await _after_answer(message, reply, context)
        return
    if ORDER.index(step) < ORDER.index(before):  # Back
        await drop_keyboard(message)
        await _after_answer(message, reply, context)
        return
    # A changed tick, or the next question under the answers so far.
    view = question_views.question(reply.answers, library, reply.preview)
    if await _edit(message, view.text, view):
        _showing(context, message.message_id)
    else:  # too old or gone: the question comes as a new message
        await _after_answer(message, reply, context)


async def _after_answer(message: Message, reply: Reply, context: Context) -> None:
    """Ask the next question, or show the outcome, the program and the first session."""
    assert reply.answers is not None
    question = reply.question
    if question is not None:
        await ask(message, question, context)
        return
    if context.user_data is not None:
        context.user_data.pop(QUESTION_MESSAGE, None)
    tz = reply.answers.timezone or context.bot_data.default_timezone
    closing = views.View(
        schedule_views.next_line(reply.session, tz)
        + "\n"
        + _("/schedule shows the next two weeks.")
    )
    if reply.issued is None:  # only the schedule changed
        await send_views(message, [views.View(_("Schedule saved.")), closing])
        return
    plan = reply.issued.plan
    out = [views.screening(plan, context.bot_data.library)]
    if plan.days:  # referred: the referral says everything; there is no program to show
        out += views.program(plan)
    if reply.session is not None:
        out.append(closing)
    await send_views(message, out)


async def _edit(message: Message, text: str, view: views.View | None) -> bool:
    """Edit the message; False if Telegram refused (deleted or too old to edit)."""
    try:
        await message.edit_text(text, reply_markup=view.keyboard if view else None)
    except BadRequest as e:
        if "not modified" not in str(e).lower():
            log.debug("could not edit a question: %s", e)
            return False
    return True


async def _edit_by_id(context: Context, chat_id: int, message_id: int, text: str) -> None:
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except BadRequest as e:  # deleted, too old or unchanged: the new question is what matters
        log.debug("could not close an old question: %s", e)
