"""`python -m bot plan`: preview the program a set of answers produces, and its calendar."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.calendar import (
    WEEKDAYS,
    PlannedSession,
    Progress,
    Schedule,
    ScheduleError,
    describe_days,
    describe_rhythm,
    local_to_utc,
    parse_weekdays,
    sessions_until,
    validate_weekdays,
)
from bot.domain.models import Goal, Level, Library, Outcome, Plan, Profile
from bot.domain.programs import WEEKS, build_plan
from bot.domain.text import format_rest, format_sets
from bot.domain.timezones import parse_clock_time, resolve_timezone


def add_arguments(parser: argparse.ArgumentParser, library: Library) -> None:
    """Declare the plan options; choices come from the enums and the content library."""
    parser.add_argument("--goal", choices=[g.value for g in Goal], default=Goal.WIDTH.value)
    parser.add_argument("--level", choices=[lv.value for lv in Level], default=Level.BEGINNER.value)
    parser.add_argument(
        "--pullups",
        type=_non_negative,
        default=0,
        metavar="N",
        help="strict pull-ups in one set (default 0)",
    )
    parser.add_argument(
        "--condition",
        action="append",
        default=[],
        metavar="ID",
        choices=sorted(library.conditions),
        help="repeatable; one of %(choices)s",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="EXERCISE_ID",
        choices=sorted(library.exercises),
        help="an exercise that causes you discomfort (repeatable)",
    )
    parser.add_argument(
        "--week",
        type=int,
        choices=list(WEEKS),
        default=1,
        metavar="N",
        help="week of the 8-week rotation, 1-8 (default 1)",
    )
    parser.add_argument(
        "--days",
        type=_weekdays,
        default="mon,thu",
        metavar="DAYS",
        help=f"weekdays you can train, comma-separated, from {','.join(WEEKDAYS)} "
        "(default mon,thu); the calendar picks the sessions from them",
    )
    parser.add_argument(
        "--often",
        action="store_true",
        help="train as often as the 3-day rest rule allows, not two sessions a week",
    )
    parser.add_argument(
        "--time",
        type=_clock_time,
        default="18:00",
        metavar="HH:MM",
        help="local reminder time (default 18:00)",
    )
    parser.add_argument(
        "--tz", type=_zone, default="UTC", metavar="IANA", help="timezone (default UTC)"
    )
    parser.add_argument(
        "--start",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="first day of the calendar (default: today in --tz)",
    )
    parser.add_argument(
        "--weeks",
        type=_weeks,
        default=2,
        metavar="N",
        help="weeks of calendar to show, 1-52 (default 2)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _weekdays(value: str) -> frozenset[int]:
    try:
        days = parse_weekdays(value)
        validate_weekdays(days)
    except ScheduleError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return days


def _clock_time(value: str) -> time:
    parsed = parse_clock_time(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"'{value}' is not a time of day like 18:00")
    return parsed


def _is_zone_name(value: str) -> bool:
    """`value in available_timezones()`, without listing every zone (about 9 ms) when the name
    loads: the zones it lists are exactly the TZif files ZoneInfo finds, less posix/, right/ and
    posixrules (tests/test_cli_plan.py checks the two agree on every file of the zone folders)."""
    if value != "posixrules" and not value.startswith(("posix/", "right/")):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
        else:
            return True
    return value in available_timezones()


def _zone(value: str) -> str:
    if _is_zone_name(value):
        return value
    candidates = resolve_timezone(value, datetime.now(UTC))  # the shell may read the clock
    exact = [c for c in candidates if c.lower() == value.strip().lower()]
    if exact:
        return exact[0]
    hint = f"; did you mean {', '.join(candidates)}?" if candidates else " (e.g. Europe/Berlin)"
    raise argparse.ArgumentTypeError(f"'{value}' is not an IANA timezone name{hint}")


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2026-10-19") from None


def _weeks(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if not 1 <= n <= 52:
        raise argparse.ArgumentTypeError("must be between 1 and 52")
    return n


def _non_negative(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if not 0 <= n <= 100:
        raise argparse.ArgumentTypeError("must be between 0 and 100")
    return n


def profile_from_args(args: argparse.Namespace) -> Profile:
    """Turn parsed options into a profile."""
    return Profile(
        goal=Goal(args.goal),
        level=Level(args.level),
        pullups=args.pullups,
        conditions=frozenset(args.condition),
        excluded=frozenset(args.exclude),
    )


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The JSON shape of a plan (stable keys: outcome, reasons, days)."""
    return {
        "outcome": plan.outcome.value,
        "reasons": [r.model_dump(exclude_none=True) for r in plan.reasons],
        "template": plan.template,
        "week": plan.week,
        "days": [
            {
                "kind": day.kind.value,
                "exercises": [
                    {
                        "id": p.exercise.id,
                        "name": p.exercise.name,
                        "pattern": p.exercise.pattern.value,
                        "properties": sorted(x.value for x in p.exercise.properties),
                        "sets": [
                            {
                                "kind": s.kind.value,
                                "count": s.count,
                                "reps_min": s.reps_min,
                                "reps_max": s.reps_max,
                            }
                            for s in p.sets
                        ],
                        "rest_s": p.rest_s,
                        "group": p.group,
                        "note": p.note,
                        "replaces": p.replaces,
                    }
                    for p in day.exercises
                ],
            }
            for day in plan.days
        ],
    }


_DAY_TITLE = {"upper": "Day 1: upper back", "lower": "Day 2: lower and middle back"}


def plan_to_text(plan: Plan) -> str:
    """A plain-text program a person can read in a terminal."""
    lines = [f"Screening: {plan.outcome.value}"]
    if plan.reasons:
        lines.append("")
        lines.extend(f"- {r.text}" for r in plan.reasons)
    if not plan.days:
        lines += ["", "No loaded program for now. This is general advice, not a medical opinion."]
        return "\n".join(lines)
    lines += ["", f"Program: {plan.template} (week {plan.week} of 8)"]
    for day in plan.days:
        lines += ["", _DAY_TITLE[day.kind.value]]
        for i, p in enumerate(day.exercises, 1):
            rest = format_rest(p.rest_s)
            extra = f", rest {rest}" if rest else ""
            group = f" [{p.group}]" if p.group else ""
            lines.append(f"{i:2}. {p.exercise.name}: {format_sets(p.sets)}{extra}{group}")
            if p.note:
                lines.append(f"    {p.note}")
    lines += ["", "Rest at least 3 days between the upper and the lower day."]
    return "\n".join(lines)


def schedule_from_args(args: argparse.Namespace) -> Schedule:
    """Turn parsed options into a schedule."""
    return Schedule(weekdays=args.days, time=args.time, timezone=args.tz, often=args.often)


def preview_calendar(schedule: Schedule, start: date, weeks: int) -> list[PlannedSession]:
    """The sessions of a fresh schedule (upper first, nothing done) from `start`, for `weeks`."""
    now = local_to_utc(start, time(0, 0), schedule.timezone)
    until = start + timedelta(days=7 * weeks - 1)
    return sessions_until(schedule, Progress(), now, until)


def calendar_to_dicts(sessions: list[PlannedSession]) -> list[dict[str, str]]:
    """The JSON shape of a calendar: date, kind, local time and the UTC moment."""
    return [
        {
            "date": s.on.isoformat(),
            "kind": s.kind.value,
            "local_time": s.local_time.strftime("%H:%M"),
            "utc": s.due_utc.astimezone(UTC).isoformat(),
        }
        for s in sessions
    ]


def calendar_to_text(schedule: Schedule, sessions: list[PlannedSession]) -> str:
    """A readable calendar: one line per session."""
    when = f"{describe_days(schedule.weekdays)} at {schedule.time:%H:%M}, {schedule.timezone}"
    lines = [f"Calendar ({when})", describe_rhythm(schedule.weekdays, schedule.often)]
    lines += [
        f"  {s.on:%a %d %b %Y}  {s.local_time:%H:%M}  {_DAY_TITLE[s.kind.value]}" for s in sessions
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace, library: Library) -> int:
    """Print the plan and its calendar for the given options."""
    plan = build_plan(profile_from_args(args), library, week=args.week)
    schedule = schedule_from_args(args)
    start = args.start or datetime.now(ZoneInfo(schedule.timezone)).date()
    referred = plan.outcome is Outcome.REFER
    sessions = [] if referred else preview_calendar(schedule, start, args.weeks)
    if args.json:
        print(
            json.dumps(
                {**plan_to_dict(plan), "calendar": calendar_to_dicts(sessions)}, ensure_ascii=False
            )
        )
    else:
        print(plan_to_text(plan))
        if not referred:
            print("\n" + calendar_to_text(schedule, sessions))
    return 0
