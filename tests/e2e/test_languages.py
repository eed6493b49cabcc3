"""Journeys in Russian and English: onboarding with a hernia, a reminder, a workout; /language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.tg.processor import PerUserProcessor
from standin import SentMessage
from tests.e2e.conftest import Harness

MON_18_MOSCOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Words:
    """What a user of one language taps, types and reads."""

    code: str  # the Telegram app's language_code
    greeting: str
    safety_q: str
    none: str
    no_pain: str
    goal_typed: str
    level: str
    pullups_typed: str
    hernia: str
    done: str
    skip_discomfort: str
    full_gym: str
    days_typed: str
    city: str
    preview: str
    looks_good: str
    changes: str
    spine_sparing: str
    day1: str
    next_two_weeks: str
    reminder: str
    start: str
    back_check: str
    fine: str
    sets_typed: str


RU = Words(
    code="ru-RU",
    greeting="BackCoach даёт общие советы",
    safety_q="Сначала о безопасности",
    none="Ничего из этого",
    no_pain="Нет, не болит",
    goal_typed="ширина",
    level="Средний (1–3 года)",
    pullups_typed="10 раз",
    hernia="▫️ Грыжа или протрузия диска (ремиссия)",
    done="Готово",
    skip_discomfort="Ничего, пропустить",
    full_gym="Всё есть",
    days_typed="пн, чт",
    city="Москва",
    preview="Понедельник и четверг в 18:00",
    looks_good="Всё верно",
    changes="Что меняют твои ответы",
    spine_sparing="Тяга нижнего блока сидя",
    day1="День 1 · Верх спины",
    next_two_weeks="/schedule покажет ближайшие две недели",
    reminder="Пора на тренировку верха спины",
    start="Начать",
    back_check="как сегодня спина?",
    fine="Всё хорошо",
    sets_typed="3х12 40 кг",
)
EN = Words(
    code="en-GB",
    greeting="not medical advice",
    safety_q="First, your safety",
    none="None of these",
    no_pain="No, it doesn't hurt",
    goal_typed="width",
    level="Intermediate (1-3 years)",
    pullups_typed="10",
    hernia="▫️ Disc hernia or protrusion (in remission)",
    done="Done",
    skip_discomfort="None, skip this",
    full_gym="Full gym",
    days_typed="mon, thu",
    city="Moscow",
    preview="Monday and Thursday at 18:00",
    looks_good="Looks good",
    changes="What your answers change",
    spine_sparing="Seated cable row",
    day1="Day 1 · Upper back",
    next_two_weeks="/schedule shows the next two weeks",
    reminder="Time for your upper-back session",
    start="Start",
    back_check="how is your back today?",
    fine="Fine",
    sets_typed="3x12 40 kg",
)


async def onboard_with_hernia(h: Harness, user: int, w: Words) -> str:
    """The whole set-up, typing where a person would; return everything said after it."""
    h.standin.user(user, first_name="Alex", language_code=w.code)
    [greeting] = await h.send(user, "/start")  # with the first question
    assert w.greeting in _t(greeting)
    assert "1/13" in _t(greeting) and w.safety_q in _t(greeting)
    await h.answer(user, w.none)
    await h.answer(user, w.no_pain)
    await h.answer(user, w.none)
    [level_q] = await h.send(user, w.goal_typed)  # a typed goal, in the user's language
    assert "5/13" in _t(level_q)
    await h.answer(user, w.level)
    [conditions_q] = await h.send(user, w.pullups_typed)
    assert "7/13" in _t(conditions_q)
    await h.tick(user, w.hernia)
    await h.answer(user, w.done)
    await h.answer(user, w.skip_discomfort)
    days_q = await h.answer(user, w.full_gym)
    assert "10/13" in _t(days_q)
    await h.send(user, w.days_typed)
    await h.answer(user, "18:00")
    [confirm] = await h.send(user, w.city)
    assert "13/13" in _t(confirm) and w.preview in _t(confirm)
    assert "Europe/Moscow" in _t(confirm)
    before = len(h.standin.messages(user))
    await h.press(user, w.looks_good)
    await h.standin.wait_for(
        lambda: w.next_two_weeks in _t(h.last(user)), timeout=15, what="the first session"
    )
    h.seen[user] = len(h.standin.messages(user))
    return "\n".join(m.plain_text or "" for m in h.standin.messages(user)[before:])


def _t(message: SentMessage) -> str:
    return message.plain_text or ""


def _button_data(message: SentMessage, action: str) -> str | None:
    for row in message.buttons:
        for b in row:
            if (
                b.callback_data
                and b.callback_data.startswith("w:")
                and b.callback_data.endswith(f":{action}")
            ):
                return b.callback_data
    return None


@pytest.mark.parametrize("w", [RU, EN], ids=["ru", "en"])
async def test_hernia_onboarding_reminder_and_workout(harness: Harness, w: Words) -> None:
    h, u = harness, 7101
    said = await onboard_with_hernia(h, u, w)
    assert w.changes in said and w.spine_sparing in said and w.day1 in said
    # The reminder is sent by a job, with no update to carry the language: it is stored.
    await h.restart()
    h.clock.now = MON_18_MOSCOW
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(u)
    assert w.reminder in _t(reminder)
    [check] = await h.press(u, w.start)
    assert w.back_check in _t(check)
    [card] = await h.press(u, w.fine)
    # Warm-up items are ticked off with their button, whatever it says in this language.
    for _ in range(6):
        done = _button_data(card, "d")
        if done is None or "kg" in _t(card) or "кг" in _t(card):
            break
        [card] = await h.press(u, done)
    await h.send(u, w.sets_typed, expect=2)
    row = await h.app.bot_data.db.one(
        "SELECT COUNT(*), MAX(weight_kg) FROM set_logs WHERE user_id = ?", (u,)
    )
    assert row is not None and row[0] >= 3 and row[1] == 40.0
    # Mid-workout, a switch keeps the session: the next sets log against the same workout.
    other = "English" if w is RU else "Русский"
    await h.send(u, "/language")
    choose = await h.tick(u, other)
    assert ("English" if w is RU else "по-русски") in _t(choose)
    [goes_on] = await h.new_messages(u)
    assert ("Your session goes on" if w is RU else "Тренировка продолжается") in _t(goes_on)
    await h.send(u, w.sets_typed, expect=2)
    again = await h.app.bot_data.db.one(
        "SELECT COUNT(*), COUNT(DISTINCT workout_id) FROM set_logs WHERE user_id = ?", (u,)
    )
    assert again is not None and again[0] > row[0] and again[1] == 1


async def test_language_switch_mid_onboarding_keeps_every_answer(harness: Harness) -> None:
    h, u = harness, 7102
    h.standin.user(u, first_name="Sam", language_code="en")
    await h.send(u, "/start")
    await h.answer(u, "None of these")
    pain_q = await h.answer(u, "No, it doesn't hurt")
    assert "3/13" in _t(pain_q)
    [choose] = await h.send(u, "/language")
    assert "Which language" in _t(choose)
    [again] = await h.press(u, "Русский")
    assert "по-русски" in _t(h.standin.messages(u)[-2])  # the choice, edited in place
    assert "3/13" in _t(again) and "Общая проверка здоровья" in _t(again)
    goal_q = await h.answer(u, "Ничего из этого")
    assert "4/13" in _t(goal_q) and "Чего ты больше всего хочешь" in _t(goal_q)
    # The choice is stored: it outlives a restart and beats the app's English.
    await h.restart()
    [help_text] = await h.send(u, "/help")
    assert "Что я умею" in _t(help_text) and "/language" in _t(help_text)
    [choose] = await h.send(u, "/language")
    [again] = await h.press(u, "English")
    assert "English" in _t(h.standin.messages(u)[-2])
    assert "4/13" in _t(again) and "What do you want most" in _t(again)


async def test_telegram_language_decides_until_the_user_chooses(harness: Harness) -> None:
    h = harness
    h.standin.user(7103, language_code="ru")
    h.standin.user(7104, language_code="de")  # not spoken: the default, English
    [ru] = await h.send(7103, "/help")
    [de] = await h.send(7104, "/help")
    assert "Что я умею" in _t(ru)
    assert "What I can do" in _t(de)


async def test_the_command_menu_is_set_in_each_language(harness: Harness) -> None:
    state = harness.standin
    english = {c["command"]: c["description"] for c in state.commands(None, "en")}
    russian = {c["command"]: c["description"] for c in state.commands(None, "ru")}
    default = {c["command"]: c["description"] for c in state.commands(None, "")}
    assert english.keys() == russian.keys() == default.keys()
    assert "language" in russian
    assert english["help"] == default["help"] == "What I can do"
    assert russian["help"] == "Что я умею"


async def test_choosing_a_language_before_start_is_kept_for_the_set_up(harness: Harness) -> None:
    h, u = harness, 7105
    h.standin.user(u, first_name="Kim", language_code="en")
    [choose] = await h.send(u, "/language")
    assert "Which language" in _t(choose)
    note = await h.tick(u, "Русский")  # no set-up open: the choice is confirmed in place
    assert "по-русски" in _t(note)
    [greeting] = await h.send(u, "/start")  # with the first question
    assert "Привет, Kim" in _t(greeting) and "Сначала о безопасности" in _t(greeting)
    processor = h.app.update_processor
    assert isinstance(processor, PerUserProcessor)
    assert not processor.split  # the tap that made the row and stored the choice: one commit


async def test_after_a_switch_the_program_and_reminder_speak_the_new_language(
    harness: Harness,
) -> None:
    h, u = harness, 7106
    await onboard_with_hernia(h, u, EN)
    await h.send(u, "/language")
    await h.tick(u, "Русский")
    head, day1, day2, rule = await h.send(u, "/program", expect=4)
    assert "минимум 3 дня" in _t(rule)
    assert "Твоя программа" in _t(head)
    assert RU.day1 in _t(day1) and RU.spine_sparing in _t(day2)
    assert "Грудь всё время на упоре." in _t(
        day2
    )  # a slot note, frozen in English, shown in Russian
    assert EN.spine_sparing not in _t(day2)
    h.clock.now = MON_18_MOSCOW
    await h.app.bot_data.runner.tick()
    [reminder] = await h.new_messages(u)
    assert RU.reminder in _t(reminder) and "Подтягивания в гравитроне" in _t(reminder)
