"""The validated-content cache: used when content and code are unchanged, never stale, and
never in the way (a damaged or unwritable cache falls back to reading content/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bot.content
from bot.content import (
    DEFAULT_CONTENT_DIR,
    ContentError,
    cache_dir,
    load_library,
    read_library,
)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of content/, with the cache in the test's own folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, folder)
    return folder


def entries() -> list[Path]:
    return sorted(cache_dir().glob("library-*"))


def rename_cardio(folder: Path, name: str) -> None:
    path = folder / "exercises.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('name = "', text.index('id = "cardio-easy"'))
    end = text.index('"', start + len('name = "'))
    path.write_text(text[:start] + f'name = "{name}' + text[end:], encoding="utf-8")


def test_a_second_start_reads_the_cached_library(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_library(content)
    assert first == read_library(content) and len(entries()) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("content/ was parsed again")

    monkeypatch.setattr(bot.content, "_read_toml", no_parsing)
    assert load_library(content) == first


def test_an_edited_content_file_is_never_served_from_the_cache(content: Path) -> None:
    assert load_library(content).exercises["cardio-easy"].name == "Easy cardio"
    rename_cardio(content, "Brisk walk")
    assert load_library(content).exercises["cardio-easy"].name == "Brisk walk"
    assert len(entries()) == 1, "the entry for the old content is gone"
    rename_cardio(content, "Easy cardio")
    assert load_library(content).exercises["cardio-easy"].name == "Easy cardio"


def test_new_code_reading_the_same_content_misses_the_cache(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_library(content)
    before = entries()
    changed = tmp_path / "models.py"
    changed.write_bytes(Path(bot.content.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(bot.content, "_CODE", (*bot.content._CODE, changed))
    load_library(content)
    after = entries()
    assert len(before) == len(after) == 1 and after != before, "a new entry replaced the old"


def test_broken_content_is_still_reported_after_a_cached_start(content: Path) -> None:
    load_library(content)
    programs = content / "programs.toml"
    good = programs.read_bytes()
    programs.write_text("[[template]]\nid = 3\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"programs\.toml: entry #1"):
        load_library(content)
    programs.write_bytes(good)
    (content / "safety.toml").unlink()
    with pytest.raises(ContentError, match=r"safety\.toml.*file is missing"):
        load_library(content)


def test_a_damaged_cache_entry_is_read_past(content: Path) -> None:
    expected = load_library(content)
    [entry] = entries()
    whole = entry.read_bytes()
    entry.write_bytes(b"not a pickle")
    assert load_library(content) == expected
    entry.write_bytes(whole[: len(whole) // 2])  # cut short, as by a full disk
    assert load_library(content) == expected
    assert entry.read_bytes() == whole, "the entry is written again whole"


def test_an_unwritable_cache_folder_is_no_obstacle(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_library(content) == read_library(content)


def test_an_entry_others_could_have_written_is_not_trusted(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading an entry runs code from it: one writable by others is read past."""
    expected = load_library(content)
    [entry] = entries()
    assert entry.stat().st_mode & 0o777 == 0o600
    entry.chmod(0o666)
    parsed: list[Path] = []
    real = bot.content._read_toml

    def counting(path: Path) -> dict[str, object]:
        parsed.append(path)
        return real(path)

    monkeypatch.setattr(bot.content, "_read_toml", counting)
    assert load_library(content) == expected
    assert parsed, "content/ was read instead"
    assert entries()[0].stat().st_mode & 0o777 == 0o600, "and a trusted entry written again"
