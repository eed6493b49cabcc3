"""Pure rendering of the set-up questions: one renderer per question, and the answered record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.calendar import PlannedSession, describe_days, describe_rhythm
from bot.domain.models import DayKind, Equipment, Library
from bot.domain.onboarding import Answers, Step, discomfort_choices, weekday_name
from bot.tg import callbacks
from bot.tg.render import esc
from bot.tg.views import (
    EQUIPMENT_LABELS,
    GOAL_LABELS,
    LEVEL_LABELS,
    View,
    button,
    rows_of,
)

Rows = list[list[InlineKeyboardButton]]
PULLUP_BUTTONS = [["0", "1", "2", "3", "4"], ["5", "6", "7", "8", "9"], ["10", "12", "15", "20"]]
TIME_BUTTONS = [["0700", "0800", "1200"], ["1700", "1800", "1900"], ["2000", "2100"]]


@dataclass(frozen=True)
class Shown:
    """What a question renderer needs: the answers so far, the library, the preview."""

    answers: Answers
    library: Library
    preview: list[PlannedSession]

    @property
    def nonce(self) -> str:
        """The set-up's nonce, carried by every button."""
        return self.answers.nonce


Renderer = Callable[[Shown], tuple[str, Rows]]


def _tick(on: bool, label: str) -> str:
    return f"✅ {label}" if on else f"▫️ {label}"


def _none_or_done(s: Shown, step: Step, none_label: str) -> list[InlineKeyboardButton]:
    """The closing row of a multi-select question."""
    return [
        button(none_label, callbacks.none_of_these(s.nonce, step)),
        button("Done", callbacks.finish(s.nonce, step)),
    ]


def _flags(s: Shown, step: Step) -> tuple[str, Rows]:
    """The warning signs or the health check: tick what applies."""
    safety = s.library.safety
    flags = safety.red_flag if step is Step.RED_FLAGS else safety.health_check
    ticked = s.answers.red_flags if step is Step.RED_FLAGS else s.answers.health_flags
    intro = (
        "First, your safety. Do you have any of these right now? Tick each one that "
        "applies, then tap Done."
        if step is Step.RED_FLAGS
        else "A general health check. Does any of this apply to you?"
    )
    text = intro + "\n\n" + "\n".join(f"• {esc(f.text)}" for f in flags)
    rows = [
        [button(_tick(f.id in ticked, f.label), callbacks.pick(s.nonce, step, f.id))] for f in flags
    ]
    rows.append(_none_or_done(s, step, "None of these"))
    return text, rows


def _pain(s: Shown) -> tuple[str, Rows]:
    text = (
        "Does your back hurt today? I mean pain, not the usual tiredness or mild "
        "stiffness after a workout."
    )
    rows = [
        [button("No, it doesn't hurt", callbacks.pick(s.nonce, Step.PAIN, "no"))],
        [button("Yes, it hurts today", callbacks.pick(s.nonce, Step.PAIN, "yes"))],
    ]
    return text, rows


def _goal(s: Shown) -> tuple[str, Rows]:
    rows = [
        [button(label, callbacks.pick(s.nonce, Step.GOAL, g.value))]
        for g, label in GOAL_LABELS.items()
    ]
    return "What do you want most from training your back?", rows


def _level(s: Shown) -> tuple[str, Rows]:
    rows = [
        [button(label, callbacks.pick(s.nonce, Step.LEVEL, lv.value))]
        for lv, label in LEVEL_LABELS.items()
    ]
    return "How long have you been training with weights?", rows


def _pullups(s: Shown) -> tuple[str, Rows]:
    text = (
        "How many strict pull-ups can you do in one set? Strict means from a dead hang to "
        "chin over the bar, no swinging. Tap a number or type it."
    )
    rows = [
        [button(n, callbacks.pick(s.nonce, Step.PULLUPS, n)) for n in row] for row in PULLUP_BUTTONS
    ]
    return text, rows


def _conditions(s: Shown) -> tuple[str, Rows]:
    conditions = s.library.conditions.values()
    lines = [f"• <b>{esc(c.name)}</b>: {esc(c.short)}" for c in conditions]
    text = (
        "Do any of these apply to you? Tick every one that does, then tap Done. Your answer "
        "decides what is safe to put in your program.\n\n" + "\n".join(lines)
    )
    rows = [
        [
            button(
                _tick(c.id in s.answers.conditions, c.name),
                callbacks.pick(s.nonce, Step.CONDITIONS, c.id),
            )
        ]
        for c in conditions
    ]
    rows.append(_none_or_done(s, Step.CONDITIONS, "None of these"))
    return text, rows


def _discomfort(s: Shown) -> tuple[str, Rows]:
    text = (
        "Does any of these exercises give you discomfort or pain? Tick them and I will leave "
        "them out. This one is optional."
    )
    buttons = [
        button(
            _tick(i in s.answers.excluded, s.library.exercises[i].name),
            callbacks.pick(s.nonce, Step.DISCOMFORT, i),
        )
        for i in discomfort_choices(s.library)
    ]
    rows = rows_of(buttons, 2)
    rows.append(_none_or_done(s, Step.DISCOMFORT, "None, skip this"))
    return text, rows


def _equipment(s: Shown) -> tuple[str, Rows]:
    have = set(s.answers.equipment) if s.answers.equipment is not None else set(Equipment)
    text = (
        "What does your gym have? Everything is ticked: untick what is missing, then tap "
        "Done. I will swap exercises that need missing equipment."
    )
    buttons = [
        button(_tick(e in have, label), callbacks.pick(s.nonce, Step.EQUIPMENT, e.value))
        for e, label in EQUIPMENT_LABELS.items()
    ]
    rows = rows_of(buttons, 2)
    rows.append(_none_or_done(s, Step.EQUIPMENT, "Full gym"))
    return text, rows


def _days(s: Shown) -> tuple[str, Rows]:
    text = (
        "Which days of the week <b>can</b> you get to the gym? Tick all that work for you; "
        "I'll pick your sessions from them: upper and lower back in turn, two a week, "
        "with at least 3 days of rest in between. Tap to tick, then Done."
    )
    buttons = [
        button(
            _tick(d in s.answers.weekdays, weekday_name(d)[:3]),
            callbacks.pick(s.nonce, Step.DAYS, f"d{d}"),
        )
        for d in range(7)
    ]
    rows = rows_of(buttons, 4)
    often = _tick(s.answers.often, "As often as the rest rule allows")
    rows.append([button(often, callbacks.pick(s.nonce, Step.DAYS, "often"))])
    rows.append([button("Done", callbacks.finish(s.nonce, Step.DAYS))])
    return text, rows


def _time(s: Shown) -> tuple[str, Rows]:
    text = "At what time should I remind you on those days? Tap one, or type it (e.g. 18:30)."
    rows = [
        [button(f"{t[:2]}:{t[2:]}", callbacks.pick(s.nonce, Step.TIME, t)) for t in row]
        for row in TIME_BUTTONS
    ]
    return text, rows


def _timezone(s: Shown) -> tuple[str, Rows]:
    text = (
        "Which timezone are you in? Type your city (e.g. Berlin), a zone name (e.g. "
        "Europe/Berlin), or the time on your clock right now (e.g. 18:05)."
    )
    rows = [
        [button(zone.replace("_", " "), callbacks.pick(s.nonce, Step.TIMEZONE, f"z{i}"))]
        for i, zone in enumerate(s.answers.tz_candidates)
    ]
    here = f"Use {s.answers.default_timezone}"
    rows.append([button(here, callbacks.pick(s.nonce, Step.TIMEZONE, "here"))])
    return text, rows


def _confirm(s: Shown) -> tuple[str, Rows]:
    schedule = s.answers.schedule()
    lines = [
        "Here are your next two weeks. Does this look right?",
        "",
        f"<b>{_capital(describe_days(schedule.weekdays))} at {schedule.time:%H:%M}</b> "
        f"({esc(schedule.timezone)})",
        describe_rhythm(schedule.weekdays, schedule.often),
        "",
    ]
    lines += [
        f"• {p.on:%a} {p.on.day} {p.on:%b}, {p.local_time:%H:%M}: "
        f"{'upper back' if p.kind is DayKind.UPPER else 'lower and middle back'}"
        for p in s.preview
    ]
    rows = [
        [
            button("Looks good", callbacks.finish(s.nonce, Step.CONFIRM)),
            button("Change days", callbacks.pick(s.nonce, Step.CONFIRM, "change")),
        ]
    ]
    return "\n".join(lines), rows


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# One renderer per question: adding a question is one entry here, not another branch.
RENDERERS: dict[Step, Renderer] = {
    Step.RED_FLAGS: lambda s: _flags(s, Step.RED_FLAGS),
    Step.PAIN: _pain,
    Step.HEALTH: lambda s: _flags(s, Step.HEALTH),
    Step.GOAL: _goal,
    Step.LEVEL: _level,
    Step.PULLUPS: _pullups,
    Step.CONDITIONS: _conditions,
    Step.DISCOMFORT: _discomfort,
    Step.EQUIPMENT: _equipment,
    Step.DAYS: _days,
    Step.TIME: _time,
    Step.TIMEZONE: _timezone,
    Step.CONFIRM: _confirm,
}


def question(
    answers: Answers, library: Library, preview: list[PlannedSession] | None = None
) -> View:
    """The open question with its buttons (and Back from the second question on)."""
    render = RENDERERS.get(answers.step)
    if render is None:
        return View("All questions are answered.")
    order = answers.order()
    number = order.index(answers.step) + 1 if answers.step in order else len(order)
    text, rows = render(Shown(answers, library, preview or []))
    if number > 1:
        rows.append([button("« Back", callbacks.back(answers.nonce, answers.step))])
    head = f"<b>{number}/{len(order)}</b> · "
    return View(head + text + "\n\n<i>/cancel stops the set-up.</i>", InlineKeyboardMarkup(rows))


def answered(answers: Answers, step: Step, library: Library) -> str:
    """A one-line record of an answer, replacing the question once it is answered."""
    if step is Step.RED_FLAGS:
        return "Warning signs: <b>" + ("yes" if answers.red_flags else "none") + "</b>"
    if step is Step.PAIN and answers.pain_now is not None:
        return "Back pain today: <b>" + ("yes" if answers.pain_now else "no") + "</b>"
    if step is Step.HEALTH:
        return "Health check: <b>" + ("yes" if answers.health_flags else "all clear") + "</b>"
    if step is Step.GOAL and answers.goal:
        return f"Goal: <b>{GOAL_LABELS[answers.goal]}</b>"
    if step is Step.LEVEL and answers.level:
        return f"Level: <b>{LEVEL_LABELS[answers.level]}</b>"
    if step is Step.PULLUPS and answers.pullups is not None:
        return f"Strict pull-ups: <b>{answers.pullups}</b>"
    if step is Step.CONDITIONS:
        names = [library.conditions[c].name for c in answers.conditions] or ["none"]
        return "Conditions: <b>" + esc(", ".join(names)) + "</b>"
    if step is Step.DISCOMFORT:
        names = [library.exercises[e].name for e in answers.excluded] or ["none"]
        return "Leave out: <b>" + esc(", ".join(names)) + "</b>"
    if step is Step.EQUIPMENT:
        if answers.equipment is None:
            return "Equipment: <b>full gym</b>"
        missing = [EQUIPMENT_LABELS[e] for e in Equipment if e not in answers.equipment]
        return "Equipment missing: <b>" + esc(", ".join(missing) or "nothing") + "</b>"
    if step is Step.DAYS and answers.weekdays:
        often = " (as often as the rest rule allows)" if answers.often else ""
        return f"Days you can train: <b>{describe_days(frozenset(answers.weekdays))}</b>{often}"
    if step is Step.TIME and answers.reminder_time:
        return f"Reminder time: <b>{answers.reminder_time}</b>"
    if step is Step.TIMEZONE and answers.timezone:
        return f"Timezone: <b>{esc(answers.timezone)}</b>"
    if step is Step.CONFIRM:
        return "Schedule: <b>confirmed</b>"
    return "Answered."
