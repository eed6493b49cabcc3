"""Catalog upkeep with Babel: extract the texts wrapped in bot/, update the .po files, check them.

`python -m bot.i18n_tools update` extracts every `_()`, `N_()` and `ngettext()` text from bot/,
brings each language's messages.po in line with it (new texts added, gone ones dropped) and
folds in any `*-fragment.po` beside it (translations delivered by a parallel branch), then
writes the catalogs sorted and without source locations, so moving code changes nothing.
`python -m bot.i18n_tools check` lists what is missing; the tests run the same check.
"""

from __future__ import annotations

import argparse
import string
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.i18n import DOMAIN, SUPPORTED, catalog_path

BOT_DIR = Path(__file__).resolve().parent
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "N_": None, "ngettext": (1, 2)}
# The language the msgids are written in: its catalog only needs the entries, not texts.
SOURCE_LANGUAGE = "en"

MsgId = str | tuple[str, str]


def extract(root: Path = BOT_DIR) -> Catalog:
    """Every wrapped text under root, as a template catalog."""
    template = Catalog(domain=DOMAIN, project="BackCoach", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(root), method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True
    ):
        if isinstance(message, (tuple, list)):
            if len(message) != 2:
                continue
            msgid: MsgId = (message[0], message[1])
        else:
            msgid = message
        template.add(msgid, locations=[(filename, lineno)], auto_comments=comments, context=context)
    return template


def read_catalog(path: Path, lang: str) -> Catalog:
    """A .po file, or an empty catalog for the language if there is none yet."""
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="BackCoach", fuzzy=False)
    with path.open("rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def write_catalog(path: Path, cat: Catalog) -> None:
    """Write a catalog sorted and without locations, so moved code does not churn it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, cat, width=100, no_location=True, omit_header=False, sort_output=True)


def fragments(lang: str) -> list[Path]:
    """Translation fragments waiting to be folded into a language's catalog."""
    return sorted(catalog_path(lang).parent.glob("*-fragment.po"))


def merge_fragment(cat: Catalog, fragment: Catalog) -> list[str]:
    """Fill the catalog's untranslated entries from a fragment; return conflicts, never override."""
    conflicts: list[str] = []
    for message in fragment:
        if not message.id or not _translated(message):
            continue
        mine = cat.get(message.id, message.context)
        if mine is None:
            continue  # the text is not (or no longer) in the code
        if not _translated(mine) or mine.fuzzy:
            mine.string = message.string
            mine.flags.discard("fuzzy")
        elif mine.string != message.string:
            conflicts.append(_key(message.id))
    return conflicts


def update(root: Path = BOT_DIR, langs: Iterable[str] = SUPPORTED) -> list[str]:
    """Bring every catalog in line with the code and fold in fragments; return conflicts."""
    template = extract(root)
    conflicts: list[str] = []
    for lang in langs:
        path = catalog_path(lang)
        cat = read_catalog(path, lang)
        cat.update(template, no_fuzzy_matching=True, update_creation_date=False)
        cat.obsolete.clear()  # a text that left the code leaves the catalog
        for fragment_path in fragments(lang):
            found = merge_fragment(cat, read_catalog(fragment_path, lang))
            conflicts += [f"{fragment_path.name}: {c}" for c in found]
        write_catalog(path, cat)
    return conflicts


def placeholders(text: str) -> set[str]:
    """The str.format field names in a text ('{n} sets' -> {'n'})."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return {"<broken braces>"}


def problems(root: Path = BOT_DIR, langs: Iterable[str] = SUPPORTED) -> list[str]:
    """Everything wrong with the catalogs against the code; empty when all is well."""
    template = extract(root)
    found: list[str] = []
    for lang in langs:
        path = catalog_path(lang)
        if not path.exists():
            found.append(f"{lang}: {path} is missing")
            continue
        cat = read_catalog(path, lang)
        for message in template:
            if not message.id:
                continue
            mine = cat.get(message.id, message.context)
            if mine is None:
                found.append(f"{lang}: not in the catalog: {_key(message.id)}")
            elif lang != SOURCE_LANGUAGE or _translated(mine):
                found += [f"{lang}: {p}: {_key(message.id)}" for p in _entry_problems(mine)]
        wanted = {(m.id if isinstance(m.id, str) else m.id[0]) for m in template if m.id}
        for message in cat:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if message.id and key not in wanted:
                found.append(f"{lang}: no longer in the code: {_key(message.id)}")
    return found


def _entry_problems(message: Message) -> list[str]:
    if not _translated(message):
        return ["no translation"]
    if message.fuzzy:
        return ["marked fuzzy"]
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
    expected = set().union(*(placeholders(i) for i in ids))
    return [
        f"placeholders {sorted(placeholders(s))} instead of {sorted(expected)}"
        for s in strings
        if placeholders(s) != expected
    ]


def _translated(message: Message) -> bool:
    if isinstance(message.string, str):
        return bool(message.string)
    return bool(message.string) and all(message.string or ())


def _key(msgid: object) -> str:
    text = msgid if isinstance(msgid, str) else " | ".join(str(m) for m in msgid)  # type: ignore[attr-defined]
    return repr(text[:80])


def main(argv: list[str] | None = None) -> int:
    """Command line: update or check the catalogs."""
    parser = argparse.ArgumentParser(prog="python -m bot.i18n_tools", description=__doc__)
    parser.add_argument("command", choices=["update", "check"])
    args = parser.parse_args(argv)
    if args.command == "update":
        for conflict in update():
            print(f"kept the catalog's translation over the fragment's: {conflict}")
    found = problems()
    for problem in found:
        print(problem)
    return 1 if found and args.command == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
