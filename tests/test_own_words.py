"""Every text in content/ is the project's own: no run of 6 words taken from the source articles."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 6


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _runs(text: str) -> set[tuple[str, ...]]:
    # Cyrillic too: the sources are Russian, and so are the translations.
    words = re.findall(r"[a-zа-яё0-9']+", text.lower().replace("ё", "е"))
    return {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}


def _source_runs() -> set[tuple[str, ...]]:
    """Every run of words in the source articles (the test is skipped without them)."""
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"the source articles are not beside this checkout ({SEEDS})")
    source: set[tuple[str, ...]] = set()
    for path in seeds:
        source |= _runs(path.read_text(encoding="utf-8", errors="replace"))
    return source


def test_content_texts_share_no_run_of_six_words_with_the_sources() -> None:
    source = _source_runs()
    copied = []
    for path in sorted((ROOT / "content").rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for text in _strings(data):
            copied += [(path.name, " ".join(run)) for run in _runs(text) & source]
    assert not copied, f"text taken from the sources: {copied[:5]}"


def test_translations_share_no_run_of_six_words_with_the_sources() -> None:
    from babel.messages.pofile import read_po

    source = _source_runs()
    copied = []
    for path in sorted((ROOT / "bot" / "locale").rglob("*.po")):
        with path.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            texts = [message.string] if isinstance(message.string, str) else message.string
            for text in texts or ():
                copied += [(path.name, " ".join(run)) for run in _runs(text) & source]
    assert not copied, f"text taken from the sources: {copied[:5]}"


def test_texts_in_the_code_share_no_run_of_six_words_with_the_sources() -> None:
    import ast

    source = _source_runs()
    copied = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                copied += [(path.name, " ".join(run)) for run in _runs(node.value) & source]
    assert not copied, f"text taken from the sources: {copied[:5]}"
