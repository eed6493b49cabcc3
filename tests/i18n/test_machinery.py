"""The i18n machinery: language choice, translation, Russian plural forms, localized dates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Message

from bot.domain.models import DayKind
from bot.domain.safety import train_today
from bot.i18n import (
    _,
    current_language,
    format_day,
    format_long_day,
    ngettext,
    pick_language,
    primary_subtag,
    use_language,
    weekday_name,
    weekday_short,
)
from bot.i18n_tools import _entry_problems, problems

LAST_SESSION = ("Your last session was {n} day ago.", "Your last session was {n} days ago.")


@pytest.mark.parametrize(
    ("chosen", "telegram", "default", "expected"),
    [
        ("ru", "en-US", "en", "ru"),  # the user's own choice wins
        ("en", "ru", "ru", "en"),
        (None, "ru-RU", "en", "ru"),  # else Telegram's primary subtag
        (None, "RU", "en", "ru"),
        (None, "en-GB", "ru", "en"),
        (None, "de-DE", "ru", "ru"),  # a language the bot does not speak: the default
        (None, None, "en", "en"),
        ("xx", None, "ru", "ru"),  # a stored value the bot no longer speaks is ignored
    ],
)
def test_language_is_the_choice_then_telegram_then_the_default(
    chosen: str | None, telegram: str | None, default: str, expected: str
) -> None:
    assert pick_language(chosen, telegram, default) == expected


def test_primary_subtag_of_telegram_codes() -> None:
    assert primary_subtag("ru-RU") == "ru"
    assert primary_subtag("ru_RU") == "ru"
    assert primary_subtag("uk") is None
    assert primary_subtag("") is None


def test_texts_follow_the_current_language_and_english_is_the_msgid() -> None:
    with use_language("ru"):
        assert current_language() == "ru"
        assert _("What I can do") == "Что я умею"
        with use_language("en"):
            assert _("What I can do") == "What I can do"
        assert current_language() == "ru"  # the inner block restored the outer language
    assert current_language() == "en"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Последняя тренировка была 1 день назад."),
        (2, "Последняя тренировка была 2 дня назад."),
        (4, "Последняя тренировка была 4 дня назад."),
        (5, "Последняя тренировка была 5 дней назад."),
        (11, "Последняя тренировка была 11 дней назад."),
        (12, "Последняя тренировка была 12 дней назад."),
        (21, "Последняя тренировка была 21 день назад."),
        (22, "Последняя тренировка была 22 дня назад."),
        (25, "Последняя тренировка была 25 дней назад."),
    ],
)
def test_russian_has_three_plural_forms(n: int, expected: str) -> None:
    with use_language("ru"):
        assert ngettext(*LAST_SESSION, n).format(n=n) == expected


def test_english_has_two_plural_forms() -> None:
    with use_language("en"):
        assert ngettext(*LAST_SESSION, 1).format(n=1) == "Your last session was 1 day ago."
        assert ngettext(*LAST_SESSION, 2).format(n=2) == "Your last session was 2 days ago."


def test_a_domain_reason_is_written_in_the_users_language() -> None:
    with use_language("ru"):
        check = train_today(date(2026, 3, 2), DayKind.LOWER, date(2026, 3, 3))
    assert "1 день назад" in check.why
    assert "четверг, 5 марта" in check.why


def test_dates_and_weekdays_are_localized() -> None:
    monday = date(2026, 1, 5)
    with use_language("en"):
        assert format_day(monday) == "Mon 5 Jan"
        assert format_long_day(monday) == "Monday 5 January"
        assert weekday_name(3) == "Thursday"
        assert weekday_short(6) == "Sun"
    with use_language("ru"):
        assert format_day(monday) == "пн, 5 янв."
        assert format_long_day(monday) == "понедельник, 5 января"
        assert weekday_name(3) == "четверг"
        assert weekday_short(6) == "Вс"


def test_every_wrapped_text_is_in_both_catalogs_with_its_placeholders() -> None:
    assert problems() == []


def test_a_new_wrapped_text_without_a_russian_translation_fails_the_check(
    tmp_path: Path,
) -> None:
    (tmp_path / "feature.py").write_text(
        'from bot.i18n import _\n\nHELLO = _("A brand-new text nobody translated yet")\n'
    )
    found = problems(tmp_path)
    assert any("A brand-new text nobody translated" in p and p.startswith("ru:") for p in found)
    assert any("A brand-new text nobody translated" in p and p.startswith("en:") for p in found)


def test_a_translation_that_drops_or_renames_a_placeholder_is_flagged() -> None:
    good = Message("Rest {seconds} s", "Отдых {seconds} с")
    renamed = Message("Rest {seconds} s", "Отдых {secs} с")
    dropped = Message(LAST_SESSION, ("{n} день", "{n} дня", "несколько дней"))
    untranslated = Message("Rest {seconds} s", "")
    fuzzy = Message("Rest {seconds} s", "Отдых {seconds} с", flags={"fuzzy"})
    assert _entry_problems(good) == []
    assert _entry_problems(renamed) == ["placeholders ['secs'] instead of ['seconds']"]
    assert _entry_problems(dropped) == ["placeholders [] instead of ['n']"]
    assert _entry_problems(untranslated) == ["no translation"]
    assert _entry_problems(fuzzy) == ["marked fuzzy"]


def test_the_default_language_setting_accepts_only_spoken_languages() -> None:
    from pydantic import ValidationError

    from bot.config import Settings

    assert Settings(default_language="ru").default_language == "ru"
    with pytest.raises(ValidationError):
        Settings(default_language="de")
