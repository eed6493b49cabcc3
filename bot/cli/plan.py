"""`python -m bot plan`: preview the program a set of answers produces, offline."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.domain.models import Goal, Level, Library, Plan, Profile
from bot.domain.programs import WEEKS, build_plan
from bot.domain.text import format_rest, format_sets


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
    parser.add_argument("--json", action="store_true", help="print one JSON object")


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


def run(args: argparse.Namespace, library: Library) -> int:
    """Print the plan for the given options."""
    plan = build_plan(profile_from_args(args), library, week=args.week)
    if args.json:
        print(json.dumps(plan_to_dict(plan), ensure_ascii=False))
    else:
        print(plan_to_text(plan))
    return 0
