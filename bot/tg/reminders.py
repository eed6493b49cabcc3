"""Reminder delivery (one time-slot job reading the database) and the answers to reminders."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Message, Update
from telegram.error import RetryAfter, TelegramError

from bot.domain.calendar import ScheduleError
from bot.domain.safety import Gate
from bot.domain.sessions import Session
from bot.services.reminders import NotYours, Reminders
from bot.services.safety import Opening, StartAnswer
from bot.tg import safety as safety_tg
from bot.tg import schedule_views, workouts
from bot.tg.callbacks import ReminderButton
from bot.tg.context import App, Context
from bot.tg.delivery import Backoff, Outcome, classify
from bot.tg.jobs import every_tick
from bot.tg.ratelimit import BEFORE_SEND
from bot.tg.send import drop_keyboard, send_views

log = logging.getLogger(__name__)

JOB_NAME = "reminders"
_RETRY = object()  # _send's answer when the reminder must go back in the queue


def _retry_after(error: TelegramError) -> timedelta:
    """Telegram's own wait after a 429, else nothing."""
    if not isinstance(error, RetryAfter):
        return timedelta(0)
    value: object = getattr(error, "_retry_after", None) or error.retry_after
    if isinstance(value, timedelta):
        return value
    return timedelta(seconds=float(value))  # type: ignore[arg-type]


class ReminderRunner:
    """Drains due reminders from the database, paced by the app's rate limiter.

    APScheduler drops a job that starts more than misfire_grace_time late, so one job per
    user loses reminders when thousands come due at once. Instead a single repeating job
    asks the database what is due and sends it in batches; nothing due can be skipped, only
    delayed. Claiming a batch before sending it makes delivery at most once; a failure
    Telegram cannot have accepted releases the claim, so it is retried (see tg/delivery.py).
    """

    def __init__(self, app: App) -> None:
        self.app = app
        self._lock = asyncio.Lock()
        self.sent = 0
        self.backoff = Backoff()
        self.retried = 0  # sends that failed before Telegram could accept them
        self.ambiguous = 0  # sends that may have arrived; counted as delivered

    @property
    def service(self) -> Reminders:
        """The reminder use cases."""
        return self.app.bot_data.reminders

    async def tick(self) -> int:
        """Send everything that is due now; return how many reminders went out.

        A send Telegram cannot have accepted puts its reminder (and the rest of the batch)
        back in the queue and pauses sending with backoff; nothing is left claimed.
        """
        async with self._lock:  # the job and a test may both call this; never in parallel
            data = self.app.bot_data
            await self.service.expire(data.clock())
            await workouts.close_stale(self.app)  # sessions left open past their day's end
            total = 0
            if not self.backoff.ready(data.clock()):
                # Sending pauses after a failure; planning the next sessions does not.
                while await self.service.plan_pending(data.clock()):
                    pass
                return 0
            while True:
                stop = False
                while batch := await self.service.claim_due(data.clock()):
                    # One after another, so they arrive in order of due time; the pacer spaces
                    # them, and a send waits for the one before it to be answered.
                    sent, stop = await self._send_batch(batch)
                    total += sent
                    if stop:
                        break
                # Users whose day ended get their next session a batch at a time, looking
                # for due reminders between batches so those still go out on time.
                if stop or not await self.service.plan_pending(data.clock()):
                    break
            self.sent += total
            return total

    async def _send_batch(self, batch: list[Session]) -> tuple[int, bool]:
        """Send a claimed batch; on a retryable failure release the rest and say stop."""
        sent = 0
        for i, session in enumerate(batch):
            try:
                outcome = await self._send(session)
            except BaseException:
                # Whatever happened (a bug, a cancelled task at shutdown), nothing stays claimed.
                await self._release(batch[i:])
                raise
            if outcome is _RETRY:
                await self._release(batch[i:])
                return sent, True
            sent += outcome is True
        return sent, False

    async def _release(self, sessions: list[Session]) -> None:
        now = self.app.bot_data.clock()
        for session in sessions:
            await self.service.release(session, now)

    async def _send(self, session: Session) -> object:
        """True if sent (or perhaps sent), False if recorded otherwise, _RETRY to try again."""
        data = self.app.bot_data
        due = await self.service.due_message(session)
        if due is None:
            await self.service.undeliverable(session, data.clock())
            return False
        view = schedule_views.reminder_view(session, due.plan, due.timezone)

        async def attempting() -> None:
            await self.service.attempting(session, data.clock())

        token = BEFORE_SEND.set(attempting)
        try:
            await self.app.bot.send_message(session.chat_id, view.text, reply_markup=view.keyboard)
        except TelegramError as e:
            outcome = classify(e)
            if outcome is Outcome.BLOCKED:
                log.info("a user blocked the bot; their reminders are paused")
                await self.service.blocked(session, data.clock())
                return False
            if outcome is Outcome.REFUSED:
                log.warning("Telegram refused reminder %d for good: %s", session.id, e)
                await self.service.undeliverable(session, data.clock())
                return False
            if outcome is Outcome.RETRY:
                pause = self.backoff.failed(data.clock(), _retry_after(e))
                self.retried += 1
                log.warning(
                    "reminder %d not delivered (%s: %s); retrying in %.0f s",
                    session.id,
                    type(e).__name__,
                    e,
                    pause.total_seconds(),
                )
                return _RETRY
            # It may have arrived; never sending twice means counting it as delivered.
            self.ambiguous += 1
            log.warning(
                "reminder %d may not have arrived (%s: %s); counted as delivered (%d so far)",
                session.id,
                type(e).__name__,
                e,
                self.ambiguous,
            )
        finally:
            BEFORE_SEND.reset(token)
        self.backoff.succeeded()
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
    try:
        if button.action == "start":
            started = await data.safety.start_from_reminder(user.id, button.session_id)
            await query.answer()
            await _start(query.message, context, started, user.id, button.session_id)
            return
        answered = await data.reminders.answer(
            user.id, button.session_id, button.action, data.clock(), button.day
        )
    except NotYours:
        await query.answer("This reminder is no longer active.", show_alert=True)
        await drop_keyboard(query.message)
        return
    except ScheduleError as e:
        await query.answer(str(e), show_alert=True)
        return
    if button.action == "move":
        await query.answer()
        await send_views(
            query.message, [schedule_views.move_view(button.session_id, answered.options)]
        )
        return
    if answered.snoozed_until is not None:
        await query.answer("I'll remind you again in an hour.")
        await _close(query.message, f"Snoozed until {answered.snoozed_until:%H:%M}.")
        return
    if button.action == "skip":
        await query.answer("Skipped.")
        await _close(query.message, "Skipped. The same day of the split comes next.")
    else:
        assert button.day is not None
        await query.answer("Moved.")
        await _close(query.message, f"Moved to {schedule_views.day_label(button.day)}.")
    await query.message.reply_text(
        schedule_views.next_line(answered.next_session, answered.timezone)
    )


async def _start(
    message: Message, context: Context, started: StartAnswer, user_id: int, session_id: int
) -> None:
    """Start: refused by the gate, the session under way, or the back check first."""
    if started.opening is Opening.REFUSED:
        await drop_keyboard(message)
        await safety_tg.refuse(message, context, started.gate)
        return
    await _close(message, "Started.")
    if started.opening is Opening.RESUME:
        await workouts.resume_active(message, context, user_id)
        return
    await safety_tg.ask_back_check(message, context, session_id)


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
    resumed = await context.bot_data.safety.resume_reminders(user.id)
    if resumed is None:
        await message.reply_text("You have no schedule yet. /schedule sets one up.")
        return
    if isinstance(resumed, Gate):  # a medical pause: only lifted by 'a doctor cleared me'
        await safety_tg.refuse(message, context, resumed)
        return
    note = " Welcome back!" if resumed.was_blocked else ""
    await message.reply_text(
        "Reminders are on."
        + note
        + " "
        + schedule_views.next_line(resumed.next_session, resumed.timezone)
    )
