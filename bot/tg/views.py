"""Pure rendering of questions, screening outcomes, programs and technique into HTML + buttons."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.calendar import PlannedSession, describe_days, describe_rhythm
from bot.domain.models import (
    DayKind,
    Equipment,
    Exercise,
    Goal,
    Level,
    Library,
    Outcome,
    Pattern,
    Plan,
    PlannedDay,
)
from bot.domain.onboarding import Answers, Step, discomfort_choices, weekday_name
from bot.domain.safety import Block, Gate, gate
from bot.domain.text import format_rest, format_sets
from bot.tg import callbacks
from bot.tg.render import esc, plain_length

NOT_A_DOCTOR = (
    "<i>This is general training advice, not a medical opinion. With pain or a diagnosis, "
    "ask your doctor.</i>"
)


@dataclass(frozen=True)
class View:
    """One message to send: HTML text and optional buttons."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


GOAL_LABELS = {
    Goal.WIDTH: "Wider back",
    Goal.THICKNESS: "Thicker back",
    Goal.STRENGTH: "Stronger back",
    Goal.HEALTH: "Healthy back",
}
LEVEL_LABELS = {
    Level.BEGINNER: "Beginner (under a year)",
    Level.INTERMEDIATE: "Intermediate (1-3 years)",
    Level.ADVANCED: "Advanced (3+ years)",
}
EQUIPMENT_LABELS = {
    Equipment.BARBELL: "Barbell",
    Equipment.DUMBBELL: "Dumbbells",
    Equipment.CABLE: "Cable station",
    Equipment.PULLUP_BAR: "Pull-up bar",
    Equipment.ASSISTED_PULLUP: "Assisted pull-up machine",
    Equipment.ROW_MACHINE: "Row machine",
    Equipment.T_BAR: "T-bar",
    Equipment.BENCH: "Bench",
    Equipment.HYPEREXTENSION_BENCH: "Hyperextension bench",
    Equipment.CARDIO_MACHINE: "Cardio machine",
    Equipment.JUMP_ROPE: "Jump rope",
}
PULLUP_BUTTONS = [["0", "1", "2", "3", "4"], ["5", "6", "7", "8", "9"], ["10", "12", "15", "20"]]
DAY_TITLES = {DayKind.UPPER: "Day 1 · Upper back", DayKind.LOWER: "Day 2 · Lower and middle back"}


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def _none_or_done(nonce: str, step: Step, none_label: str) -> list[InlineKeyboardButton]:
    """The closing row of a multi-select question."""
    return [
        _button(none_label, callbacks.none_of_these(nonce, step)),
        _button("Done", callbacks.finish(nonce, step)),
    ]


def _tick(on: bool, label: str) -> str:
    return f"✅ {label}" if on else f"▫️ {label}"


def question(
    answers: Answers, library: Library, preview: list[PlannedSession] | None = None
) -> View:
    """The open question with its buttons (and Back from the second question on)."""
    step, nonce = answers.step, answers.nonce
    order = answers.order()
    number = order.index(step) + 1 if step in order else len(order)
    head = f"<b>{number}/{len(order)}</b> · "
    rows: list[list[InlineKeyboardButton]]
    safety = library.safety
    if step in (Step.RED_FLAGS, Step.HEALTH):
        flags = safety.red_flag if step is Step.RED_FLAGS else safety.health_check
        ticked = answers.red_flags if step is Step.RED_FLAGS else answers.health_flags
        intro = (
            "First, your safety. Do you have any of these right now? Tick each one that "
            "applies, then tap Done."
            if step is Step.RED_FLAGS
            else "A general health check. Does any of this apply to you?"
        )
        text = head + intro + "\n\n" + "\n".join(f"• {esc(f.text)}" for f in flags)
        rows = [
            [_button(_tick(f.id in ticked, f.label), callbacks.pick(nonce, step, f.id))]
            for f in flags
        ]
        rows.append(_none_or_done(nonce, step, "None of these"))
    elif step is Step.PAIN:
        text = head + (
            "Does your back hurt today? I mean pain, not the usual tiredness or mild "
            "stiffness after a workout."
        )
        rows = [
            [_button("No, it doesn't hurt", callbacks.pick(nonce, step, "no"))],
            [_button("Yes, it hurts today", callbacks.pick(nonce, step, "yes"))],
        ]
    elif step is Step.GOAL:
        text = head + "What do you want most from training your back?"
        rows = [
            [_button(label, callbacks.pick(nonce, step, g.value))]
            for g, label in GOAL_LABELS.items()
        ]
    elif step is Step.LEVEL:
        text = head + "How long have you been training with weights?"
        rows = [
            [_button(label, callbacks.pick(nonce, step, lv.value))]
            for lv, label in LEVEL_LABELS.items()
        ]
    elif step is Step.PULLUPS:
        text = head + (
            "How many strict pull-ups can you do in one set? Strict means from a dead hang to "
            "chin over the bar, no swinging. Tap a number or type it."
        )
        rows = [[_button(n, callbacks.pick(nonce, step, n)) for n in row] for row in PULLUP_BUTTONS]
    elif step is Step.CONDITIONS:
        lines = [f"• <b>{esc(c.name)}</b>: {esc(c.short)}" for c in library.conditions.values()]
        text = head + (
            "Do any of these apply to you? Tick every one that does, then tap Done. Your answer "
            "decides what is safe to put in your program.\n\n" + "\n".join(lines)
        )
        rows = [
            [_button(_tick(c.id in answers.conditions, c.name), callbacks.pick(nonce, step, c.id))]
            for c in library.conditions.values()
        ]
        rows.append(_none_or_done(nonce, step, "None of these"))
    elif step is Step.DISCOMFORT:
        text = head + (
            "Does any of these exercises give you discomfort or pain? Tick them and I will leave "
            "them out. This one is optional."
        )
        buttons = [
            _button(
                _tick(i in answers.excluded, library.exercises[i].name),
                callbacks.pick(nonce, step, i),
            )
            for i in discomfort_choices(library)
        ]
        rows = _rows(buttons, 2)
        rows.append(_none_or_done(nonce, step, "None, skip this"))
    elif step is Step.EQUIPMENT:
        have = set(answers.equipment) if answers.equipment is not None else set(Equipment)
        text = head + (
            "What does your gym have? Everything is ticked: untick what is missing, then tap "
            "Done. I will swap exercises that need missing equipment."
        )
        buttons = [
            _button(_tick(e in have, label), callbacks.pick(nonce, step, e.value))
            for e, label in EQUIPMENT_LABELS.items()
        ]
        rows = _rows(buttons, 2)
        rows.append(_none_or_done(nonce, step, "Full gym"))
    elif step in (Step.DAYS, Step.TIME, Step.TIMEZONE, Step.CONFIRM):
        text, rows = _schedule_question(answers, preview or [])
        text = head + text
    else:
        return View("All questions are answered.")
    if number > 1:
        rows.append([_button("« Back", callbacks.back(nonce, step))])
    return View(text + "\n\n<i>/cancel stops the set-up.</i>", InlineKeyboardMarkup(rows))


CHECKIN_DAYS = 3

TIME_BUTTONS = [["0700", "0800", "1200"], ["1700", "1800", "1900"], ["2000", "2100"]]


def _schedule_question(
    answers: Answers, preview: list[PlannedSession]
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    step, nonce = answers.step, answers.nonce
    if step is Step.DAYS:
        text = (
            "Which days of the week <b>can</b> you get to the gym? Tick all that work for you; "
            "I'll pick your sessions from them: upper and lower back in turn, two a week, "
            "with at least 3 days of rest in between. Tap to tick, then Done."
        )
        buttons = [
            _button(
                _tick(d in answers.weekdays, weekday_name(d)[:3]),
                callbacks.pick(nonce, step, f"d{d}"),
            )
            for d in range(7)
        ]
        rows = _rows(buttons, 4)
        often = _tick(answers.often, "As often as the rest rule allows")
        rows.append([_button(often, callbacks.pick(nonce, step, "often"))])
        rows.append([_button("Done", callbacks.finish(nonce, step))])
        return text, rows
    if step is Step.TIME:
        text = "At what time should I remind you on those days? Tap one, or type it (e.g. 18:30)."
        rows = [
            [_button(f"{t[:2]}:{t[2:]}", callbacks.pick(nonce, step, t)) for t in row]
            for row in TIME_BUTTONS
        ]
        return text, rows
    if step is Step.TIMEZONE:
        text = (
            "Which timezone are you in? Type your city (e.g. Berlin), a zone name (e.g. "
            "Europe/Berlin), or the time on your clock right now (e.g. 18:05)."
        )
        rows = [
            [_button(zone.replace("_", " "), callbacks.pick(nonce, step, f"z{i}"))]
            for i, zone in enumerate(answers.tz_candidates)
        ]
        here = _button(f"Use {answers.default_timezone}", callbacks.pick(nonce, step, "here"))
        rows.append([here])
        return text, rows
    schedule = answers.schedule()
    lines = [
        "Here are your next two weeks. Does this look right?",
        "",
        f"<b>{_capital(describe_days(schedule.weekdays))} at {schedule.time:%H:%M}</b> "
        f"({esc(schedule.timezone)})",
        describe_rhythm(schedule.weekdays, schedule.often),
        "",
    ]
    lines += [
        f"• {s.on:%a} {s.on.day} {s.on:%b}, {s.local_time:%H:%M}: "
        f"{'upper back' if s.kind is DayKind.UPPER else 'lower and middle back'}"
        for s in preview
    ]
    rows = [
        [
            _button("Looks good", callbacks.finish(nonce, step)),
            _button("Change days", callbacks.pick(nonce, step, "change")),
        ]
    ]
    return "\n".join(lines), rows


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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


URGENT_TITLE = "⚠️ <b>Please get medical help today</b>"
SCREENING_LIMIT = 600  # characters a user reads before the program itself, on a phone


def referral(gate: Gate, library: Library) -> View:
    """No loaded program: why, what to do, and how to come back."""
    title = URGENT_TITLE if gate.block is Block.URGENT else "⚠️ <b>No back program for now</b>"
    text = f"{title}\n\n{esc(gate.text)}\n\n<i>{esc(library.safety.messages.not_a_doctor)}</i>"
    keyboard = None
    if gate.offer_checkin:
        keyboard = InlineKeyboardMarkup(
            [[_button(f"Check in with me in {CHECKIN_DAYS} days", callbacks.checkin())]]
        )
    return View(text, keyboard)


def screening(plan: Plan, library: Library) -> View:
    """What the screening changed, built from the final program and short enough for a phone."""
    if plan.outcome is Outcome.REFER:
        return referral(gate(plan, None, library), library)
    head: list[str] = []
    if plan.outcome is Outcome.RESTRICTED:
        head.append("<b>What your answers change</b>")
        for r in plan.reasons:
            if r.code == "restrict" and r.condition in library.conditions:
                cond = library.conditions[r.condition]
                head.append(f"• <b>{esc(cond.name.split(' (')[0])}</b>: {esc(cond.summary)}")
    else:
        head.append("<b>No health condition changes your program.</b>")
    names = {
        code: [
            library.exercises[r.exercise].name
            for r in plan.reasons
            if r.code == code and r.exercise in library.exercises
        ]
        for code in ("replaced", "dropped")
    }
    notes = [f"• {esc(r.text)}" for r in plan.reasons if r.code in ("goal", "beginner-path")]
    notes += [f"• {esc(r.text)}" for r in plan.reasons if r.code == "empty-day"]
    tail = [f"<i>{esc(library.safety.messages.not_a_doctor)}</i>"]
    keyboard = InlineKeyboardMarkup([[_button("Why these changes?", callbacks.why())]])

    def build(limit: int | None, with_notes: bool = True) -> str:
        lines = list(head)
        for code, label in (("replaced", "Swapped for a better fit"), ("dropped", "Left out")):
            if names[code]:
                lines.append(f"• {label}: {esc(_fit(names[code], limit))}")
        return "\n".join([*lines, *(notes if with_notes else []), "", *tail])

    text = build(None)
    for limit in (4, 3, 2, 1, 0):  # shorten the name lists until the text fits on a phone
        if plain_length(text) <= SCREENING_LIMIT:
            break
        text = build(limit)
    if plain_length(text) > SCREENING_LIMIT:  # the notes stay one tap away, under Why?
        text = build(0, with_notes=False)
    return View(text, keyboard)


def _fit(names: list[str], limit: int | None) -> str:
    """'a, b and c', or the first `limit` names and how many more."""
    if limit is None or len(names) <= limit:
        return ", ".join(names)
    more = len(names) - limit
    shown = ", ".join(names[:limit])
    return f"{shown} and {more} more" if shown else f"{more} exercises (see Why?)"


def screening_details(plan: Plan, library: Library) -> View:
    """Every reason behind the program in full: each condition's explanation and advice."""
    lines = ["<b>Why your program looks like this</b>"]
    for r in plan.reasons:
        if r.code in ("restrict", "refer") and r.condition in library.conditions:
            lines += ["", f"<b>{esc(library.conditions[r.condition].name)}</b>", esc(r.text)]
    changes = [r for r in plan.reasons if r.code in ("template", "replaced", "dropped")]
    if changes:
        lines += ["", "<b>What changed</b>"] + [f"• {esc(r.text)}" for r in changes]
    notes = [r for r in plan.reasons if r.code in ("goal", "beginner-path", "empty-day")]
    if notes:
        lines += ["", "<b>Your goal and level</b>"] + [f"• {esc(r.text)}" for r in notes]
    if len(lines) == 1:
        lines.append("Nothing in your answers changed the program.")
    lines += ["", NOT_A_DOCTOR]
    return View("\n".join(lines))


def day_view(day: PlannedDay) -> View:
    """One training day with a technique button per exercise."""
    lines = [f"<b>{DAY_TITLES[day.kind]}</b>"]
    buttons: list[InlineKeyboardButton] = []
    seen: set[str] = set()
    for i, p in enumerate(day.exercises, 1):
        rest = format_rest(p.rest_s)
        group = " <i>(superset)</i>" if p.group else ""
        line = f"{i}. <b>{esc(p.exercise.name)}</b>: {esc(format_sets(p.sets))}"
        lines.append(line + (f", rest {rest}" if rest else "") + group)
        if p.note:
            lines.append(f"    <i>{esc(p.note)}</i>")
        if p.exercise.id not in seen:
            seen.add(p.exercise.id)
            buttons.append(_button(p.exercise.name, callbacks.technique(p.exercise.id)))
    lines.append("\nTap an exercise for its technique.")
    return View("\n".join(lines), InlineKeyboardMarkup(_rows(buttons, 2)))


def program(plan: Plan) -> list[View]:
    """The whole program: one message per day, then the rest rule."""
    if not plan.days:
        return [
            View(
                "You have no loaded program right now. Send /settings to answer the "
                "questions again."
            )
        ]
    views = [day_view(d) for d in plan.days]
    views.append(
        View(
            "Keep <b>at least 3 days</b> between day 1 and day 2, and stop any exercise "
            "that hurts. /program shows this again."
        )
    )
    return views


def technique(ex: Exercise) -> View:
    """Everything about doing one exercise well."""
    muscles = ", ".join(ex.primary_muscles)
    if ex.secondary_muscles:
        muscles += f"; also {', '.join(ex.secondary_muscles)}"
    parts = [f"<b>{esc(ex.name)}</b>", esc(ex.summary), "", f"<b>Muscles:</b> {esc(muscles)}"]
    if ex.equipment:
        gear = ", ".join(EQUIPMENT_LABELS[e] for e in ex.equipment)
        parts.append(f"<b>Equipment:</b> {esc(gear)}")
    for title, items in (
        ("Set-up", ex.cues.setup),
        ("The movement", ex.cues.movement),
        ("Common mistakes", ex.cues.mistakes),
    ):
        parts += ["", f"<b>{title}</b>"] + [f"• {esc(i)}" for i in items]
    parts += ["", f"<b>Breathing:</b> {esc(ex.cues.breathing)}"]
    return View("\n".join(parts))


PATTERN_TITLES = {
    Pattern.VERTICAL_PULL: "Vertical pulls",
    Pattern.HORIZONTAL_PULL: "Rows",
    Pattern.HINGE: "Hinges",
    Pattern.SHRUG: "Shrugs",
    Pattern.PULLOVER: "Pullovers",
    Pattern.REAR_DELT: "Rear delts",
    Pattern.SPINAL_EXTENSION: "Lower-back extensions",
    Pattern.WARMUP: "Warm-up",
    Pattern.STRETCH: "Stretching",
}


def library_views(library: Library, not_for_you: dict[str, str] | None = None) -> list[View]:
    """The exercise library by day and pattern, a technique button for each exercise.

    `not_for_you` maps exercises the user's answers rule out to the reason; they are marked and
    explained, never offered as something to do.
    """
    blocked = not_for_you or {}
    sections = [
        ("Upper-back day", DayKind.UPPER),
        ("Lower and middle back day", DayKind.LOWER),
        ("Warm-up and stretching", None),
    ]
    views = []
    for title, day in sections:
        exercises = [e for e in library.exercises.values() if e.day == day]
        lines = [f"<b>{title}</b>"]
        for pattern, pattern_title in PATTERN_TITLES.items():
            names = [
                esc(e.name) + (" ⛔" if e.id in blocked else "")
                for e in exercises
                if e.pattern is pattern
            ]
            if names:
                lines.append(f"<i>{pattern_title}:</i> " + ", ".join(names))
        ruled = [e for e in exercises if e.id in blocked]
        if ruled:
            lines += ["", "⛔ <b>Not for you</b>"]
            lines += [f"• {esc(e.name)}: {esc(blocked[e.id])}" for e in ruled]
        buttons = [
            _button(("⛔ " if e.id in blocked else "") + e.name, callbacks.technique(e.id))
            for e in exercises
        ]
        views.append(View("\n".join(lines), InlineKeyboardMarkup(_rows(buttons, 2))))
    return views
