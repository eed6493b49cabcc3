"""The onboarding questions as a pure state machine: answers in, next question or a profile out."""

from __future__ import annotations

import difflib
import re
from datetime import datetime, time
from typing import TypeVar

from bot.domain.answers import (
    MAX_PULLUPS,
    MULTI,
    ORDER,
    REFERRING,
    SCHEDULE_ORDER,
    TRIAGE_ORDER,
    Answers,
    Back,
    Event,
    Finish,
    NoneOfThese,
    Pick,
    Result,
    Step,
    Typed,
)
from bot.domain.answerwords import (
    DONE_WORDS,
    EVERY_DAY_WORDS,
    FULL_GYM_WORDS,
    GOAL_WORDS,
    LEVEL_WORDS,
    NO_WORDS,
    NONE_WORDS,
    NUMBER_WORDS,
    YES_WORDS,
)
from bot.domain.calendar import (
    WEEKDAY_NAMES,
    ScheduleError,
    parse_weekdays,
    validate_weekdays,
)
from bot.domain.models import (
    DayKind,
    Equipment,
    Goal,
    Level,
    Library,
    Outcome,
    Pattern,
)
from bot.domain.screening import screen
from bot.domain.timezones import parse_clock_time, resolve_timezone

# The values live in answers.py; callers import them from here with the transitions.
__all__ = [
    "MAX_PULLUPS",
    "MULTI",
    "ORDER",
    "REFERRING",
    "SCHEDULE_ORDER",
    "TRIAGE_ORDER",
    "Answers",
    "Back",
    "Event",
    "Finish",
    "NoneOfThese",
    "Pick",
    "Result",
    "Step",
    "Typed",
    "apply",
    "discomfort_choices",
    "needs_triage",
    "start",
    "weekday_name",
]


T = TypeVar("T")


# --- transitions -------------------------------------------------------------------------


def needs_triage(answers: Answers) -> Answers:
    """A set-up saved before triage existed goes back to the triage questions first."""
    if answers.schedule_only or answers.pain_now is not None or answers.step in TRIAGE_ORDER:
        return answers
    if answers.step is Step.DONE:
        return answers
    return answers.model_copy(update={"step": Step.RED_FLAGS})


def start(nonce: str, default_timezone: str = "UTC", schedule_only: bool = False) -> Answers:
    """A fresh conversation at the first question (or the first schedule question)."""
    first = SCHEDULE_ORDER[0] if schedule_only else ORDER[0]
    return Answers(
        nonce=nonce, step=first, default_timezone=default_timezone, schedule_only=schedule_only
    )


def apply(answers: Answers, event: Event, library: Library, now: datetime) -> Result:
    """Apply one user event to the answers; never raises on user input."""
    if answers.step is Step.DONE:
        return Result(answers, "This set-up is already finished.", stale=True)
    if not isinstance(event, Typed) and event.step is not answers.step:
        return Result(answers, "That button belongs to another question.", stale=True)
    if isinstance(event, Back):
        return _back(answers)
    if answers.step in SCHEDULE_ORDER:
        return _schedule_event(answers, event, now)
    if isinstance(event, Typed):
        return _typed(answers, event.text, library)
    if isinstance(event, Finish):
        return _finish(answers, library)
    if isinstance(event, NoneOfThese):
        return _none_of_these(answers, library)
    return _pick(answers, event.value, library)


def _advance(answers: Answers, library: Library | None = None, **changes: object) -> Answers:
    order = answers.order()
    nxt = order.index(answers.step) + 1
    step = order[nxt] if nxt < len(order) else Step.DONE
    updated = answers.model_copy(update={**changes, "step": step})
    if step is Step.EQUIPMENT and updated.equipment is None:
        updated = updated.model_copy(update={"equipment": tuple(Equipment)})
    if answers.step in REFERRING and library is not None and _referred(updated, library):
        # No loaded program: no question after this one matters, so the set-up ends here.
        updated = updated.model_copy(update={"step": Step.DONE})
    return updated


def _referred(answers: Answers, library: Library) -> bool:
    return screen(answers.profile(), library).outcome is Outcome.REFER


def _back(answers: Answers) -> Result:
    order = answers.order()
    i = order.index(answers.step)
    if i == 0:
        return Result(answers, "This is the first question.")
    return Result(
        answers.model_copy(
            update={"step": order[i - 1], "tz_candidates": (), "day_suggestions": ()}
        )
    )


def _finish(answers: Answers, library: Library) -> Result:
    if answers.step not in MULTI:
        return Result(answers, "Please pick one of the options.", stale=True)
    if answers.step is Step.EQUIPMENT:
        have = answers.equipment or ()
        full = set(have) == set(Equipment)
        return Result(_advance(answers, library, equipment=None if full else tuple(have)))
    ticked = {
        Step.CONDITIONS: answers.conditions,
        Step.RED_FLAGS: answers.red_flags,
        Step.HEALTH: answers.health_flags,
    }
    if answers.step in ticked and not ticked[answers.step]:
        return Result(answers, "Tick what applies to you, or tap 'None of these'.")
    return Result(_advance(answers, library))


def _none_of_these(answers: Answers, library: Library) -> Result:
    if answers.step is Step.RED_FLAGS:
        return Result(_advance(answers, library, red_flags=()))
    if answers.step is Step.HEALTH:
        return Result(_advance(answers, library, health_flags=()))
    if answers.step is Step.CONDITIONS:
        return Result(_advance(answers, library, conditions=()))
    if answers.step is Step.DISCOMFORT:
        return Result(_advance(answers, library, excluded=()))
    if answers.step is Step.EQUIPMENT:
        return Result(_advance(answers, library, equipment=None))
    return Result(answers, "Please pick one of the options.", stale=True)


def _toggle(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != value) if value in values else (*values, value)


def _pick(answers: Answers, value: str, library: Library) -> Result:
    step = answers.step
    safety = library.safety
    if step is Step.RED_FLAGS and value in {f.id for f in safety.red_flag}:
        return Result(answers.model_copy(update={"red_flags": _toggle(answers.red_flags, value)}))
    if step is Step.PAIN and value in ("yes", "no"):
        return Result(_advance(answers, library, pain_now=value == "yes"))
    if step is Step.HEALTH and value in {f.id for f in safety.health_check}:
        flags = _toggle(answers.health_flags, value)
        return Result(answers.model_copy(update={"health_flags": flags}))
    if step is Step.GOAL and value in {g.value for g in Goal}:
        return Result(_advance(answers, goal=Goal(value)))
    if step is Step.LEVEL and value in {lv.value for lv in Level}:
        return Result(_advance(answers, level=Level(value)))
    if step is Step.PULLUPS and value.isdigit() and int(value) <= MAX_PULLUPS:
        return Result(_advance(answers, pullups=int(value)))
    if step is Step.CONDITIONS and value in library.conditions:
        return Result(answers.model_copy(update={"conditions": _toggle(answers.conditions, value)}))
    if step is Step.DISCOMFORT and value in discomfort_choices(library):
        return Result(answers.model_copy(update={"excluded": _toggle(answers.excluded, value)}))
    if step is Step.EQUIPMENT and value in {e.value for e in Equipment}:
        have = tuple(e.value for e in answers.equipment or ())
        toggled = tuple(Equipment(v) for v in _toggle(have, value))
        return Result(answers.model_copy(update={"equipment": toggled}))
    return Result(answers, "That option is not available here.", stale=True)


def _typed(answers: Answers, raw: str, library: Library) -> Result:
    text = " ".join(raw.strip().lower().split())
    step = answers.step
    if step is Step.PAIN:
        if text in NO_WORDS:
            return Result(_advance(answers, library, pain_now=False))
        if text in YES_WORDS:
            return Result(_advance(answers, library, pain_now=True))
        return Result(answers, "Tap one of the answers, or type yes or no.")
    if step in (Step.RED_FLAGS, Step.HEALTH) and text not in NONE_WORDS | DONE_WORDS:
        return Result(
            answers, "Tick anything that applies with the buttons, or type 'none' if nothing does."
        )
    if step is Step.GOAL:
        goal = _match(text, GOAL_WORDS)
        if goal is not None:
            return Result(_advance(answers, goal=goal))
        return Result(
            answers, "Tap one of the goals, or type width, thickness, strength or health."
        )
    if step is Step.LEVEL:
        level = _match(text, LEVEL_WORDS)
        if level is not None:
            return Result(_advance(answers, level=level))
        return Result(answers, "Tap your level, or type beginner, intermediate or advanced.")
    if step is Step.PULLUPS:
        return _typed_pullups(answers, text)
    if step in MULTI:
        if text in NONE_WORDS:
            return _none_of_these(answers, library)
        if text in DONE_WORDS or (step is Step.EQUIPMENT and text in FULL_GYM_WORDS):
            if step is Step.EQUIPMENT and text in FULL_GYM_WORDS:
                return Result(_advance(answers, library, equipment=None))
            return _finish(answers, library)
        if step is Step.DISCOMFORT:
            names = {
                e.name.lower(): e.id
                for e in (library.exercises[i] for i in discomfort_choices(library))
            }
            found = _match(text, names)
            if found is not None:
                return _pick(answers, found, library)
        return Result(
            answers, "Use the buttons to tick what applies, then tap Done (or type 'none')."
        )
    return Result(answers, "Please use the buttons.")


def _typed_pullups(answers: Answers, text: str) -> Result:
    match = re.fullmatch(r"(\d{1,4})( pull-?ups?| reps?| times?)?", text)
    number = int(match.group(1)) if match else NUMBER_WORDS.get(text)
    if number is None:
        return Result(
            answers, "Send the number of strict pull-ups you can do in one go, e.g. 0, 5 or 12."
        )
    if number > MAX_PULLUPS:
        return Result(answers, f"That's more than {MAX_PULLUPS}; please send a realistic number.")
    return Result(_advance(answers, pullups=number))


def _match(text: str, words: dict[str, T]) -> T | None:
    if text in words:
        return words[text]
    close = difflib.get_close_matches(text, list(words), n=1, cutoff=0.75)
    return words[close[0]] if close else None


def discomfort_choices(library: Library) -> list[str]:
    """Training exercises a user may mark as causing discomfort, upper day first."""
    training = [e for e in library.exercises.values() if e.day is not None]
    patterns = list(Pattern)
    training.sort(key=lambda e: (e.day is not DayKind.UPPER, patterns.index(e.pattern), e.name))
    return [e.id for e in training]


# --- the schedule questions --------------------------------------------------------------


def _schedule_event(answers: Answers, event: Event, now: datetime) -> Result:
    step = answers.step
    if step is Step.DAYS:
        return _days_event(answers, event)
    if step is Step.TIME:
        if isinstance(event, Pick) and re.fullmatch(r"[0-2][0-9][0-5][0-9]", event.value):
            at = time(int(event.value[:2]) % 24, int(event.value[2:]))
            return Result(_advance(answers, reminder_time=f"{at:%H:%M}"))
        if isinstance(event, Typed) and (typed := parse_clock_time(event.text)) is not None:
            return Result(_advance(answers, reminder_time=f"{typed:%H:%M}"))
        return Result(
            answers,
            "Tap a time or type one, e.g. 18:30 or 7pm.",
            stale=not isinstance(event, Typed),
        )
    if step is Step.TIMEZONE:
        return _timezone_event(answers, event, now)
    if isinstance(event, Finish) or (
        isinstance(event, Typed) and event.text.strip().lower() in DONE_WORDS | {"yes"}
    ):
        return Result(_advance(answers))
    if isinstance(event, Pick) and event.value == "change":
        return Result(answers.model_copy(update={"step": Step.DAYS}))
    return Result(
        answers,
        "Tap 'Looks good' to confirm, or change the days.",
        stale=not isinstance(event, Typed),
    )


def _days_event(answers: Answers, event: Event) -> Result:
    chosen: frozenset[int] | None = None
    if isinstance(event, Pick) and re.fullmatch(r"d[0-6]", event.value):
        day = int(event.value[1])
        days = tuple(sorted(set(answers.weekdays) ^ {day}))
        return Result(answers.model_copy(update={"weekdays": days}))
    if isinstance(event, Pick) and event.value == "often":
        return Result(answers.model_copy(update={"often": not answers.often}))
    if isinstance(event, Pick) and re.fullmatch(r"s[0-6]{1,2}", event.value):
        chosen = frozenset(int(c) for c in event.value[1:])  # a button from an older version
    elif isinstance(event, Finish):
        chosen = frozenset(answers.weekdays)
    elif isinstance(event, Typed):
        text = " ".join(event.text.strip().lower().split())
        if text in EVERY_DAY_WORDS:
            chosen = frozenset(range(7))
        else:
            try:
                chosen = parse_weekdays(text)
            except ScheduleError as e:
                return Result(answers, str(e))
    if chosen is None:
        return Result(answers, "Tick the days you can train, then tap Done.", stale=True)
    try:
        validate_weekdays(chosen)
    except ScheduleError as e:
        return Result(answers, str(e))
    return Result(_advance(answers, weekdays=tuple(sorted(chosen)), day_suggestions=()))


def _timezone_event(answers: Answers, event: Event, now: datetime) -> Result:
    if isinstance(event, Pick):
        if event.value == "here":
            return Result(_advance(answers, timezone=answers.default_timezone, tz_candidates=()))
        if re.fullmatch(r"z[0-9]", event.value) and int(event.value[1:]) < len(
            answers.tz_candidates
        ):
            zone = answers.tz_candidates[int(event.value[1:])]
            return Result(_advance(answers, timezone=zone, tz_candidates=()))
        return Result(answers, "That option is not available here.", stale=True)
    if not isinstance(event, Typed):
        return Result(answers, "Type your city or your local time.", stale=True)
    found = resolve_timezone(event.text, now)
    if len(found) == 1:
        return Result(_advance(answers, timezone=found[0], tz_candidates=()))
    if not found:
        return Result(
            answers,
            "I couldn't match that to a timezone. Type a city (e.g. Berlin), "
            "a zone like Europe/Berlin, or your current local time, e.g. 18:05.",
        )
    return Result(
        answers.model_copy(update={"tz_candidates": tuple(found)}), "Which of these is yours?"
    )


def weekday_name(day: int) -> str:
    """'Monday' for 0."""
    return WEEKDAY_NAMES[day]
