"""Safety decisions over stored state: the gate, Start on a reminder, the back check, pain."""

from __future__ import annotations

import pytest

from bot.clock import FakeClock
from bot.domain.accounts import IssuedProgram
from bot.domain.safety import BackFeeling, Block, Gate
from bot.domain.sessions import PauseReason, Session
from bot.domain.workouts import Workout
from bot.services.backcheck import Outcome
from bot.services.bootstrap import Services
from bot.services.reminders import NotYours
from bot.services.safety import Opening, Resumed
from tests.services.conftest import ANN, counting, onboarded


async def at_first_session(s: Services, clock: FakeClock) -> Session:
    """Ann, onboarded, at the time of her first planned session."""
    await onboarded(s)
    session = await s.schedules.open_session(ANN.user_id)
    assert session is not None
    clock.now = session.due_at
    return session


async def test_program_is_shown_only_with_an_open_gate(
    services: Services, clock: FakeClock
) -> None:
    assert await services.safety.program(ANN.user_id) is None
    await onboarded(services)
    assert isinstance(await services.safety.program(ANN.user_id), IssuedProgram)
    await services.schedules.set_paused(ANN.user_id, PauseReason.MEDICAL, clock())
    refused = await services.safety.program(ANN.user_id)
    assert isinstance(refused, Gate) and refused.block is Block.MEDICAL_PAUSE


async def test_start_on_a_reminder_asks_the_back_check_then_a_fine_back_starts_in_one_commit(
    services: Services, clock: FakeClock
) -> None:
    session = await at_first_session(services, clock)
    started = await services.safety.start_from_reminder(ANN.user_id, session.id)
    assert started.opening is Opening.BACK_CHECK and started.gate.open
    with counting() as commits:
        answer = await services.back_checks.answer(ANN.user_id, BackFeeling.FINE, session.id)
    assert commits.count == 1, "the answer and the workout it starts are one commit"
    assert answer.outcome is Outcome.STARTED and isinstance(answer.workout, Workout)
    assert not answer.workout.light
    assert await services.safety_store.feelings_on(ANN.user_id, session.on) == [BackFeeling.FINE]
    with pytest.raises(NotYours):  # the started session is done: its reminder is closed
        await services.safety.start_from_reminder(ANN.user_id, session.id)
    nxt = await services.schedules.open_session(ANN.user_id)
    assert nxt is not None and nxt.on > session.on, "the next session is planned"


async def test_a_warning_sign_pauses_reminders_until_a_doctor_clears_them(
    services: Services,
) -> None:
    await onboarded(services)
    with counting() as commits:
        answer = await services.back_checks.answer(ANN.user_id, BackFeeling.RED_FLAG, None)
    assert commits.count == 1
    assert answer.outcome is Outcome.PAINFUL and answer.result is not None
    assert answer.result.decision.pause and answer.result.next_session is None
    refused = await services.safety.resume_reminders(ANN.user_id)
    assert isinstance(refused, Gate) and refused.block is Block.MEDICAL_PAUSE
    with counting() as commits:
        cleared = await services.safety.cleared(ANN.user_id)
    assert commits.count == 1
    assert isinstance(cleared, Resumed) and cleared.next_session is not None
    assert await services.safety.cleared(ANN.user_id) is None, "not paused any more"


async def test_it_hurts_moves_todays_session_and_stays_stored(
    services: Services, clock: FakeClock
) -> None:
    session = await at_first_session(services, clock)
    answer = await services.back_checks.answer(ANN.user_id, BackFeeling.HURTS, session.id)
    assert answer.outcome is Outcome.PAINFUL and answer.result is not None
    assert answer.result.moved and answer.result.next_session is not None
    assert answer.result.next_session.on > session.on
    fine = await services.back_checks.answer(ANN.user_id, BackFeeling.FINE, None)
    assert fine.outcome is Outcome.NOT_TODAY, "no training on a day the back hurt"


async def test_pain_on_an_exercise_is_one_commit_and_twice_asks_to_leave_it_out(
    services: Services, clock: FakeClock
) -> None:
    session = await at_first_session(services, clock)
    started = await services.back_checks.answer(ANN.user_id, BackFeeling.FINE, session.id)
    workout = started.workout
    assert workout is not None and workout.current is not None
    while workout.current is not None and workout.current.tick_off:  # past the warm-up
        workout = await services.sessions.skip(ANN.user_id)
    assert workout.current is not None
    with counting() as commits:
        hurt = await services.safety.pain(ANN.user_id, workout.id, workout.position)
    assert commits.count == 1, "the stop and the record of pain are one commit"
    assert hurt.times == 1 and not hurt.excluded
    assert all(e.pattern is not hurt.exercise.pattern for e in hurt.options)
    with counting() as commits:
        assert await services.safety.exclude(ANN.user_id, hurt.exercise.id)
    assert commits.count == 1, "the new version and its next session are one commit"
    program = await services.safety.program(ANN.user_id)
    assert isinstance(program, IssuedProgram) and program.version == 2
    assert hurt.exercise.id in program.profile.excluded
    assert not await services.safety.exclude(ANN.user_id, hurt.exercise.id), "already out"
