"""The rest timer's ping and the language button, over a real SQLite file."""

from __future__ import annotations

from bot.domain.onboarding import Step
from bot.services.bootstrap import Services
from bot.services.language_choice import Chosen
from bot.services.rest import RestOver
from tests.services.conftest import ANN, HEALTHY, answer_all, counting, onboarded

U = ANN.user_id


async def test_the_rest_ping_names_the_next_set_while_the_workout_stays_put(
    services: Services,
) -> None:
    await onboarded(services)
    workout = await services.sessions.start(U)
    item = workout.current
    assert item is not None
    assert await services.rest.over(U, workout.id, workout.position) == RestOver(item.exercise_id)


async def test_the_rest_ping_is_dropped_once_the_workout_moved_on(services: Services) -> None:
    await onboarded(services)
    workout = await services.sessions.start(U)
    moved = await services.sessions.skip(U)
    assert moved.position != workout.position
    assert await services.rest.over(U, workout.id, workout.position) is None
    await services.sessions.end(U, workout.id, early=True)
    assert await services.rest.over(U, moved.id, moved.position) is None, "ended"
    assert await services.rest.over(999, workout.id, workout.position) is None


async def test_choosing_mid_set_up_stores_it_once_and_brings_the_question_back(
    services: Services,
) -> None:
    await answer_all(services, HEALTHY[:6])  # up to the conditions question
    with counting() as commits:
        chosen = await services.language_choice.choose(U, "ru", ANN.chat_id, "Ann")
    assert commits.count == 1
    assert chosen.stored and not chosen.in_session
    assert chosen.question is not None
    assert chosen.question.answers.step is Step.CONDITIONS
    assert await services.languages.for_user(U) == "ru"


async def test_choosing_during_a_workout_says_the_session_goes_on(services: Services) -> None:
    await onboarded(services)
    await services.sessions.start(U)
    chosen = await services.language_choice.choose(U, "ru", ANN.chat_id, "Ann")
    assert chosen == Chosen(stored=True, question=None, in_session=True)


async def test_a_stranger_can_choose_before_start_and_a_foreign_code_is_refused(
    services: Services,
) -> None:
    chosen = await services.language_choice.choose(777, "ru", 777, "Bo")
    assert chosen == Chosen(stored=True)
    assert await services.languages.for_user(777) == "ru"
    assert await services.language_choice.choose(777, "de", 777, "Bo") == Chosen(stored=False)
    assert await services.languages.for_user(777) == "ru"
