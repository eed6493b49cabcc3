"""Translations: the current user's language in a ContextVar, gettext catalogs, localized dates.

msgids are the English texts themselves, so English needs no lookup and moving code never
invalidates a translation. The catalogs are `bot/locale/<lang>/LC_MESSAGES/messages.po`, read
and compiled in memory with Babel the first time a language is used (no build step: a fresh
checkout runs as it is). Placeholders are str.format named fields, filled after translating.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, get_day_names
from babel.messages import mofile, pofile

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
SUPPORTED: tuple[str, ...] = ("en", "ru")
DEFAULT_LANGUAGE = "en"
# The name of each language in itself, for the /language buttons.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ru": "Русский"}

_LANGUAGE: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def N_(msgid: str) -> str:
    """Mark a module-level text for extraction; translate it where it is used, with _()."""
    return msgid


def _(msgid: str) -> str:
    """The text in the current user's language."""
    return catalog(_LANGUAGE.get()).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for n in the current user's language (Russian has three)."""
    return catalog(_LANGUAGE.get()).ngettext(singular, plural, n)


def current_language() -> str:
    """The language texts are translated into right now."""
    return _LANGUAGE.get()


def set_language(lang: str) -> Token[str]:
    """Switch the current language (a supported one, else the default); reset with the token."""
    return _LANGUAGE.set(lang if lang in SUPPORTED else DEFAULT_LANGUAGE)


def reset_language(token: Token[str]) -> None:
    """Undo a set_language."""
    _LANGUAGE.reset(token)


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Translate into lang inside the block (jobs, tests, the demo)."""
    token = set_language(lang)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def primary_subtag(code: str | None) -> str | None:
    """'ru' for Telegram's 'ru-RU' or 'RU'; None for a language the bot does not speak."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in SUPPORTED else None


def pick_language(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """The user's own choice, else their Telegram language, else the configured default."""
    if chosen in SUPPORTED:
        return chosen
    return primary_subtag(telegram_code) or (default if default in SUPPORTED else DEFAULT_LANGUAGE)


def catalog_path(lang: str) -> Path:
    """Where a language's .po catalog lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of a language (fuzzy entries left out); English falls through."""
    path = catalog_path(lang)
    if lang not in SUPPORTED or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as f:
        parsed = pofile.read_po(f, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, parsed, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


# --- dates -------------------------------------------------------------------------------


def _locale() -> Locale:
    return Locale.parse(_LANGUAGE.get())


def format_day(d: date) -> str:
    """A short day for a phone: 'Mon 5 Jan' / 'пн, 5 янв.'."""
    return format_date(d, format=_DAY_FORMATS.get(_LANGUAGE.get(), "EEE d MMM"), locale=_locale())


def format_long_day(d: date) -> str:
    """A day in full words: 'Monday 5 January' / 'понедельник, 5 января'."""
    pattern = _LONG_DAY_FORMATS.get(_LANGUAGE.get(), "EEEE d MMMM")
    return format_date(d, format=pattern, locale=_locale())


def format_full_date(d: date) -> str:
    """A date with its year: '5 Jan 2026' / '5 янв. 2026 г.'."""
    pattern = _FULL_DATE_FORMATS.get(_LANGUAGE.get(), "d MMM y")
    return format_date(d, format=pattern, locale=_locale())


def format_moment(moment: datetime) -> str:
    """A day and a 24-hour time: 'Mon 5 Jan, 18:30'."""
    pattern = _DAY_FORMATS.get(_LANGUAGE.get(), "EEE d MMM") + ", HH:mm"
    return format_datetime(moment, format=pattern, tzinfo=moment.tzinfo, locale=_locale())


def weekday_name(i: int) -> str:
    """The weekday's full name, 0 = Monday: 'Monday' / 'понедельник'."""
    return str(get_day_names("wide", context="format", locale=_locale())[i])


def weekday_short(i: int) -> str:
    """The weekday's short name for a button, 0 = Monday: 'Mon' / 'Пн'."""
    name = str(get_day_names("abbreviated", context="stand-alone", locale=_locale())[i])
    return name[:1].upper() + name[1:]


# English keeps the bot's established 'Mon 5 Jan'; Russian puts the comma CLDR uses.
_DAY_FORMATS = {"en": "EEE d MMM", "ru": "EEE, d MMM"}
_LONG_DAY_FORMATS = {"en": "EEEE d MMMM", "ru": "EEEE, d MMMM"}
_FULL_DATE_FORMATS = {"en": "d MMM y", "ru": "d MMM y 'г'."}
