"""Pure rendering of calendars, reminders and their buttons."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.calendar import PlannedSession, Schedule, describe_days, describe_rhythm
from bot.domain.models import DayKind, Pattern, Plan
from bot.domain.sessions import Session
from bot.domain.text import format_sets
from bot.i18n import N_, _, format_day
from bot.tg import callbacks
from bot.tg.render import esc
from bot.tg.views import View

KIND_NAMES = {DayKind.UPPER: N_("upper-back"), DayKind.LOWER: N_("lower- and middle-back")}
# Whole phrases per day, so each language can word them its own way.
KIND_DAYS = {DayKind.UPPER: N_("upper-back day"), DayKind.LOWER: N_("lower- and middle-back day")}
REMINDER_TITLES = {
    DayKind.UPPER: N_("💪 <b>Time for your upper-back session</b>"),
    DayKind.LOWER: N_("💪 <b>Time for your lower- and middle-back session</b>"),
}


def local_day(moment: datetime, timezone: str) -> date:
    """The local date of a moment in a timezone."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def day_label(day: date) -> str:
    """'Mon 23 Nov' (in the current language)."""
    return format_day(day)


def schedule_line(schedule: Schedule) -> str:
    """'Monday and Thursday at 18:00 (Europe/Berlin)'."""
    return _("{days} at {time} ({zone})").format(
        days=describe_days(schedule.weekdays),
        time=f"{schedule.time:%H:%M}",
        zone=esc(schedule.timezone),
    )


def calendar_lines(sessions: list[PlannedSession]) -> list[str]:
    """One line per upcoming session."""
    if not sessions:
        return [_("No sessions in this period.")]
    return [f"• {day_label(s.on)}, {s.local_time:%H:%M}: {_(KIND_DAYS[s.kind])}" for s in sessions]


def calendar_view(schedule: Schedule, sessions: list[PlannedSession], paused: bool) -> View:
    """The schedule and the next two weeks, with a button to change it."""
    lines = [
        _("<b>Your schedule</b>: {schedule}").format(schedule=schedule_line(schedule)),
        "",
        _("<b>Next two weeks</b>"),
    ]
    lines += calendar_lines(sessions)
    if paused:
        lines += ["", _("Reminders are <b>paused</b>. /resume starts them again.")]
    lines += ["", describe_rhythm(schedule.weekdays, schedule.often)]
    lines += [_("Upper and lower days alternate, at least 3 days apart.")]
    change = InlineKeyboardButton(_("Change schedule"), callback_data=callbacks.schedule_change())
    keyboard = InlineKeyboardMarkup([[change]])
    return View("\n".join(lines), keyboard)


def reminder_view(session: Session, plan: Plan, timezone: str) -> View:
    """The reminder: which day, what is in it, and Start / Snooze / Skip / Move."""
    local = session.due_at.astimezone(ZoneInfo(timezone))
    lines = [
        f"{_(REMINDER_TITLES[session.kind])} ({day_label(session.on)}, {local:%H:%M})",
        "",
    ]
    day = next((d for d in plan.days if d.kind is session.kind), None)
    if day is not None:
        for p in day.exercises:
            if p.exercise.pattern not in (Pattern.WARMUP, Pattern.STRETCH):
                lines.append(f"• {esc(p.exercise.name)}: {esc(format_sets(p.sets))}")
    lines += ["", _("Warm up first and stretch after. Tap <b>Start</b> when you begin.")]
    sid = session.id
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Start"), callback_data=callbacks.reminder(sid, "start")),
                InlineKeyboardButton(
                    _("Snooze 1 h"), callback_data=callbacks.reminder(sid, "snooze")
                ),
            ],
            [
                InlineKeyboardButton(_("Skip"), callback_data=callbacks.reminder(sid, "skip")),
                InlineKeyboardButton(_("Move"), callback_data=callbacks.reminder(sid, "move")),
            ],
        ]
    )
    return View("\n".join(lines), keyboard)


def move_view(session_id: int, options: list[date]) -> View:
    """Days the session can move to."""
    if not options:
        return View(
            _("There is no day in the next week that keeps 3 days of rest; skip this one instead.")
        )
    buttons = [
        InlineKeyboardButton(
            day_label(d), callback_data=callbacks.reminder(session_id, "move-to", d)
        )
        for d in options
    ]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return View(
        _(
            "Move this session to which day? Only days that keep at least 3 days of rest are "
            "offered."
        ),
        InlineKeyboardMarkup(rows),
    )


def next_line(session: Session | None, timezone: str) -> str:
    """'Next: Thu 26 Nov at 18:00, lower- and middle-back day.'"""
    if session is None:
        return _("No session is planned.")
    local: datetime = session.due_at.astimezone(ZoneInfo(timezone))
    return _("Next: <b>{day}</b> at {time}, {kind}.").format(
        day=day_label(session.on), time=f"{local:%H:%M}", kind=_(KIND_DAYS[session.kind])
    )
