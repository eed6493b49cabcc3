"""Reminder use cases: plan the next session, claim due reminders, answer the buttons."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.domain import calendar
from bot.domain.calendar import PlannedSession, Progress, Schedule
from bot.domain.models import DayKind, Plan, Profile
from bot.domain.sessions import PauseReason, Session, SessionStatus
from bot.services.reminder_values import (
    Answer,
    Answered,
    Calendar,
    Due,
    NotYours,
    OpenSession,
    ReminderSettings,
)
from bot.storage.delivery import DeliveryRepo
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo, SetUp

# The values are in reminder_values.py; callers import them from here with the use cases.
__all__ = [
    "SNOOZE",
    "Answer",
    "Answered",
    "Calendar",
    "Due",
    "NotYours",
    "OpenSession",
    "ReminderSettings",
    "Reminders",
    "SetUp",
]

log = logging.getLogger(__name__)

SNOOZE = timedelta(hours=1)


class Reminders:
    """Plans sessions and handles what happens to them."""

    def __init__(self, repo: Repo, schedules: ScheduleRepo, settings: ReminderSettings) -> None:
        self.repo, self.schedules, self.settings = repo, schedules, settings
        self.delivery = DeliveryRepo(schedules.db)
        self.db = schedules.db

    # --- use cases of one update ----------------------------------------------------------

    async def answer(
        self, user_id: int, session_id: int, action: Answer, now: datetime, day: date | None = None
    ) -> Answered:
        """Snooze, Skip, Move (the days offered) or Move to a day; NotYours if not open."""
        saved = await self.schedules.schedule(user_id)
        tz = saved.schedule.timezone if saved else "UTC"
        if action == "snooze":
            due = await self.snooze(user_id, session_id, now)
            return Answered(tz, snoozed_until=due.astimezone(calendar.zone_info(tz)))
        if action == "move":
            return Answered(tz, options=await self.move_options(user_id, session_id, now))
        if action == "skip":
            return Answered(tz, await self.skip(user_id, session_id, now))
        if day is None:
            raise calendar.ScheduleError("Pick a day to move the session to.")
        return Answered(tz, await self.move(user_id, session_id, day, now))

    async def overview(self, user_id: int, now: datetime) -> Calendar | None:
        """/schedule: the schedule and the next two weeks, or None without a schedule."""
        saved = await self.schedules.schedule(user_id)
        if saved is None:
            return None
        sessions = await self._upcoming(user_id, saved.schedule, saved.progress, now)
        return Calendar(saved.schedule, sessions, saved.paused)

    async def due_message(self, session: Session) -> Due | None:
        """What a claimed reminder shows; None if its program or schedule is gone."""
        program = await self.repo.program(session.program_id)
        saved = await self.schedules.schedule(session.user_id)
        if program is None or saved is None:
            return None
        return Due(session, program.plan, saved.schedule.timezone)

    # --- planning -------------------------------------------------------------------------

    async def set_schedule(self, user_id: int, schedule: Schedule, now: datetime) -> Session | None:
        """Store a (new) schedule, keep what was done so far, and plan the next session."""
        saved = await self.schedules.schedule(user_id)
        progress = saved.progress if saved else Progress()
        return await self._replan(user_id, schedule, progress, now)

    async def finish_setup(
        self,
        user_id: int,
        now: datetime,
        issue: tuple[Profile, Plan] | None,
        schedule: Schedule | None,
    ) -> SetUp:
        """Store a finished set-up and its first planned session in one transaction.

        `issue` is a new program (None: keep the current one); `schedule` is None when there
        is nothing to schedule (a referred user). The first session is the one `preview`
        shows, computed from the same progress.
        """
        saved = await self.schedules.schedule(user_id)
        progress = saved.progress if saved else Progress()
        if issue is not None:
            trains = bool(issue[1].days)
        else:
            current = await self.repo.current_program(user_id)
            trains = current is not None and bool(current.plan.days)
        planned = None
        if schedule is not None and trains:
            nxt = calendar.next_session(schedule, progress, now)
            planned = (nxt, calendar.local_day_end(nxt.on, schedule.timezone))
        return await self.schedules.finish_setup(
            user_id,
            now,
            issue=issue,
            timezone=schedule.timezone if schedule else None,
            schedule=(schedule, progress) if schedule else None,
            planned=planned,
        )

    async def preview(
        self, user_id: int, schedule: Schedule, now: datetime, days: int = 14
    ) -> list[PlannedSession]:
        """The sessions a new schedule would give, from what the user has done so far."""
        saved = await self.schedules.schedule(user_id)
        progress = saved.progress if saved else Progress()
        until = calendar.local_date(now, schedule.timezone) + timedelta(days=days)
        return calendar.sessions_until(schedule, progress, now, until)

    async def replan(self, user_id: int, now: datetime) -> Session | None:
        """Plan the next session again (after a new program version or /resume)."""
        saved = await self.schedules.schedule(user_id)
        if saved is None:
            return None
        return await self._replan(user_id, saved.schedule, saved.progress, now)

    async def upcoming(self, user_id: int, now: datetime, days: int = 14) -> list[PlannedSession]:
        """The sessions of the next `days` days: the planned one as it stands (snoozed, moved)
        and the ones that follow from it, so the list matches the reminders that will come."""
        saved = await self.schedules.schedule(user_id)
        if saved is None:
            return []
        return await self._upcoming(user_id, saved.schedule, saved.progress, now, days)

    async def _upcoming(
        self, user_id: int, schedule: Schedule, progress: Progress, now: datetime, days: int = 14
    ) -> list[PlannedSession]:
        until = calendar.local_date(now, schedule.timezone) + timedelta(days=days)
        session = await self.schedules.open_session(user_id)
        first = _planned(session, schedule) if session is not None else None
        return calendar.sessions_until(schedule, progress, now, until, first)

    async def _replan(
        self,
        user_id: int,
        schedule: Schedule,
        progress: Progress,
        now: datetime,
        close_as: SessionStatus = SessionStatus.CANCELLED,
    ) -> Session | None:
        program = await self.repo.current_program(user_id)
        if program is None or not program.plan.days:
            await self.schedules.replace_open_session(
                user_id, 0, None, None, now, close_as=close_as, progress=(schedule, progress)
            )
            return None
        nxt = calendar.next_session(schedule, progress, now)
        expires = calendar.local_day_end(nxt.on, schedule.timezone)
        return await self.schedules.replace_open_session(
            user_id,
            program.id,
            nxt,
            expires,
            now,
            close_as=close_as,
            progress=(schedule, progress),
        )

    # --- the reminder queue ---------------------------------------------------------------

    async def claim_due(self, now: datetime) -> list[Session]:
        """Claim the next batch of due reminders; ones too late after downtime become missed."""
        while True:
            claimed = await self.schedules.claim_due(now, self.settings.batch)
            fresh = []
            for session in claimed:
                if now - session.due_at > self.settings.late_limit:
                    log.info("a reminder came due while the bot was down; recorded as missed")
                    await self._close(session, SessionStatus.MISSED, now)
                else:
                    fresh.append(session)
            if fresh or not claimed:
                return fresh

    async def sent(self, session: Session, now: datetime) -> None:
        """The reminder went out."""
        await self.schedules.mark(
            session.id, SessionStatus.REMINDED, now, only_if=SessionStatus.SENDING
        )

    async def attempting(self, session: Session, now: datetime) -> None:
        """Its request is about to leave: from here on a crash counts it as sent."""
        await self.delivery.attempting(session.id, now)

    async def release(self, session: Session, now: datetime) -> None:
        """A claimed reminder was not delivered: back in the queue, due as before."""
        await self.delivery.release(session.id)

    async def blocked(self, session: Session, now: datetime) -> None:
        """The user blocked the bot: pause their reminders instead of retrying forever."""
        await self.schedules.set_paused(session.user_id, PauseReason.BLOCKED, now)
        await self.schedules.mark(
            session.id, SessionStatus.PLANNED, now, only_if=SessionStatus.SENDING
        )

    async def undeliverable(self, session: Session, now: datetime) -> None:
        """Telegram refused the reminder for good (e.g. the chat is gone): count it missed."""
        await self._close(session, SessionStatus.MISSED, now, only_if=SessionStatus.SENDING)

    async def expire(self, now: datetime) -> int:
        """Reminded sessions whose day ended without an answer become missed, all at once;
        their next sessions are planned afterwards by `plan_pending`, a batch at a time."""
        return await self.schedules.expire_all(now)

    async def plan_pending(self, now: datetime, limit: int = 200) -> int:
        """Plan the next session of up to `limit` users who have none yet; how many."""
        users = await self.schedules.needing_plan(limit)
        for user_id in users:
            saved = await self.schedules.schedule(user_id)
            if saved is None:
                continue
            schedule, progress = saved.schedule, saved.progress
            last = next(iter(await self.schedules.history(user_id, limit=1)), None)
            if last is not None and last.status is SessionStatus.MISSED:
                progress = calendar.after_missed(progress, _planned(last, schedule))
            if await self._replan(user_id, schedule, progress, now) is None:
                await self.schedules.planned_nothing(user_id)
        return len(users)

    async def repair(self, now: datetime) -> int:
        """At start-up: users with a schedule but no planned session (a crash mid-set-up, or
        an older version) are marked so their next session gets planned."""
        count = await self.schedules.mark_unplanned()
        if count:
            log.warning("%d user(s) had a schedule but no planned session; planning one", count)
        return count

    async def recover(self, now: datetime) -> int:
        """At start-up: reminders whose send had started before a crash may have gone out;
        never resend them. Claimed ones whose send never started go back in the queue."""
        await self.delivery.release_unattempted()
        return await self.schedules.recover_interrupted(now)

    # --- the user's answers ---------------------------------------------------------------

    async def session_for(self, user_id: int, session_id: int) -> OpenSession:
        """The user's open session with their schedule, or NotYours."""
        session = await self.schedules.session(session_id)
        saved = await self.schedules.schedule(user_id)
        answerable = (SessionStatus.PLANNED, SessionStatus.REMINDED)
        if session is None or saved is None or session.user_id != user_id:
            raise NotYours(session_id)
        if session.status not in answerable:
            raise NotYours(session_id)
        return OpenSession(session, saved.schedule, saved.progress)

    async def start(self, user_id: int, session_id: int, now: datetime) -> Session | None:
        """The user starts the session: it counts as done today; the next one is planned."""
        session, schedule, progress = _parts(await self.session_for(user_id, session_id))
        done_on = calendar.local_date(now, schedule.timezone)
        progress = calendar.after_done(progress, done_on, session.kind)
        return await self._replan(user_id, schedule, progress, now, SessionStatus.DONE)

    async def trained(self, user_id: int, kind: DayKind, now: datetime) -> Session | None:
        """A session outside the plan ('Train now') counts for the rest rule and the split."""
        saved = await self.schedules.schedule(user_id)
        if saved is None:
            return None
        schedule, progress = saved.schedule, saved.progress
        done_on = calendar.local_date(now, schedule.timezone)
        progress = calendar.after_done(progress, done_on, kind)
        return await self._replan(user_id, schedule, progress, now)

    async def not_trained(
        self,
        user_id: int,
        kind: DayKind,
        started_on: date,
        now: datetime,
        session_id: int | None = None,
    ) -> Session | None:
        """A started session ended with nothing logged: it no longer counts for the rest
        rule, and the same day of the split is planned again."""
        if session_id is not None:  # its record says so too: as if it had been skipped
            await self.schedules.mark(
                session_id, SessionStatus.SKIPPED, now, only_if=SessionStatus.DONE
            )
        saved = await self.schedules.schedule(user_id)
        if saved is None:
            return None
        schedule, progress = saved.schedule, saved.progress
        undone = calendar.after_not_done(progress, started_on, kind)
        if undone == progress:
            return await self.schedules.open_session(user_id)
        return await self._replan(user_id, schedule, undone, now)

    async def snooze(self, user_id: int, session_id: int, now: datetime) -> datetime:
        """Remind again in an hour."""
        session = (await self.session_for(user_id, session_id)).session
        due = now + SNOOZE
        if not await self.schedules.snooze(session.id, due):
            raise NotYours(session_id)
        return due

    async def skip(self, user_id: int, session_id: int, now: datetime) -> Session | None:
        """Skip the session; the same day of the split comes next, still rested."""
        session, schedule, progress = _parts(await self.session_for(user_id, session_id))
        progress = calendar.after_skip(progress, _planned(session, schedule))
        return await self._replan(user_id, schedule, progress, now, SessionStatus.SKIPPED)

    async def move_options(self, user_id: int, session_id: int, now: datetime) -> list[date]:
        """Days the session may move to without breaking the rest rule."""
        session, schedule, progress = _parts(await self.session_for(user_id, session_id))
        return calendar.move_options(schedule, progress, _planned(session, schedule), now)

    async def move(self, user_id: int, session_id: int, day: date, now: datetime) -> Session | None:
        """Move the session to another day (one of move_options)."""
        session, schedule, progress = _parts(await self.session_for(user_id, session_id))
        if day not in calendar.move_options(schedule, progress, _planned(session, schedule), now):
            raise calendar.ScheduleError("That day would break the rest rule; pick another.")
        progress = calendar.after_move(progress, day)
        return await self._replan(user_id, schedule, progress, now, SessionStatus.MOVED)

    async def pause(self, user_id: int, now: datetime) -> bool:
        """Stop reminders until /resume."""
        return await self.schedules.set_paused(user_id, PauseReason.USER, now)

    async def resume(self, user_id: int, now: datetime) -> Session | None:
        """Restart reminders and plan the next session from today (one commit)."""
        async with self.db.transaction():
            if not await self.schedules.set_paused(user_id, None, now):
                return None
            return await self.replan(user_id, now)

    async def _close(
        self,
        session: Session,
        status: SessionStatus,
        now: datetime,
        only_if: SessionStatus | None = None,
    ) -> None:
        saved = await self.schedules.schedule(session.user_id)
        if saved is None:
            await self.schedules.mark(session.id, status, now, only_if=only_if or session.status)
            return
        schedule, progress = saved.schedule, saved.progress
        progress = calendar.after_missed(progress, _planned(session, schedule))
        await self._replan(session.user_id, schedule, progress, now, status)


def _planned(session: Session, schedule: Schedule) -> PlannedSession:
    local = session.due_at.astimezone(calendar.zone_info(schedule.timezone))
    return PlannedSession(
        on=session.on, kind=session.kind, local_time=local.time(), due_utc=session.due_at
    )


def _parts(open_session: OpenSession) -> tuple[Session, Schedule, Progress]:
    return open_session.session, open_session.schedule, open_session.progress
