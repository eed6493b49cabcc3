"""Per-user caps that keep one user from growing the database without bound."""

from __future__ import annotations

from datetime import timedelta

# Far above any real session (a long one is about 40 sets), far below a runaway script.
MAX_SETS_PER_DAY = 300
# Distinct program versions kept in full per user: a change a week for almost four years.
# A set-up that changes nothing issues no version, so repeating one costs nothing.
MAX_PROGRAM_VERSIONS = 200
WINDOW = timedelta(hours=24)


class DailyLimit(Exception):
    """A user went over a per-user cap; nothing of the refused change was saved."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"{what}: more than {limit} in 24 hours")
        self.what = what
        self.limit = limit

    def reply(self) -> str:
        """What the user reads."""
        if self.what == "sets":
            return (
                f"That's more than {self.limit} sets logged in the last 24 hours, which is "
                "my limit, so I didn't save this one. Your earlier sets are all kept."
            )
        return (
            f"You've made {self.limit} new programs in the last 24 hours, which is my limit, "
            "so I kept your current program. Try again tomorrow."
        )


class ProgramVersionLimit(DailyLimit):
    """The user has as many program versions as are kept; the current one stays."""

    def __init__(self) -> None:
        super().__init__("program versions", MAX_PROGRAM_VERSIONS)

    def reply(self) -> str:
        """What the user reads."""
        return (
            f"Your program has had {self.limit} versions, which is as many as I keep, so "
            "I kept your current program as it is. Your earlier versions and your logs "
            "are all still there."
        )


def over(count_so_far: int, adding: int, limit: int) -> bool:
    """Whether adding `adding` to `count_so_far` would pass `limit`."""
    return count_so_far + adding > limit
