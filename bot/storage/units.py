"""The steps a unit of work is made of: its opening, how it is kept, and its function's run.

`bot.storage.db.Database` strings these into group commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from bot.storage.connection import Step

MARK_COMMITTED = (
    "UPDATE update_journal SET status = 'committed' WHERE update_id = ? AND status = 'pending'"
)


class CommitFailed(Exception):
    """A COMMIT failed: nothing of its group was saved."""

    def __init__(self, error: sqlite3.Error) -> None:
        super().__init__(str(error))
        self.error = error


class Work:
    """A unit's function, run in the same call as its opening and its COMMIT (Database.once)."""

    def __init__(self, work: Callable[[sqlite3.Connection], Any], update_id: int | None) -> None:
        self.work, self.update_id = work, update_id
        self.result: Any = None
        self.changed = False

    def run(self, raw: sqlite3.Connection) -> None:
        before = raw.total_changes
        self.result = self.work(raw)
        self.changed = raw.total_changes != before
        if self.update_id is not None and self.changed:
            raw.execute(MARK_COMMITTED, (self.update_id,))


def opening(first: bool) -> Step:
    """How a unit starts: a new group's transaction, or a savepoint inside the open group."""
    return ("BEGIN IMMEDIATE", ()) if first else ("SAVEPOINT unit", ())


def keeping(first: bool, update_id: int | None) -> list[Step]:
    """How a unit that went well ends: its update marked committed, its savepoint released."""
    steps: list[Step] = []
    if update_id is not None:
        steps.append((MARK_COMMITTED, (update_id,)))
    if not first:
        steps.append(("RELEASE unit", ()))
    return steps
