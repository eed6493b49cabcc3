"""The catalog tool: update from the code, fold in a parallel branch's fragment, never override."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

import bot.i18n as i18n
import bot.i18n_tools as tools


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny bot/ with its own locale folder."""
    code = tmp_path / "bot"
    code.mkdir()
    (code / "feature.py").write_text(
        "from bot.i18n import N_, _, ngettext\n"
        "TITLE = N_('Your week')\n"
        "def f(n: int) -> str:\n"
        "    return _('Rest {seconds} s') + ngettext('{n} set', '{n} sets', n)\n"
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    return code


def _ru() -> Catalog:
    return tools.read_catalog(i18n.catalog_path("ru"), "ru")


def test_update_adds_every_wrapped_text_with_russian_plural_forms(project: Path) -> None:
    assert tools.update(project) == []
    cat = _ru()
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id} == {
        "Your week",
        "Rest {seconds} s",
        "{n} set",
    }
    assert cat.num_plurals == 3
    found = tools.problems(project)
    assert "ru: no translation: 'Rest {seconds} s'" in found
    assert not [p for p in found if p.startswith("en:")]  # English needs only the entries


def test_a_fragment_fills_untranslated_texts_and_reports_conflicts(project: Path) -> None:
    tools.update(project)
    cat = _ru()
    cat.get("Your week").string = "Твоя неделя"  # type: ignore[union-attr]
    tools.write_catalog(i18n.catalog_path("ru"), cat)
    fragment = Catalog(locale="ru")
    fragment.add("Your week", "Итоги недели")  # differs from the catalog: kept, reported
    fragment.add("Rest {seconds} s", "Отдых {seconds} с")
    fragment.add(("{n} set", "{n} sets"), ("{n} подход", "{n} подхода", "{n} подходов"))
    fragment.add("A text the code no longer has", "Текст")
    tools.write_catalog(i18n.catalog_path("ru").parent / "e-fragment.po", fragment)

    conflicts = tools.update(project)

    assert conflicts == ["e-fragment.po: 'Your week'"]
    cat = _ru()
    assert cat.get("Your week").string == "Твоя неделя"  # type: ignore[union-attr]
    assert cat.get("Rest {seconds} s").string == "Отдых {seconds} с"  # type: ignore[union-attr]
    assert tools.problems(project) == []
    with i18n.use_language("ru"):
        i18n.catalog.cache_clear()
        try:
            assert i18n.ngettext("{n} set", "{n} sets", 22).format(n=22) == "22 подхода"
        finally:
            i18n.catalog.cache_clear()


def test_a_text_removed_from_the_code_leaves_the_catalogs(project: Path) -> None:
    tools.update(project)
    (project / "feature.py").write_text("from bot.i18n import _\nX = _('Your week')\n")
    tools.update(project)
    assert [m.id for m in _ru() if m.id] == ["Your week"]
