"""Pure rendering of the set-up questions: one renderer per question, and the answered record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.calendar import PlannedSession, describe_days, describe_rhythm
from bot.domain.models import DayKind, Equipment, Library
from bot.domain.onboarding import Answers, Step, discomfort_choices
from bot.i18n import _, format_day, weekday_short
from bot.tg import callbacks
from bot.tg.render import esc
from bot.tg.views import (
    DISCLAIMER,
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
        button(_("Done"), callbacks.finish(s.nonce, step)),
    ]


def _flags(s: Shown, step: Step) -> tuple[str, Rows]:
    """The warning signs or the health check: tick what applies."""
    safety = s.library.safety
    flags = safety.red_flag if step is Step.RED_FLAGS else safety.health_check
    ticked = s.answers.red_flags if step is Step.RED_FLAGS else s.answers.health_flags
    intro = (
        _(
            "First, your safety. Do you have any of these right now? Tick each one that "
            "applies, then tap Done."
        )
        if step is Step.RED_FLAGS
        else _("A general health check. Does any of this apply to you?")
    )
    text = intro + "\n\n" + "\n".join(f"• {esc(f.text)}" for f in flags)
    rows = [
        [button(_tick(f.id in ticked, f.label), callbacks.pick(s.nonce, step, f.id))] for f in flags
    ]
    rows.append(_none_or_done(s, step, _("None of these")))
    return text, rows


def _pain(s: Shown) -> tuple[str, Rows]:
    text = _(
        "Does your back hurt today? I mean pain, not the usual tiredness or mild "
        "stiffness after a workout."
    )
    rows = [
        [button(_("No, it doesn't hurt"), callbacks.pick(s.nonce, Step.PAIN, "no"))],
        [button(_("Yes, it hurts today"), callbacks.pick(s.nonce, Step.PAIN, "yes"))],
    ]
    return text, rows


def _goal(s: Shown) -> tuple[str, Rows]:
    rows = [
        [button(_(label), callbacks.pick(s.nonce, Step.GOAL, g.value))]
        for g, label in GOAL_LABELS.items()
    ]
    return _("What do you want most from training your back?"), rows


def _level(s: Shown) -> tuple[str, Rows]:
    rows = [
        [button(_(label), callbacks.pick(s.nonce, Step.LEVEL, lv.value))]
        for lv, label in LEVEL_LABELS.items()
    ]
    return _("How long have you been training with weights?"), rows


def _pullups(s: Shown) -> tuple[str, Rows]:
    text = _(
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
        _(
            "Do any of these apply to you? Tick every one that does, then tap Done. Your "
            "answer decides what is safe to put in your program."
        )
        + "\n\n"
        + "\n".join(lines)
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
    rows.append(_none_or_done(s, Step.CONDITIONS, _("None of these")))
    return text, rows


def _discomfort(s: Shown) -> tuple[str, Rows]:
    text = _(
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
    rows.append(_none_or_done(s, Step.DISCOMFORT, _("None, skip this")))
    return text, rows


def _equipment(s: Shown) -> tuple[str, Rows]:
    have = set(s.answers.equipment) if s.answers.equipment is not None else set(Equipment)
    text = _(
        "What does your gym have? Everything is ticked: untick what is missing, then tap "
        "Done. I will swap exercises that need missing equipment."
    )
    buttons = [
        button(_tick(e in have, _(label)), callbacks.pick(s.nonce, Step.EQUIPMENT, e.value))
        for e, label in EQUIPMENT_LABELS.items()
    ]
    rows = rows_of(buttons, 2)
    rows.append(_none_or_done(s, Step.EQUIPMENT, _("Full gym")))
    return text, rows


def _days(s: Shown) -> tuple[str, Rows]:
    text = _(
        "Which days of the week <b>can</b> you get to the gym? Tick all that work for you; "
        "I'll pick your sessions from them: upper and lower back in turn, two a week, "
        "with at least 3 days of rest in between. Tap to tick, then Done."
    )
    buttons = [
        button(
            _tick(d in s.answers.weekdays, weekday_short(d)),
            callbacks.pick(s.nonce, Step.DAYS, f"d{d}"),
        )
        for d in range(7)
    ]
    rows = rows_of(buttons, 4)
    often = _tick(s.answers.often, _("As often as the rest rule allows"))
    rows.append([button(often, callbacks.pick(s.nonce, Step.DAYS, "often"))])
    rows.append([button(_("Done"), callbacks.finish(s.nonce, Step.DAYS))])
    return text, rows


def _time(s: Shown) -> tuple[str, Rows]:
    text = _("At what time should I remind you on those days? Tap one, or type it (e.g. 18:30).")
    rows = [
        [button(f"{t[:2]}:{t[2:]}", callbacks.pick(s.nonce, Step.TIME, t)) for t in row]
        for row in TIME_BUTTONS
    ]
    return text, rows


def _timezone(s: Shown) -> tuple[str, Rows]:
    text = _(
        "Which timezone are you in? Type your city (e.g. Berlin), a zone name (e.g. "
        "Europe/Berlin), or the time on your clock right now (e.g. 18:05)."
    )
    rows = [
        [button(zone.replace("_", " "), callbacks.pick(s.nonce, Step.TIMEZONE, f"z{i}"))]
        for i, zone in enumerate(s.answers.tz_candidates)
    ]
    here = _("Use {zone}").format(zone=s.answers.default_timezone)
    rows.append([button(here, callbacks.pick(s.nonce, Step.TIMEZONE, "here"))])
    return text, rows


def _confirm(s: Shown) -> tuple[str, Rows]:
    schedule = s.answers.schedule()
    when = _("<b>{days} at {time}</b> ({zone})").format(
        days=_capital(describe_days(schedule.weekdays)),
        time=f"{schedule.time:%H:%M}",
        zone=esc(schedule.timezone),
    )
    lines = [
        _("Here are your next two weeks. Does this look right?"),
        "",
        when,
        describe_rhythm(schedule.weekdays, schedule.often),
        "",
    ]
    lines += [
        f"• {format_day(p.on)}, {p.local_time:%H:%M}: "
        + (_("upper back") if p.kind is DayKind.UPPER else _("lower and middle back"))
        for p in s.preview
    ]
    rows = [
        [
            button(_("Looks good"), callbacks.finish(s.nonce, Step.CONFIRM)),
            button(_("Change days"), callbacks.pick(s.nonce, Step.CONFIRM, "change")),
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
        return View(_("All questions are answered."))
    order = answers.order()
    number = order.index(answers.step) + 1 if answers.step in order else len(order)
    text, rows = render(Shown(answers, library, preview or []))
    if number > 1:
        rows.append([button(_("« Back"), callbacks.back(answers.nonce, answers.step))])
    head = f"<b>{number}/{len(order)}</b> · "
    cancel = _("<i>/cancel stops the set-up.</i>")
    done = recap(answers, order[: number - 1], library)
    # The disclaimer heads every set-up question: answers edit the message on in place, so it
    # must not vanish with the greeting it first came with.
    return View(
        _(DISCLAIMER) + "\n\n" + (done + "\n\n" if done else "") + head + text + "\n\n" + cancel,
        InlineKeyboardMarkup(rows),
    )


def recap(answers: Answers, steps: list[Step], library: Library) -> str:
    """The answers given so far, one line each: an answer moves the question on in the same
    message, so the chat keeps showing what was answered."""
    return "\n".join(f"✓ {answered(answers, step, library)}" for step in steps)


def answered(answers: Answers, step: Step, library: Library) -> str:
    """A one-line record of an answer, replacing the question once it is answered."""
    if step is Step.RED_FLAGS:
        return _("Warning signs: <b>{answer}</b>").format(
            answer=_("yes") if answers.red_flags else _("none")
        )
    if step is Step.PAIN and answers.pain_now is not None:
        return _("Back pain today: <b>{answer}</b>").format(
            answer=_("yes") if answers.pain_now else _("no")
        )
    if step is Step.HEALTH:
        return _("Health check: <b>{answer}</b>").format(
            answer=_("yes") if answers.health_flags else _("all clear")
        )
    if step is Step.GOAL and answers.goal:
        return _("Goal: <b>{goal}</b>").format(goal=_(GOAL_LABELS[answers.goal]))
    if step is Step.LEVEL and answers.level:
        return _("Level: <b>{level}</b>").format(level=_(LEVEL_LABELS[answers.level]))
    if step is Step.PULLUPS and answers.pullups is not None:
        return _("Strict pull-ups: <b>{n}</b>").format(n=answers.pullups)
    if step is Step.CONDITIONS:
        names = [library.conditions[c].name for c in answers.conditions] or [_("none")]
        return _("Conditions: <b>{names}</b>").format(names=esc(", ".join(names)))
    if step is Step.DISCOMFORT:
        names = [library.exercises[e].name for e in answers.excluded] or [_("none")]
        return _("Leave out: <b>{names}</b>").format(names=esc(", ".join(names)))
    if step is Step.EQUIPMENT:
        if answers.equipment is None:
            return _("Equipment: <b>full gym</b>")
        missing = [_(EQUIPMENT_LABELS[e]) for e in Equipment if e not in answers.equipment]
        return _("Equipment missing: <b>{names}</b>").format(
            names=esc(", ".join(missing) or _("nothing"))
        )
    if step is Step.DAYS and answers.weekdays:
        days = describe_days(frozenset(answers.weekdays))
        if answers.often:
            return _("Days you can train: <b>{days}</b> (as often as the rest rule allows)").format(
                days=days
            )
        return _("Days you can train: <b>{days}</b>").format(days=days)
    if step is Step.TIME and answers.reminder_time:
        return _("Reminder time: <b>{time}</b>").format(time=answers.reminder_time)
    if step is Step.TIMEZONE and answers.timezone:
        return _("Timezone: <b>{zone}</b>").format(zone=esc(answers.timezone))
    if step is Step.CONFIRM:
        return _("Schedule: <b>confirmed</b>")
    return _("Answered.")
