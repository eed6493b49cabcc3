"""The demo's `:time` commands and its forward-only clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cli.demo_time import NextReminder, TimeCommandError, read_time_command
from bot.clock import DemoClock, FakeClock

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)  # a Thursday, 13:00 in Berlin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+2h", datetime(2026, 12, 3, 14, 0, tzinfo=UTC)),
        ("+90m", datetime(2026, 12, 3, 13, 30, tzinfo=UTC)),
        ("+1d6h", datetime(2026, 12, 4, 18, 0, tzinfo=UTC)),
        ("tomorrow 18:00", datetime(2026, 12, 4, 17, 0, tzinfo=UTC)),
        ("18:00", datetime(2026, 12, 3, 17, 0, tzinfo=UTC)),
        ("mon 7:30", datetime(2026, 12, 7, 6, 30, tzinfo=UTC)),
        ("thu 9am", datetime(2026, 12, 10, 8, 0, tzinfo=UTC)),  # the next Thursday
        ("2026-12-24 09:00", datetime(2026, 12, 24, 8, 0, tzinfo=UTC)),
        ("midnight", datetime(2026, 12, 3, 23, 0, tzinfo=UTC)),
        ("next reminder", NextReminder()),
        ("", None),
    ],
)
def test_time_commands_name_a_moment_in_the_users_zone(
    text: str, expected: datetime | NextReminder | None
) -> None:
    assert read_time_command(text, NOW, "Europe/Berlin") == expected


@pytest.mark.parametrize("text", ["banana", "+", "yesterday", "someday 18:00", "tomorrow 25:00"])
def test_unreadable_time_commands_say_what_works(text: str) -> None:
    with pytest.raises(TimeCommandError, match=r":time \+2h"):
        read_time_command(text, NOW, "Europe/Berlin")


def test_the_demo_clock_only_moves_forward() -> None:
    real = FakeClock(NOW)
    clock = DemoClock(real)
    assert clock() == NOW
    assert clock.move_to(NOW + timedelta(hours=2)) == timedelta(hours=2)
    real.now = NOW + timedelta(minutes=1)  # real time goes on underneath
    assert clock() == NOW + timedelta(hours=2, minutes=1)
    with pytest.raises(ValueError, match="forward"):
        clock.move_to(NOW)
    assert clock() == NOW + timedelta(hours=2, minutes=1)
