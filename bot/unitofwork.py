"""Which update this task is handling, and how many units of work it has committed.

The shell's update processor sets both; storage reads them. An update's journal row is marked
'committed' in the same transaction as its first write, so a replay after a crash can never
apply that write twice; that is only whole if the update commits once: a second commit could
be cut off by a crash and would never be redone. So every use case writes in one transaction,
and the processor counts the commits of each update to prove it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

CURRENT_UPDATE: ContextVar[int | None] = ContextVar("CURRENT_UPDATE", default=None)


@dataclass
class Commits:
    """The transactions one update has committed so far."""

    count: int = 0


UPDATE_COMMITS: ContextVar[Commits | None] = ContextVar("UPDATE_COMMITS", default=None)


def committed() -> None:
    """Storage calls this after each outermost COMMIT; it counts for the update being handled."""
    commits = UPDATE_COMMITS.get()
    if commits is not None:
        commits.count += 1
