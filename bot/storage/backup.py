"""A consistent online copy of the database with SQLite's backup API, safe while the bot runs."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.storage.filesafety import PRIVATE_FILE, StorageError, explain, prepare_private


def backup(source: Path, target: Path, pages_per_step: int = 256) -> int:
    """Copy `source` to `target` (0600) page by page; return the copy's size in bytes.

    The backup API copies a consistent snapshot even while the bot writes (WAL readers do
    not block the writer). The copy is written beside the target and renamed into place, so
    a half-written backup never replaces a good one.
    """
    if not source.is_file():
        raise StorageError(f"database {source} does not exist; check DATABASE_PATH")
    if target.resolve() == source.resolve():
        raise StorageError("the backup must go to another file than the database itself")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    prepare_private(partial)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as e:
        raise explain(source, e) from e
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=pages_per_step)
            check = dst.execute("PRAGMA quick_check").fetchall()
            if [r[0] for r in check] != ["ok"]:
                raise StorageError(f"the copy of {source} failed its check; try again")
        finally:
            dst.close()
    except sqlite3.Error as e:
        partial.unlink(missing_ok=True)
        raise explain(source, e) from e
    finally:
        src.close()
    os.chmod(partial, PRIVATE_FILE)
    os.replace(partial, target)
    return target.stat().st_size
