"""Issue #15, slice E: every text of the workout, log, progress, own-data and demo modules has a
Russian translation in the fragment catalog, with the same placeholders, markup and plural forms."""

from __future__ import annotations

import gettext
import io
import re
import string
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages import mofile, pofile
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file

ROOT = Path(__file__).resolve().parent.parent
# The Russian catalog, where the slice's fragment was folded in.
FRAGMENT = ROOT / "bot" / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
# The modules whose texts slice E wraps (the same keywords the project's extraction uses).
MODULES = (
    *("bot/tg/workouts.py", "bot/tg/logbook.py", "bot/tg/logfix.py", "bot/tg/logsource.py"),
    *("bot/tg/workout_views.py", "bot/tg/target_views.py", "bot/tg/progress.py"),
    *("bot/tg/owndata.py", "bot/charts.py", "bot/services/workouts.py"),
    *("bot/services/logbook.py", "bot/services/logged.py", "bot/services/targets.py"),
    *("bot/services/progress.py", "bot/services/export.py", "bot/services/calendarfile.py"),
    *("bot/cli/demo.py", "bot/cli/demo_time.py"),
    *("bot/tg/rest.py", "bot/services/summary.py", "bot/services/logset.py"),
    "bot/services/cards.py",
    "bot/domain/logfile.py",  # why an import file was refused (the rest of the core is D's)
)
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
RUSSIAN_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
TAG = re.compile(r"</?(?:b|i|code)>")
MsgId = str | tuple[str, str]


def wrapped(modules: Iterable[str] = MODULES) -> dict[MsgId, str]:
    """Every message id the modules wrap, with where it was first seen."""
    found: dict[MsgId, str] = {}
    for module in modules:
        for lineno, msgid, _comments, _context in extract_from_file(
            "python", str(ROOT / module), keywords=KEYWORDS
        ):
            key: MsgId = msgid if isinstance(msgid, str) else (msgid[0], msgid[1])
            found.setdefault(key, f"{module}:{lineno}")
    return found


def fragment() -> Catalog:
    with FRAGMENT.open("rb") as f:
        return pofile.read_po(f, locale="ru")


def fields(text: str) -> set[str]:
    """The str.format field names in a text ('{n} of {total}' -> {'n', 'total'})."""
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def forms(message: Message) -> list[str]:
    text = message.string
    return [str(t) for t in text] if isinstance(text, tuple | list) else [str(text or "")]


WRAPPED = wrapped()


def test_the_modules_wrap_their_texts() -> None:
    # Guards the extraction itself: a broken keyword list would make every check below vacuous.
    assert len(WRAPPED) > 200
    assert "Skip" in WRAPPED and ("{n} set(s)", "{n} set(s)") in WRAPPED


def test_fragment_declares_the_russian_plural_rule() -> None:
    catalog = fragment()
    assert catalog.num_plurals == 3
    header = dict(catalog.mime_headers)
    # Babel writes CLDR's spelling of the rule; what matters is that it picks the same form.
    ours = gettext.c2py(header["Plural-Forms"].split("plural=", 1)[1].rstrip(";"))
    wanted = gettext.c2py(RUSSIAN_PLURALS.split("plural=", 1)[1].rstrip(";"))
    assert [ours(n) for n in range(1000)] == [wanted(n) for n in range(1000)]


@pytest.mark.parametrize("msgid", sorted(WRAPPED, key=str), ids=lambda m: str(m)[:60])
def test_every_wrapped_text_has_a_russian_translation(msgid: MsgId) -> None:
    message = fragment().get(msgid[0] if isinstance(msgid, tuple) else msgid)
    where = WRAPPED[msgid]
    assert message is not None, f"{where}: no Russian for {msgid!r}"
    assert not message.fuzzy, f"{where}: the Russian is marked fuzzy"
    english = [msgid] if isinstance(msgid, str) else list(msgid)
    if isinstance(msgid, tuple):
        assert message.pluralizable and message.id == msgid, f"{where}: plural forms differ"
    russian = forms(message)
    assert len(russian) == (3 if isinstance(msgid, tuple) else 1), f"{where}: plural forms"
    for text in russian:
        assert text.strip(), f"{where}: an empty Russian form for {msgid!r}"
        # Same placeholders (a form may not drop or invent one) and the same HTML markup, so
        # the Russian renders as valid Telegram HTML wherever the English does.
        assert fields(text) == set().union(*(fields(e) for e in english)), (where, text)
        assert sorted(TAG.findall(text)) == sorted(TAG.findall(english[-1])), (where, text)


def test_fragment_holds_no_stale_texts() -> None:
    # A msgid nothing in bot/ wraps any more is a translation nobody sees: it goes when its
    # text goes. All of bot/ is read, so a text that moved to another module still counts.
    everywhere = wrapped(str(p.relative_to(ROOT)) for p in sorted((ROOT / "bot").rglob("*.py")))
    ids = {m.id if isinstance(m.id, str) else (m.id[0], m.id[1]) for m in fragment() if m.id}
    assert ids - set(everywhere) == set()


def russian() -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    mofile.write_mo(buffer, fragment())
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "1 подход"), (2, "2 подхода"), (5, "5 подходов"), (11, "11 подходов"), (21, "21 подход")],
)
def test_set_counts_take_the_russian_plural(n: int, expected: str) -> None:
    assert russian().ngettext("{n} set(s)", "{n} set(s)", n).format(n=n) == expected


def test_counts_of_records_and_imports_take_the_russian_plural() -> None:
    t = russian()
    stars = [t.ngettext("{n} record starred", "{n} records starred", n) for n in (1, 3, 12)]
    assert [s.format(n=n) for s, n in zip(stars, (1, 3, 12), strict=True)] == [
        "1 рекорд отмечен звёздочкой",
        "3 рекорда отмечены звёздочками",
        "12 рекордов отмечены звёздочками",
    ]
    done = t.ngettext("Import {n} set(s)", "Import {n} set(s)", 24).format(n=24)
    assert done == "Импортировать 24 подхода"
