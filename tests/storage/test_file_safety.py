"""The database file for operators: private permissions, clear start-up errors, online backups."""

from __future__ import annotations

import shutil
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.storage.backup import backup
from bot.storage.db import Database
from bot.storage.filesafety import StorageError
from bot.storage.repo import Repo

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_a_new_database_and_its_folder_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    db = await Database.open(path)
    try:
        await Repo(db).upsert_user(1, 1, "Ana", NOW)
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700
        for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert mode(extra) & 0o077 == 0, f"{extra.name} is private too"
    finally:
        await db.close()


async def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    db = await Database.open(path)
    await db.close()
    assert mode(path) == 0o600


def one_line(error: StorageError) -> str:
    text = str(error)
    assert "\n" not in text
    return text


async def test_a_file_that_is_not_a_database_stops_with_restore_advice(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"this is not SQLite at all " * 200)
    with pytest.raises(StorageError) as caught:
        await Database.open(path)
    text = one_line(caught.value)
    assert str(path) in text and "damaged" in text and "backup" in text


async def test_damaged_pages_are_found_by_the_start_up_check(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    repo = Repo(db)
    for user in range(1, 400):
        await repo.upsert_user(user, user, "x" * 200, NOW)
    await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    await db.close()
    raw = bytearray(path.read_bytes())
    page = 4096
    assert len(raw) > 8 * page
    for offset in range(3 * page, 6 * page, 7):  # scribble over a few b-tree pages
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    with pytest.raises(StorageError) as caught:
        await Database.open(path)
    text = one_line(caught.value)
    assert str(path) in text and "restore the latest backup" in text


async def test_a_locked_database_says_so(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await (await Database.open(path)).close()  # create it
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError) as caught:
            await Database.open(path, busy_timeout_ms=100)
    finally:
        other.close()
    text = one_line(caught.value)
    assert str(path) in text and "locked by another process" in text


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """Make a file unwritable even for root (chattr +i); skip where that is not possible."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("cannot make a file immutable here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


async def test_a_read_only_database_says_so_in_those_words(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    await db.close()
    with immutable(path), pytest.raises(StorageError) as caught:
        await Database.open(path)
    text = one_line(caught.value)
    assert str(path) in text and "is read-only" in text


async def test_a_folder_given_as_the_database_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as caught:
        await Database.open(tmp_path)
    assert "is a folder" in one_line(caught.value)


async def test_backup_copies_a_consistent_private_snapshot_while_writes_go_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    try:
        repo = Repo(db)
        for user in range(1, 51):
            await repo.upsert_user(user, user, "Ana", NOW)
        target = tmp_path / "backups" / "copy.sqlite3"
        size = backup(path, target, pages_per_step=1)  # the bot's connection stays open
        await repo.upsert_user(51, 51, "Ben", NOW)  # written after the copy: not in it
    finally:
        await db.close()
    assert size > 0 and mode(target) == 0o600
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 50
    finally:
        copy.close()
    restored = await Database.open(target)  # a backup opens as the bot's database
    assert (await Repo(restored).get_user(50)) is not None
    await restored.close()


def test_backup_refuses_to_overwrite_the_database_itself(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    sqlite3.connect(path).close()
    with pytest.raises(StorageError):
        backup(path, path)
