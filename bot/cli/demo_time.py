"""The demo's `:time` commands, read into a target moment (pure: `now` is a parameter)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.calendar import WEEKDAY_NAMES, local_day_end, local_to_utc, zone_info
from bot.domain.timezones import parse_clock_time
from bot.i18n import N_, _

HELP = N_("""Demo commands (lines starting with ':'):
  :help                  this list
  :time                  show the bot's clock
  :time +2h              move the clock on (+90m, +1d, +1d6h, ...)
  :time tomorrow 18:00   move to a local time: today, tomorrow, a weekday (mon ... sun)
                         or a date (2026-12-24), then HH:MM
  :time next reminder    move to when your next reminder is due
  :time midnight         move to the end of your day (open sessions close, unanswered
                         reminders expire)
Lines starting with '@file ' send that file as a document (e.g. a Strong export for /import).
The clock only moves forward; reminders, rest timers and the day's end happen as they would.""")

NEXT_REMINDER = "next reminder"
_STEP = re.compile(r"\+\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?")


class TimeCommandError(ValueError):
    """A `:time` line that could not be read, with what would work."""


@dataclass(frozen=True)
class NextReminder:
    """`:time next reminder`: the shell looks up when that is."""


def read_time_command(text: str, now: datetime, tz: str) -> datetime | NextReminder | None:
    """The moment a `:time ...` argument names; None for a bare `:time` (just show it)."""
    arg = " ".join(text.strip().lower().split())
    if not arg:
        return None
    if arg in (NEXT_REMINDER, "reminder", "next"):
        return NextReminder()
    if arg in ("midnight", "end of day", "day end"):
        return local_day_end(now.astimezone(zone_info(tz)).date(), tz)
    step = _STEP.fullmatch(arg)
    if step and any(step.groups()):
        days, hours, minutes = (int(g or 0) for g in step.groups())
        return now + timedelta(days=days, hours=hours, minutes=minutes)
    day_word, _sep, clock = arg.rpartition(" ")
    at = parse_clock_time(clock)
    day = _day(day_word or "today", now.astimezone(zone_info(tz)).date())
    if at is None or day is None:
        raise TimeCommandError(
            _(
                "I can't read ':time {text}'. Try ':time +2h', ':time tomorrow 18:00' "
                "or ':time next reminder' (:help lists them all)."
            ).format(text=text.strip())
        )
    return local_to_utc(day, time(at.hour, at.minute), tz)


def _day(word: str, today: date) -> date | None:
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    for i, name in enumerate(WEEKDAY_NAMES):
        if len(word) >= 3 and name.lower().startswith(word):
            return today + timedelta(days=(i - today.weekday() - 1) % 7 + 1)  # the next one
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None
