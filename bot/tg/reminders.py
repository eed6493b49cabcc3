"""Reminder delivery (one time-slot job reading the database) and the answers to reminders."""

from __future__ import annotations

import asyncio
import logging
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError

from bot.domain.calendar import ScheduleError
from bot.domain.sessions import PauseReason, Session
from bot.services.reminders import NotYours, Reminders
from bot.tg import safety as safety_tg
from bot.tg import schedule_views, workouts
from bot.tg.callbacks import ReminderButton
from bot.tg.context import App, Context
from bot.tg.jobs import every_tick
from bot.tg.send import drop_keyboard, send_views

log = logging.getLogger(__name__)

JOB_NAME = "reminders"


class ReminderRunner:
    """Drains due reminders from the database, paced by the app's rate limiter.

    APScheduler drops a job that starts more than misfire_grace_time late, so one job per
    user loses reminders when thousands come due at once. Instead a single repeating job
    asks the database what is due and sends it in batches; nothing due can be skipped, only
    delayed. Claiming a batch before sending it makes delivery at most once.
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self._lock = asyncio.Lock()
        self.sent = 0

    @property
    def service(self) -> Reminders:
        """The reminder use cases."""
        return self.app.bot_data.reminders

    async def tick(self) -> int:
        """Send everything that is due now; return how many reminders went out."""
        async with self._lock:  # the job and a test may both call this; never in parallel
            data = self.app.bot_data
            await self.service.expire(data.clock())
            await workouts.close_stale(self.app)  # sessions left open past their day's end
            total = 0
            while True:
                while batch := await self.service.claim_due(data.clock()):
                    # One after another, so they arrive in order of due time; the pacer spaces
                    # them, and a send waits for the one before it to be answered.
                    for session in batch:
                        total += await self._send(session)
                # Users whose day ended get their next session a batch at a time, looking
                # for due reminders between batches so those still go out on time.
                if not await self.service.plan_pending(data.clock()):
                    break
            self.sent += total
            return total

    async def _send(self, session: Session) -> bool:
        data = self.app.bot_data
        program = await data.repo.program(session.program_id)
        saved = await data.schedules.schedule(session.user_id)
        if program is None or saved is None:
            await self.service.undeliverable(session, data.clock())
            return False
        view = schedule_views.reminder_view(session, program.plan, saved[0].timezone)
        try:
            await self.app.bot.send_message(session.chat_id, view.text, reply_markup=view.keyboard)
        except Forbidden:
            log.info("a user blocked the bot; their reminders are paused")
            await self.service.blocked(session, data.clock())
            return False
        except BadRequest:
            log.warning("Telegram refused a reminder", exc_info=True)
            await self.service.undeliverable(session, data.clock())
            return False
        except NetworkError:
            # It may have arrived; at most once means counting it as sent.
            log.warning("a reminder may not have arrived", exc_info=True)
        await self.service.sent(session, data.clock())
        return True


async def reminder_job(context: Context) -> None:
    """The repeating time-slot job."""
    await context.bot_data.runner.tick()


def schedule_job(app: App) -> None:
    """Register the repeating job (removing any earlier one of the same name)."""
    every_tick(app, reminder_job, JOB_NAME)


async def on_button(update: Update, context: Context, button: ReminderButton) -> None:
    """Start, Snooze, Skip or Move on a reminder."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    data = context.bot_data
    svc, now = data.reminders, data.clock()
    saved = await data.schedules.schedule(user.id)
    tz = saved[0].timezone if saved else data.default_timezone
    try:
        if button.action == "start":
            await svc.session_for(user.id, button.session_id)  # still open, and theirs
            gate = await data.safety.gate(user.id)
            await query.answer()
            if not gate.open:
                await drop_keyboard(query.message)
                await safety_tg.refuse(query.message, context, gate)
                return
            await _close(query.message, "Started.")
            if await data.safety.in_progress(user.id) is not None:
                await workouts.resume_active(query.message, context, user.id)
                return
            await safety_tg.ask_back_check(query.message, context, button.session_id)
            return
        elif button.action == "snooze":
            due = await svc.snooze(user.id, button.session_id, now)
            await query.answer("I'll remind you again in an hour.")
            local = due.astimezone(ZoneInfo(tz))
            await _close(query.message, f"Snoozed until {local:%H:%M}.")
            return
        elif button.action == "skip":
            nxt = await svc.skip(user.id, button.session_id, now)
            await query.answer("Skipped.")
            await _close(query.message, "Skipped. The same day of the split comes next.")
            text = schedule_views.next_line(nxt, tz)
        elif button.action == "move":
            options = await svc.move_options(user.id, button.session_id, now)
            await query.answer()
            view = schedule_views.move_view(button.session_id, options)
            await send_views(query.message, [view])
            return
        else:
            assert button.day is not None
            nxt = await svc.move(user.id, button.session_id, button.day, now)
            await query.answer("Moved.")
            await _close(query.message, f"Moved to {schedule_views.day_label(button.day)}.")
            text = schedule_views.next_line(nxt, tz)
    except NotYours:
        await query.answer("This reminder is no longer active.", show_alert=True)
        await drop_keyboard(query.message)
        return
    except ScheduleError as e:
        await query.answer(str(e), show_alert=True)
        return
    await query.message.reply_text(text)


async def _close(message: Message, note: str) -> None:
    try:
        await message.edit_text(f"{message.text_html}\n\n<i>{note}</i>", reply_markup=None)
    except TelegramError as e:
        log.debug("could not update a reminder: %s", e)


async def pause(update: Update, context: Context) -> None:
    """Stop reminders."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    data = context.bot_data
    if await data.reminders.pause(user.id, data.clock()):
        await message.reply_text("Reminders paused. /resume starts them again.")
    else:
        await message.reply_text("You have no schedule yet. /schedule sets one up.")


async def resume(update: Update, context: Context) -> None:
    """Restart reminders from today."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    data = context.bot_data
    saved = await data.schedules.schedule(user.id)
    if saved is None:
        await message.reply_text("You have no schedule yet. /schedule sets one up.")
        return
    if saved[2] is PauseReason.MEDICAL:  # only the user's word that a doctor cleared them
        await safety_tg.refuse(message, context, await data.safety.gate(user.id))
        return
    nxt = await data.reminders.resume(user.id, data.clock())
    note = "" if saved[2] is not PauseReason.BLOCKED else " Welcome back!"
    await message.reply_text(
        "Reminders are on." + note + " " + schedule_views.next_line(nxt, saved[0].timezone)
    )
