"""The calendar file of the coming sessions: one iCalendar event per session, in the user's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar

from bot.domain import calendar
from bot.domain.calendar import PlannedSession
from bot.domain.models import DayKind
from bot.i18n import N_, _

CALENDAR_WEEKS = 8
SESSION_MINUTES = 60
DAY_TITLES = {
    DayKind.UPPER: N_("Upper-back day"),
    DayKind.LOWER: N_("Lower and middle back day"),
}


def ics_file(
    user_id: int,
    sessions: list[PlannedSession],
    timezone: str,
    names: dict[DayKind, list[str]],
    now: datetime,
) -> bytes:
    """An iCalendar file: one event per session at its local time, with the zone's rules."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//BackCoach//Back training//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("BackCoach sessions"))
    cal.add("x-wr-timezone", timezone)
    zone = calendar.zone_info(timezone)
    for s in sessions:
        start = datetime.combine(s.on, s.local_time, tzinfo=zone)
        event = icalendar.Event()
        # Stable ids: a fresh /calendar updates the same events instead of doubling them.
        event.add("uid", f"{user_id}-{s.on.isoformat()}-{s.kind.value}@backcoach")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=SESSION_MINUTES))
        event.add(
            "summary",
            _("Back training: {day}").format(day=_(DAY_TITLES[s.kind]).lower()),
        )
        if names.get(s.kind):
            event.add(
                "description", _("Today: {exercises}.").format(exercises=", ".join(names[s.kind]))
            )
        cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE, so phones place the events right
    data: bytes = cal.to_ical()
    return data
