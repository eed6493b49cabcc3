"""Russian input is read wherever English is: set logs, weekdays, cities, onboarding answers."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content_locale import localized
from bot.domain.accounts import Units
from bot.domain.lognames import read_log_line
from bot.domain.models import Goal, Level, Library
from bot.domain.onboarding import Step, Typed, apply, start
from bot.domain.setlog import parse_line
from bot.domain.timezones import parse_clock_time, resolve_timezone
from bot.domain.weekdays import parse_weekdays
from bot.domain.words_ru import CITY_ZONES, city_zone
from bot.i18n import use_language, weekday_name, weekday_short

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def reps_and_weights(text: str) -> list[tuple[int, float | None]]:
    return [(s.reps, s.weight_kg) for s in parse_line(text, Units.KG).sets]


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("4х10 50", "4x10 50"),  # a Cyrillic х
        ("4 х 10 @ 50", "4x10 @ 50"),
        ("5х5 100 кг", "5x5 100 kg"),
        ("5x5 100кг", "5x5 100kg"),
        ("4 подхода по 10 на 50", "4 sets of 10 at 50"),
        ("3 подхода по 12 повторений", "3 sets of 12 reps"),
        ("5 по 5 на 100", "5x5 @ 100"),
        ("8 раз", "8 reps"),
        ("св х 8", "bw x 8"),
        ("3х8 свой вес", "3x8 bw"),
        ("макс 5", "max 5"),
        ("10 10 9 8 на 52,5", "10 10 9 8 @ 52,5"),
    ],
)
def test_russian_set_logs_read_as_their_english_twins(russian: str, english: str) -> None:
    assert reps_and_weights(russian) == reps_and_weights(english)


@given(
    sets=st.integers(min_value=1, max_value=6),
    reps=st.integers(min_value=1, max_value=30),
    weight=st.integers(min_value=1, max_value=300),
    cyrillic=st.booleans(),
    unit=st.sampled_from(["", " кг", "кг", " kg"]),
    space=st.sampled_from(["", " "]),
)
def test_any_sets_times_reps_line_reads_the_same_with_a_cyrillic_x(
    sets: int, reps: int, weight: int, cyrillic: bool, unit: str, space: str
) -> None:
    times = "х" if cyrillic else "x"
    line = f"{sets}{space}{times}{space}{reps} {weight}{unit}"
    assert reps_and_weights(line) == [(reps, float(weight))] * sets


@pytest.fixture(scope="module")
def both(library: Library) -> Library:
    return localized(library)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(
    ("line", "exercise", "sets"),
    [
        ("становая 5x5 100", "deadlift", [(5, 100.0)] * 5),
        ("Становая тяга 5х5 100 кг", "deadlift", [(5, 100.0)] * 5),
        ("подтягивания 8", "pullup-wide", [(8, None)]),
        ("тяга штанги 4х10 50", "barbell-row-overhand", [(10, 50.0)] * 4),
        ("гиперэкстензия 3 подхода по 12", "hyperextension", [(12, None)] * 3),
        ("гравитрон 3х10 40", "assisted-pullup", [(10, 40.0)] * 3),
        ("deadlift 5x5 100", "deadlift", [(5, 100.0)] * 5),
    ],
)
def test_log_lines_with_russian_names_find_the_exercise_in_either_language(
    both: Library, lang: str, line: str, exercise: str, sets: list[tuple[int, float | None]]
) -> None:
    with use_language(lang):
        read = read_log_line(line, list(both.exercises.values()), Units.KG)
    assert read is not None
    assert read.candidates == [exercise]
    assert [(s.reps, s.weight_kg) for s in read.sets] == sets


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("пн, чт", {0, 3}),
        ("понедельник", {0}),
        ("вт и пт", {1, 4}),
        ("по вторникам и пятницам", {1, 4}),
        ("Среда, Суббота", {2, 5}),
        ("вс", {6}),
        ("mon, чт", {0, 3}),
    ],
)
def test_russian_weekdays(text: str, days: set[int]) -> None:
    assert parse_weekdays(text) == frozenset(days)


@pytest.mark.parametrize(
    ("city", "zone"),
    [
        ("Москва", "Europe/Moscow"),
        ("Санкт-Петербург", "Europe/Moscow"),
        ("санкт петербург", "Europe/Moscow"),
        ("Питер", "Europe/Moscow"),
        ("Новосибирск", "Asia/Novosibirsk"),
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("Владивосток", "Asia/Vladivostok"),
        ("Калининград", "Europe/Kaliningrad"),
        ("масква", "Europe/Moscow"),  # a typo still lands
    ],
)
def test_timezones_by_russian_city_names(city: str, zone: str) -> None:
    assert resolve_timezone(city, NOW)[0] == zone


def test_an_unknown_russian_word_is_not_a_city() -> None:
    assert city_zone("абракадабра") is None
    assert city_zone("Berlin") is None  # Latin names go the English way


def test_triage_and_answers_typed_in_russian(library: Library) -> None:
    answers = start("abc123")
    for text, step in [
        ("ничего", Step.PAIN),  # no warning signs
        ("нет", Step.HEALTH),  # the back does not hurt today
        ("нет", Step.GOAL),  # nothing on the health check
        ("ширина", Step.LEVEL),
        ("новичок", Step.PULLUPS),
        ("5 раз", Step.CONDITIONS),
    ]:
        result = apply(answers, Typed(text), library, NOW)
        assert result.problem is None, text
        answers = result.answers
        assert answers.step is step, text
    assert answers.goal is Goal.WIDTH and answers.level is Level.BEGINNER
    assert answers.pullups == 5


def test_a_typed_russian_yes_to_pain_today_refers(library: Library) -> None:
    answers = start("abc123")
    answers = apply(answers, Typed("нет"), library, NOW).answers
    result = apply(answers, Typed("да, болит"), library, NOW)
    assert result.problem is None
    assert result.answers.pain_now is True
    assert result.done  # pain today ends the set-up with no program


@given(st.sets(st.integers(min_value=0, max_value=6), min_size=1), st.booleans())
def test_any_set_of_russian_weekday_names_reads_back(days: set[int], short: bool) -> None:
    with use_language("ru"):
        names = [weekday_short(d) if short else weekday_name(d) for d in sorted(days)]
    assert parse_weekdays(", ".join(names)) == frozenset(days)
    assert parse_weekdays(" и ".join(n.lower() for n in names)) == frozenset(days)


@given(st.sampled_from(sorted(CITY_ZONES)), st.booleans())
def test_every_listed_russian_city_resolves_to_its_zone(city: str, capital: bool) -> None:
    typed = city.title() if capital else city
    assert resolve_timezone(typed, NOW)[0] == CITY_ZONES[city]


@pytest.mark.parametrize(
    ("step", "typed", "next_step"),
    [
        (Step.CONDITIONS, "нет", Step.DISCOMFORT),
        (Step.DISCOMFORT, "пропустить", Step.EQUIPMENT),
        (Step.EQUIPMENT, "всё есть", Step.DAYS),
    ],
)
def test_multi_select_questions_take_russian_words(
    library: Library, step: Step, typed: str, next_step: Step
) -> None:
    answers = start("abc123").model_copy(
        update={"step": step, "pain_now": False, "goal": Goal.WIDTH, "level": Level.BEGINNER}
    )
    result = apply(answers, Typed(typed), library, NOW)
    assert result.problem is None
    assert result.answers.step is next_step


@pytest.mark.parametrize(
    ("typed", "at"),
    [
        ("в 7 вечера", time(19, 0)),
        ("9 утра", time(9, 0)),
        ("9:30 утра", time(9, 30)),
        ("12 дня", time(12, 0)),
        ("18 ч", time(18, 0)),
        ("в 18:30", time(18, 30)),
        ("полдень", time(12, 0)),
    ],
)
def test_reminder_times_typed_in_russian(typed: str, at: time) -> None:
    assert parse_clock_time(typed) == at


def test_a_russian_evening_time_answers_the_reminder_question(library: Library) -> None:
    answers = start("abc123", schedule_only=True).model_copy(
        update={"step": Step.TIME, "weekdays": (0, 3)}
    )
    result = apply(answers, Typed("в 7 вечера"), library, NOW)
    assert result.problem is None and result.answers.reminder_time == "19:00"
