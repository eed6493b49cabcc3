"""/today as one use case: what it answers in each state, and that it writes nothing."""

from __future__ import annotations

from bot.clock import FakeClock
from bot.domain.safety import Block
from bot.domain.sessions import PauseReason
from bot.services.bootstrap import Services
from bot.services.safety import Opening
from tests.services.conftest import ANN, counting, onboarded


async def test_today_answers_in_the_order_the_user_needs_and_commits_nothing(
    services: Services, clock: FakeClock
) -> None:
    refused = await services.today.today(ANN.user_id)
    assert not refused.gate.open, "no program yet: the gate is closed"
    await onboarded(services)
    session = await services.schedules.open_session(ANN.user_id)
    assert session is not None
    clock.now = session.due_at
    with counting() as commits:
        due = await services.today.today(ANN.user_id)
    assert commits.count == 0
    assert due.gate.open and due.active is None
    assert due.due_today and due.session == session and due.fits is None
    assert due.timezone == "Europe/Berlin"

    started = await services.safety.start_from_reminder(ANN.user_id, session.id)
    assert started.opening is Opening.BACK_CHECK
    workout = await services.sessions.start(ANN.user_id, session.id)
    training = await services.today.today(ANN.user_id)
    assert training.active is not None and training.active.id == workout.id

    await services.sessions.end(ANN.user_id, workout.id, early=True)
    done = await services.today.today(ANN.user_id)
    assert done.active is None and not done.due_today
    assert done.session is not None and done.session.on > session.on, "the next one"
    assert done.fits is not None and done.fits.kind is None, "trained today: nothing fits"


async def test_a_medical_pause_closes_today_before_anything_else(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    await services.sessions.start(ANN.user_id)
    await services.schedules.set_paused(ANN.user_id, PauseReason.MEDICAL, clock())
    paused = await services.today.today(ANN.user_id)
    assert paused.gate.block is Block.MEDICAL_PAUSE
    assert paused.active is None, "an open workout is not offered past a closed gate"
