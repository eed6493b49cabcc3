"""Reminder answers over a real SQLite file: snooze, skip, move, pause and resume."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.calendar import ScheduleError
from bot.domain.models import DayKind
from bot.domain.sessions import PauseReason, Session, SessionStatus
from bot.services.bootstrap import Services
from bot.services.onboarding import Person
from bot.services.reminders import NotYours
from bot.services.safety import Resumed
from tests.services.conftest import ANN, counting, onboarded


async def planned(s: Services, user_id: int = ANN.user_id) -> Session:
    session = await s.schedules.open_session(user_id)
    assert session is not None
    return session


async def reminded(s: Services, clock: FakeClock) -> Session:
    """Move to the first session's reminder and send it, as the reminder job does."""
    clock.now = (await planned(s)).due_at
    [session] = await s.reminders.claim_due(clock())
    await s.reminders.sent(session, clock())
    return session


async def test_snooze_reminds_an_hour_later_in_local_time(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    session = await reminded(services, clock)
    with counting() as commits:
        answered = await services.reminders.answer(ANN.user_id, session.id, "snooze", clock())
    assert commits.count == 1
    assert answered.timezone == "Europe/Berlin"
    assert answered.snoozed_until is not None
    assert answered.snoozed_until == clock() + timedelta(hours=1)
    assert answered.snoozed_until.utcoffset() == timedelta(hours=1), "shown in Berlin time"


async def test_skip_keeps_the_same_day_of_the_split_next(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    first = await planned(services)
    assert first.kind is DayKind.UPPER
    with counting() as commits:
        answered = await services.reminders.answer(ANN.user_id, first.id, "skip", clock())
    assert commits.count == 1
    nxt = answered.next_session
    assert nxt is not None and nxt.kind is DayKind.UPPER and nxt.on > first.on
    old = await services.schedules.session(first.id)
    assert old is not None and old.status is SessionStatus.SKIPPED


async def test_move_offers_only_rested_days_and_moves_to_one(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    first = await planned(services)
    offered = await services.reminders.answer(ANN.user_id, first.id, "move", clock())
    assert offered.options and first.on not in offered.options
    day = offered.options[0]
    with counting() as commits:
        moved = await services.reminders.answer(ANN.user_id, first.id, "move-to", clock(), day)
    assert commits.count == 1
    assert moved.next_session is not None and moved.next_session.on == day
    with pytest.raises(NotYours):  # the moved reminder is closed; its buttons are stale
        await services.reminders.answer(ANN.user_id, first.id, "skip", clock())


async def test_a_day_outside_the_offer_is_refused(services: Services, clock: FakeClock) -> None:
    await onboarded(services)
    first = await planned(services)
    with pytest.raises(ScheduleError):
        await services.reminders.answer(ANN.user_id, first.id, "move-to", clock(), first.on)


async def test_another_users_reminder_is_not_theirs(services: Services, clock: FakeClock) -> None:
    await onboarded(services)
    bo = Person(502, 502, "Bo")
    await onboarded(services, bo)
    with pytest.raises(NotYours):
        await services.reminders.answer(bo.user_id, (await planned(services)).id, "skip", clock())


async def test_resume_after_a_pause_is_one_commit_and_plans_again(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    assert await services.reminders.pause(ANN.user_id, clock())
    overview = await services.reminders.overview(ANN.user_id, clock())
    assert overview is not None and overview.paused is PauseReason.USER
    with counting() as commits:
        resumed = await services.safety.resume_reminders(ANN.user_id)
    assert commits.count == 1
    assert isinstance(resumed, Resumed) and resumed.next_session is not None
    overview = await services.reminders.overview(ANN.user_id, clock())
    assert overview is not None and overview.paused is None
