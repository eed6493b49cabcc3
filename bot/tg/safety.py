"""Safety in the chat: referrals, the back-check question, exclusions, Why?, check-ins."""

from __future__ import annotations

import logging
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden, TelegramError

from bot.domain.safety import BackFeeling, Block, Gate
from bot.i18n import _, ngettext, use_language
from bot.tg import callbacks, schedule_views, views
from bot.tg.callbacks import ExcludeExercise
from bot.tg.context import App, Context
from bot.tg.jobs import every_tick
from bot.tg.render import esc
from bot.tg.send import drop_keyboard, send_views

log = logging.getLogger(__name__)
CHECKIN_JOB = "checkins"


async def refuse(message: Message, context: Context, gate: Gate) -> None:
    """Say why there is no loaded session, and how to come back."""
    if gate.block is Block.NO_PROGRAM:
        await message.reply_text(esc(gate.text))
        return
    view = views.referral(gate, context.bot_data.library)
    if gate.block is Block.MEDICAL_PAUSE:
        cleared = InlineKeyboardButton(
            _("A doctor has cleared me"), callback_data=callbacks.cleared()
        )
        view = views.View(view.text, InlineKeyboardMarkup([[cleared]]))
    await send_views(message, [view])


async def ask_back_check(message: Message, context: Context, session_id: int | None) -> None:
    """'How is your back today?' before any session starts."""
    bc = context.bot_data.library.safety.back_check

    def b(label: str, feeling: BackFeeling) -> list[InlineKeyboardButton]:
        data = callbacks.back_check(feeling, session_id)
        return [InlineKeyboardButton(label, callback_data=data)]

    keyboard = InlineKeyboardMarkup(
        [
            b(bc.fine, BackFeeling.FINE),
            b(bc.stiff, BackFeeling.STIFF),
            b(bc.hurts, BackFeeling.HURTS),
            b(bc.red_flag, BackFeeling.RED_FLAG),
        ]
    )
    text = f"<b>{esc(bc.question)}</b>\n\n<i>{esc(bc.warning_signs)}</i>"
    await message.reply_text(text, reply_markup=keyboard)


async def on_exclude(update: Update, context: Context, button: ExcludeExercise) -> None:
    """Yes or no to leaving an exercise that hurt twice out of the program."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    data = context.bot_data
    await drop_keyboard(query.message)
    name = (
        esc(data.library.exercises[button.exercise_id].name)
        if (button.exercise_id in data.library.exercises)
        else _("That exercise")
    )
    if not button.confirm:
        await query.answer(_("Kept."))
        await query.message.reply_text(
            _("OK, {name} stays in your program. Stop it if it hurts.").format(name=name)
        )
        return
    if await data.safety.exclude(user.id, button.exercise_id):
        await query.answer(_("Left out."))
        await query.message.reply_text(
            _("Done: {name} is left out from now on. /program shows your new version.").format(
                name=name
            )
        )
    else:
        await query.answer(_("Already done."))


async def on_why(message: Message, context: Context, user_id: int) -> None:
    """The full reasons behind the current program."""
    plan = await context.bot_data.safety.current_plan(user_id)
    if plan is None:
        await message.reply_text(_("You have no program yet. Send /start to get one."))
        return
    await send_views(message, [views.screening_details(plan, context.bot_data.library)])


async def on_checkin_request(message: Message, context: Context, user_id: int) -> None:
    """'Check in with me in 3 days' after pain at set-up."""
    await context.bot_data.safety.request_checkin(user_id)
    await message.reply_text(
        ngettext(
            "I'll check in with you in {n} day. Take care of your back until then.",
            "I'll check in with you in {n} days. Take care of your back until then.",
            views.CHECKIN_DAYS,
        ).format(n=views.CHECKIN_DAYS)
    )


async def on_cleared(message: Message, context: Context, user_id: int) -> None:
    """'A doctor has cleared me' after a medical pause: reminders start again."""
    resumed = await context.bot_data.safety.cleared(user_id)
    if resumed is None:
        await message.reply_text(
            _("Your reminders aren't paused for your health. /today shows what's next.")
        )
        return
    await message.reply_text(
        _("Good to hear. Reminders are on again; start gently and stop if anything hurts.")
        + " "
        + schedule_views.next_line(resumed.next_session, resumed.timezone)
    )


async def send_checkins(app: App) -> int:
    """Send the check-ins that are due; return how many went out."""
    data = app.bot_data
    sent = 0
    for user_id, chat_id in await data.safety.due_checkins():
        try:
            with use_language(await data.languages.for_user(user_id)):
                text = esc(data.library.safety.messages.checkin)
                await app.bot.send_message(chat_id, text)
            sent += 1
        except Forbidden:
            log.info("a check-in could not be delivered: the user blocked the bot")
        except TelegramError as e:
            log.warning("a check-in was not delivered (user %d): %s", user_id, e)
    return sent


async def checkin_tick(context: Context) -> None:
    """The repeating job: send the check-ins that are due."""
    await send_checkins(cast(App, context.application))


def schedule_checkins(app: App) -> None:
    """One repeating job sends due check-ins (stored in SQLite, so they survive restarts)."""
    every_tick(app, checkin_tick, CHECKIN_JOB)
