"""Onboarding use cases over a real SQLite file: each update's writes are one commit."""

from __future__ import annotations

from dataclasses import replace

from bot.domain.models import Outcome
from bot.domain.onboarding import Finish, NoneOfThese, Pick, Step
from bot.domain.safety import Block, Gate
from bot.services.bootstrap import Services
from bot.services.onboarding import Greeting, Question
from bot.services.reminders import Calendar
from bot.storage.languages import LanguageRepo
from tests.services.conftest import ANN, HEALTHY, answer_all, counting, onboarded


async def test_a_new_user_is_remembered_and_asked_the_first_question_in_one_commit(
    services: Services,
) -> None:
    trips = services.db.round_trips
    with counting() as commits:
        started = await services.onboarding.start(ANN)
    assert commits.count == 1
    # The user, the reads /start decides on and the first state in one call, then the COMMIT.
    assert services.db.round_trips - trips == 2
    assert started.greeting is Greeting.NEW
    assert started.question is not None and started.question.answers.step is Step.RED_FLAGS
    user = await services.repo.get_user(ANN.user_id)
    assert user is not None and user.first_name == "Ann"
    again = await services.onboarding.start(ANN)
    assert again.greeting is Greeting.RESUMED, "a set-up in progress is picked up, not restarted"
    assert (
        again.question is not None
        and again.question.answers.nonce == started.question.answers.nonce
    )


async def test_finishing_the_set_up_is_exactly_one_commit(services: Services) -> None:
    await answer_all(services, HEALTHY)
    confirm = await services.onboarding.open_question(ANN.user_id)
    assert confirm is not None and confirm.answers.step is Step.CONFIRM
    assert confirm.preview, "the confirmation shows the two weeks it would give"
    with counting() as commits:
        reply = await services.onboarding.answer(ANN.user_id, Finish(Step.CONFIRM))
    assert commits.count == 1
    assert reply.issued is not None and reply.issued.plan.outcome is not Outcome.REFER
    assert reply.session is not None
    assert (reply.session.on, reply.session.kind) == (
        confirm.preview[0].on,
        confirm.preview[0].kind,
    )
    assert await services.onboarding.current(ANN.user_id) is None, "the conversation is closed"
    user = await services.repo.get_user(ANN.user_id)
    assert user is not None and user.timezone == "Europe/Berlin"


async def test_every_answer_commits_at_most_once(services: Services) -> None:
    await services.onboarding.start(ANN)
    for event in HEALTHY:
        with counting() as commits:
            await services.onboarding.answer(ANN.user_id, event)
        assert commits.count <= 1, event


async def test_a_referral_ends_the_set_up_with_no_program_and_no_session(
    services: Services,
) -> None:
    await answer_all(services, HEALTHY[:6])
    await services.onboarding.answer(ANN.user_id, Pick(Step.CONDITIONS, "recent-injury"))
    with counting() as commits:
        reply = await services.onboarding.answer(ANN.user_id, Finish(Step.CONDITIONS))
    assert commits.count == 1
    assert reply.answers is not None and reply.answers.step is Step.DONE
    assert reply.issued is not None and reply.issued.plan.outcome is Outcome.REFER
    assert reply.session is None and reply.question is None


async def test_a_button_from_an_earlier_set_up_changes_nothing(services: Services) -> None:
    started = await services.onboarding.start(ANN)
    assert started.question is not None
    old = started.question.answers.nonce
    restarted = await services.onboarding.restart(ANN)
    assert restarted.question.answers.nonce != old and restarted.report_enabled
    with counting() as commits:
        reply = await services.onboarding.answer(ANN.user_id, NoneOfThese(Step.RED_FLAGS), old)
    assert commits.count == 0
    assert reply.stale and reply.problem == "That button is from an earlier set-up."
    assert reply.answers is not None and reply.answers.step is Step.RED_FLAGS


async def test_schedule_without_a_program_is_refused_by_the_gate(services: Services) -> None:
    shown = await services.onboarding.schedule(ANN)
    assert isinstance(shown, Gate) and shown.block is Block.NO_PROGRAM
    assert isinstance(await services.onboarding.change_schedule(ANN), Gate)


async def test_schedule_shows_the_calendar_and_change_asks_the_schedule_questions(
    services: Services,
) -> None:
    await onboarded(services)
    shown = await services.onboarding.schedule(ANN)
    assert isinstance(shown, Calendar) and shown.paused is None
    assert shown.schedule.weekdays == frozenset({0, 3})
    assert shown.sessions and all(s.on.weekday() in (0, 3) for s in shown.sessions)
    change = await services.onboarding.change_schedule(ANN)
    assert isinstance(change, Question) and change.answers.schedule_only
    assert change.answers.step is Step.DAYS


async def test_cancel_drops_the_set_up_once(services: Services) -> None:
    assert not await services.onboarding.cancel(ANN.user_id)
    await services.onboarding.start(ANN)
    assert await services.onboarding.cancel(ANN.user_id)
    assert await services.onboarding.open_question(ANN.user_id) is None
    assert (
        await services.onboarding.answer(ANN.user_id, NoneOfThese(Step.RED_FLAGS))
    ).answers is None


async def test_an_unreadable_saved_state_is_dropped_and_the_set_up_begins_in_one_commit(
    services: Services,
) -> None:
    await services.repo.upsert_user(
        ANN.user_id, ANN.chat_id, ANN.first_name, services.onboarding.clock()
    )
    await services.repo.save_conversation(
        ANN.user_id, "onboarding", {"step": "no-such-step"}, services.onboarding.clock()
    )
    with counting() as commits:
        started = await services.onboarding.start(ANN)
    assert commits.count == 1
    assert started.greeting is Greeting.NEW
    assert started.question is not None and started.question.answers.step is Step.RED_FLAGS


async def test_an_answer_reads_decides_and_stores_in_one_call_and_one_commit(
    services: Services,
) -> None:
    started = await services.onboarding.start(ANN)
    assert started.question is not None
    nonce = started.question.answers.nonce
    trips = services.db.round_trips
    with counting() as commits:
        reply = await services.onboarding.answer(ANN.user_id, NoneOfThese(Step.RED_FLAGS), nonce)
    assert (commits.count, services.db.round_trips - trips) == (1, 1)
    assert reply.answers is not None and reply.answers.step is Step.PAIN
    stored = await services.onboarding.open_question(ANN.user_id)
    assert stored is not None and stored.answers.step is Step.PAIN, "the new state is stored"
    # A button from an earlier set-up: read, refused, nothing written.
    trips = services.db.round_trips
    with counting() as commits:
        stale = await services.onboarding.answer(ANN.user_id, Pick(Step.PAIN, "no"), "0ld")
    assert (commits.count, services.db.round_trips - trips) == (0, 1)
    assert stale.stale and stale.answers is not None and stale.answers.step is Step.PAIN


async def test_an_answer_to_an_unreadable_state_drops_it_in_one_commit(services: Services) -> None:
    await services.onboarding.start(ANN)
    await services.repo.save_conversation(
        ANN.user_id, "onboarding", {"step": "no-such-step"}, services.onboarding.clock()
    )
    with counting() as commits:
        reply = await services.onboarding.answer(ANN.user_id, NoneOfThese(Step.RED_FLAGS))
    assert commits.count == 1
    assert reply.answers is None and reply.stale
    assert await services.repo.load_conversation(ANN.user_id) is None


async def test_a_new_user_s_telegram_language_is_stored_with_them_at_start(
    services: Services,
) -> None:
    """Their Telegram app's language is written with the user row /start creates (so a
    reminder after a restart speaks it), and nothing more is written for it afterwards."""
    ru = replace(ANN, user_id=777, chat_id=777, telegram_language="ru")
    languages = services.languages
    before = services.db.round_trips
    assert await languages.for_update(ru.user_id, "ru-RU") == "ru"
    assert services.db.round_trips - before == 1, "one read; no row to write into yet"
    await services.onboarding.start(ru)
    stored = await LanguageRepo(services.db).get(ru.user_id)
    assert stored is not None and stored.telegram == "ru"
    before = services.db.round_trips
    assert await languages.for_update(ru.user_id, "ru-RU") == "ru"
    assert services.db.round_trips == before, "known and stored: the next update costs nothing"
    # The app switched to English: written once, then known.
    assert await languages.for_update(ru.user_id, "en") == "en"
    written = services.db.round_trips
    assert written > before
    assert await languages.for_update(ru.user_id, "en") == "en"
    assert services.db.round_trips == written
    stored = await LanguageRepo(services.db).get(ru.user_id)
    assert stored is not None and stored.telegram == "en"


async def test_start_keeps_a_language_the_user_chose(services: Services) -> None:
    """/start stores what Telegram reports, never over the language picked with /language."""
    await services.onboarding.start(ANN)
    assert await services.languages.choose(ANN.user_id, "ru", services.onboarding.clock())
    services.languages.forget(ANN.user_id)  # as after a restart, beyond the recent users
    await services.onboarding.start(replace(ANN, telegram_language="en"))
    assert await services.languages.for_update(ANN.user_id, "en") == "ru"
    assert await services.languages.for_user(ANN.user_id) == "ru"
