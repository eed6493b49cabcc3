"""Operator safety for the database file: private permissions and plain-words start-up errors."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


class StorageError(RuntimeError):
    """The database cannot be used; the message is one line an operator can act on."""


def prepare_private(path: Path) -> None:
    """Create the folder (0700) and the file (0600) if missing; tighten a file others can read.

    The file holds health answers, so nobody but the bot's user may read it. SQLite gives its
    -wal and -shm files the permissions of the main file, so they follow.
    """
    if not path.parent.exists():
        path.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        os.chmod(path.parent, PRIVATE_DIR)  # mkdir's mode is filtered by the umask
    if path.is_dir():
        raise StorageError(
            f"database {path} is a folder, not a file; set DATABASE_PATH to a file path"
        )
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    except FileExistsError:
        _tighten(path)
    except OSError as e:
        raise StorageError(f"cannot create database {path}: {e.strerror}; check the folder") from e
    else:
        os.close(fd)
        os.chmod(path, PRIVATE_FILE)
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            _tighten(extra)


def _tighten(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        try:
            os.chmod(path, mode & 0o700)
        except OSError:
            log.warning("database file %s is readable by other users; make it 0600", path)
            return
        log.warning("database file %s was readable by other users; now 0600", path)


def explain(path: Path, error: sqlite3.Error) -> StorageError:
    """Turn SQLite's terse start-up error into one line that says what to do."""
    text = str(error).lower()
    if "readonly" in text or "read-only" in text:
        what = (
            "is read-only: the bot must be able to write it and its folder "
            "(check the file's owner and permissions, or the disk's mount options)"
        )
    elif "locked" in text or "busy" in text:
        what = (
            "is locked by another process: is another copy of the bot (or a tool) "
            "still using it? Stop that first"
        )
    elif "unable to open" in text or "cannot open" in text:
        what = (
            "cannot be opened: check that the path is right and that the bot's user may "
            "read and write the file and its folder"
        )
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        what = corrupt_advice()
    else:
        what = f"cannot be used ({error})"
    return StorageError(f"database {path} {what}.")


def corrupt_advice() -> str:
    """What to do about a damaged file."""
    return (
        "is damaged: stop the bot, move the file aside, and restore the latest backup "
        "(see 'Backups' in the README)"
    )
