"""The shell's clock: the one place that reads the time, replaceable in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, timezone-aware, in UTC."""
    return datetime.now(UTC)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self.now = start

    def __call__(self) -> datetime:
        """The current fake time."""
        return self.now


class DemoClock:
    """The real clock plus an offset that only grows: the demo's `:time` moves it forward."""

    def __init__(self, now: Clock = system_clock) -> None:
        self._real = now
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        """The demo's now: the real time, moved on by every `:time` so far."""
        return self._real() + self.offset

    def move_to(self, moment: datetime) -> timedelta:
        """Jump forward to `moment`; return how far (never backwards: ValueError)."""
        step = moment - self()
        if step < timedelta(0):
            raise ValueError("the demo clock only moves forward")
        self.offset += step
        return step
