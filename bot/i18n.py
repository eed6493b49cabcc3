"""PROVISIONAL i18n stand-in (issue #15, slice E): the shared contract's API, no translation yet.

D owns the real `bot/i18n.py` (gettext catalogs via Babel); the lead replaces this file with
D's at merge. Until then `_` returns the English msgid, `ngettext` picks by n == 1, and the
language lives in a ContextVar so code written against the contract already runs unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from bot.domain.weekdays import WEEKDAY_NAMES

DEFAULT_LANGUAGE = "en"
_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def _(msgid: str) -> str:
    """The message in the current user's language (provisional: the English msgid)."""
    return msgid


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for n in the current user's language (provisional: English rule)."""
    return singular if n == 1 else plural


def N_(msgid: str) -> str:
    """Mark a module-level constant for extraction; translate it at use time with _()."""
    return msgid


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Speak `lang` inside the block (jobs, tests, the demo)."""
    token = _language.set(lang)
    try:
        yield
    finally:
        _language.reset(token)


def current_language() -> str:
    """The language of the user being served now."""
    return _language.get()


def format_day(d: date) -> str:
    """A day as 'Mon 23 Nov' (provisional: English only)."""
    return f"{d:%a} {d.day} {d:%b}"


def format_full_date(d: date) -> str:
    """A date with its year, '5 Jan 2026' (provisional; the name D's module gives it)."""
    return f"{d.day} {d:%b %Y}"


def weekday_name(i: int) -> str:
    """The full name of weekday i, Monday = 0 (provisional: English only)."""
    return WEEKDAY_NAMES[i]
