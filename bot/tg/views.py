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
from bot.domain.onboarding import Answers, Step, discomfort_choices
from bot.domain.safety import Block, Gate, gate
from bot.domain.text import format_rest, format_sets
from bot.i18n import N_, _, format_day, ngettext, weekday_short
from bot.tg import callbacks
from bot.tg.render import esc, plain_length

NOT_A_DOCTOR = N_(
    "<i>This is general training advice, not a medical opinion. With pain or a diagnosis, "
    "ask your doctor.</i>"
)


@dataclass(frozen=True)
class View:
    """One message to send: HTML text and optional buttons."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None


GOAL_LABELS = {
    Goal.WIDTH: N_("Wider back"),
    Goal.THICKNESS: N_("Thicker back"),
    Goal.STRENGTH: N_("Stronger back"),
    Goal.HEALTH: N_("Healthy back"),
}
LEVEL_LABELS = {
    Level.BEGINNER: N_("Beginner (under a year)"),
    Level.INTERMEDIATE: N_("Intermediate (1-3 years)"),
    Level.ADVANCED: N_("Advanced (3+ years)"),
}
EQUIPMENT_LABELS = {
    Equipment.BARBELL: N_("Barbell"),
    Equipment.DUMBBELL: N_("Dumbbells"),
    Equipment.CABLE: N_("Cable station"),
    Equipment.PULLUP_BAR: N_("Pull-up bar"),
    Equipment.ASSISTED_PULLUP: N_("Assisted pull-up machine"),
    Equipment.ROW_MACHINE: N_("Row machine"),
    Equipment.T_BAR: N_("T-bar"),
    Equipment.BENCH: N_("Bench"),
    Equipment.HYPEREXTENSION_BENCH: N_("Hyperextension bench"),
    Equipment.CARDIO_MACHINE: N_("Cardio machine"),
    Equipment.JUMP_ROPE: N_("Jump rope"),
}
PULLUP_BUTTONS = [["0", "1", "2", "3", "4"], ["5", "6", "7", "8", "9"], ["10", "12", "15", "20"]]
DAY_TITLES = {
    DayKind.UPPER: N_("Day 1 · Upper back"),
    DayKind.LOWER: N_("Day 2 · Lower and middle back"),
}


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _rows(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def _none_or_done(nonce: str, step: Step, none_label: str) -> list[InlineKeyboardButton]:
    """The closing row of a multi-select question."""
    return [
        _button(none_label, callbacks.none_of_these(nonce, step)),
        _button(_("Done"), callbacks.finish(nonce, step)),
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
            _(
                "First, your safety. Do you have any of these right now? Tick each one that "
                "applies, then tap Done."
            )
            if step is Step.RED_FLAGS
            else _("A general health check. Does any of this apply to you?")
        )
        text = head + intro + "\n\n" + "\n".join(f"• {esc(f.text)}" for f in flags)
        rows = [
            [_button(_tick(f.id in ticked, f.label), callbacks.pick(nonce, step, f.id))]
            for f in flags
        ]
        rows.append(_none_or_done(nonce, step, _("None of these")))
    elif step is Step.PAIN:
        text = head + _(
            "Does your back hurt today? I mean pain, not the usual tiredness or mild "
            "stiffness after a workout."
        )
        rows = [
            [_button(_("No, it doesn't hurt"), callbacks.pick(nonce, step, "no"))],
            [_button(_("Yes, it hurts today"), callbacks.pick(nonce, step, "yes"))],
        ]
    elif step is Step.GOAL:
        text = head + _("What do you want most from training your back?")
        rows = [
            [_button(_(label), callbacks.pick(nonce, step, g.value))]
            for g, label in GOAL_LABELS.items()
        ]
    elif step is Step.LEVEL:
        text = head + _("How long have you been training with weights?")
        rows = [
            [_button(_(label), callbacks.pick(nonce, step, lv.value))]
            for lv, label in LEVEL_LABELS.items()
        ]
    elif step is Step.PULLUPS:
        text = head + _(
            "How many strict pull-ups can you do in one set? Strict means from a dead hang to "
            "chin over the bar, no swinging. Tap a number or type it."
        )
        rows = [[_button(n, callbacks.pick(nonce, step, n)) for n in row] for row in PULLUP_BUTTONS]
    elif step is Step.CONDITIONS:
        lines = [f"• <b>{esc(c.name)}</b>: {esc(c.short)}" for c in library.conditions.values()]
        text = head + (
            _(
                "Do any of these apply to you? Tick every one that does, then tap Done. Your "
                "answer decides what is safe to put in your program."
            )
            + "\n\n"
            + "\n".join(lines)
        )
        rows = [
            [_button(_tick(c.id in answers.conditions, c.name), callbacks.pick(nonce, step, c.id))]
            for c in library.conditions.values()
        ]
        rows.append(_none_or_done(nonce, step, _("None of these")))
    elif step is Step.DISCOMFORT:
        text = head + _(
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
        rows.append(_none_or_done(nonce, step, _("None, skip this")))
    elif step is Step.EQUIPMENT:
        have = set(answers.equipment) if answers.equipment is not None else set(Equipment)
        text = head + _(
            "What does your gym have? Everything is ticked: untick what is missing, then tap "
            "Done. I will swap exercises that need missing equipment."
        )
        buttons = [
            _button(_tick(e in have, _(label)), callbacks.pick(nonce, step, e.value))
            for e, label in EQUIPMENT_LABELS.items()
        ]
        rows = _rows(buttons, 2)
        rows.append(_none_or_done(nonce, step, _("Full gym")))
    elif step in (Step.DAYS, Step.TIME, Step.TIMEZONE, Step.CONFIRM):
        text, rows = _schedule_question(answers, preview or [])
        text = head + text
    else:
        return View(_("All questions are answered."))
    if number > 1:
        rows.append([_button(_("« Back"), callbacks.back(nonce, step))])
    return View(text + "\n\n" + _("<i>/cancel stops the set-up.</i>"), InlineKeyboardMarkup(rows))


CHECKIN_DAYS = 3

TIME_BUTTONS = [["0700", "0800", "1200"], ["1700", "1800", "1900"], ["2000", "2100"]]


def _schedule_question(
    answers: Answers, preview: list[PlannedSession]
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    step, nonce = answers.step, answers.nonce
    if step is Step.DAYS:
        text = _(
            "Which days of the week <b>can</b> you get to the gym? Tick all that work for you; "
            "I'll pick your sessions from them: upper and lower back in turn, two a week, "
            "with at least 3 days of rest in between. Tap to tick, then Done."
        )
        buttons = [
            _button(
                _tick(d in answers.weekdays, weekday_short(d)),
                callbacks.pick(nonce, step, f"d{d}"),
            )
            for d in range(7)
        ]
        rows = _rows(buttons, 4)
        often = _tick(answers.often, _("As often as the rest rule allows"))
        rows.append([_button(often, callbacks.pick(nonce, step, "often"))])
        rows.append([_button(_("Done"), callbacks.finish(nonce, step))])
        return text, rows
    if step is Step.TIME:
        text = _(
            "At what time should I remind you on those days? Tap one, or type it (e.g. 18:30)."
        )
        rows = [
            [_button(f"{t[:2]}:{t[2:]}", callbacks.pick(nonce, step, t)) for t in row]
            for row in TIME_BUTTONS
        ]
        return text, rows
    if step is Step.TIMEZONE:
        text = _(
            "Which timezone are you in? Type your city (e.g. Berlin), a zone name (e.g. "
            "Europe/Berlin), or the time on your clock right now (e.g. 18:05)."
        )
        rows = [
            [_button(zone.replace("_", " "), callbacks.pick(nonce, step, f"z{i}"))]
            for i, zone in enumerate(answers.tz_candidates)
        ]
        use = _("Use {zone}").format(zone=answers.default_timezone)
        here = _button(use, callbacks.pick(nonce, step, "here"))
        rows.append([here])
        return text, rows
    schedule = answers.schedule()
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
        f"• {format_day(s.on)}, {s.local_time:%H:%M}: "
        + (_("upper back") if s.kind is DayKind.UPPER else _("lower and middle back"))
        for s in preview
    ]
    rows = [
        [
            _button(_("Looks good"), callbacks.finish(nonce, step)),
            _button(_("Change days"), callbacks.pick(nonce, step, "change")),
        ]
    ]
    return "\n".join(lines), rows


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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


URGENT_TITLE = N_("⚠️ <b>Please get medical help today</b>")
SCREENING_LIMIT = 600  # characters a user reads before the program itself, on a phone


def referral(gate: Gate, library: Library) -> View:
    """No loaded program: why, what to do, and how to come back."""
    title = _(URGENT_TITLE) if gate.block is Block.URGENT else _("⚠️ <b>No back program for now</b>")
    text = f"{title}\n\n{esc(gate.text)}\n\n<i>{esc(library.safety.messages.not_a_doctor)}</i>"
    keyboard = None
    if gate.offer_checkin:
        keyboard = InlineKeyboardMarkup([[_button(_checkin_label(), callbacks.checkin())]])
    return View(text, keyboard)


def _checkin_label() -> str:
    return ngettext(
        "Check in with me in {n} day", "Check in with me in {n} days", CHECKIN_DAYS
    ).format(n=CHECKIN_DAYS)


def screening(plan: Plan, library: Library) -> View:
    """What the screening changed, built from the final program and short enough for a phone."""
    if plan.outcome is Outcome.REFER:
        return referral(gate(plan, None, library), library)
    head: list[str] = []
    if plan.outcome is Outcome.RESTRICTED:
        head.append(_("<b>What your answers change</b>"))
        for r in plan.reasons:
            if r.code == "restrict" and r.condition in library.conditions:
                cond = library.conditions[r.condition]
                head.append(f"• <b>{esc(cond.name.split(' (')[0])}</b>: {esc(cond.summary)}")
    else:
        head.append(_("<b>No health condition changes your program.</b>"))
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
    keyboard = InlineKeyboardMarkup([[_button(_("Why these changes?"), callbacks.why())]])

    def build(limit: int | None, with_notes: bool = True) -> str:
        lines = list(head)
        for code, label in (
            ("replaced", _("Swapped for a better fit")),
            ("dropped", _("Left out")),
        ):
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
    if shown:
        return _("{names} and {n} more").format(names=shown, n=more)
    return ngettext("{n} exercise (see Why?)", "{n} exercises (see Why?)", more).format(n=more)


def screening_details(plan: Plan, library: Library) -> View:
    """Every reason behind the program in full: each condition's explanation and advice."""
    lines = [_("<b>Why your program looks like this</b>")]
    for r in plan.reasons:
        if r.code in ("restrict", "refer") and r.condition in library.conditions:
            lines += ["", f"<b>{esc(library.conditions[r.condition].name)}</b>", esc(r.text)]
    changes = [r for r in plan.reasons if r.code in ("template", "replaced", "dropped")]
    if changes:
        lines += ["", _("<b>What changed</b>")] + [f"• {esc(r.text)}" for r in changes]
    notes = [r for r in plan.reasons if r.code in ("goal", "beginner-path", "empty-day")]
    if notes:
        lines += ["", _("<b>Your goal and level</b>")] + [f"• {esc(r.text)}" for r in notes]
    if len(lines) == 1:
        lines.append(_("Nothing in your answers changed the program."))
    lines += ["", _(NOT_A_DOCTOR)]
    return View("\n".join(lines))


def day_view(day: PlannedDay) -> View:
    """One training day with a technique button per exercise."""
    lines = [f"<b>{_(DAY_TITLES[day.kind])}</b>"]
    buttons: list[InlineKeyboardButton] = []
    seen: set[str] = set()
    for i, p in enumerate(day.exercises, 1):
        rest = format_rest(p.rest_s)
        group = " " + _("<i>(superset)</i>") if p.group else ""
        line = f"{i}. <b>{esc(p.exercise.name)}</b>: {esc(format_sets(p.sets))}"
        lines.append(line + (_(", rest {rest}").format(rest=rest) if rest else "") + group)
        if p.note:
            lines.append(f"    <i>{esc(p.note)}</i>")
        if p.exercise.id not in seen:
            seen.add(p.exercise.id)
            buttons.append(_button(p.exercise.name, callbacks.technique(p.exercise.id)))
    lines.append("\n" + _("Tap an exercise for its technique."))
    return View("\n".join(lines), InlineKeyboardMarkup(_rows(buttons, 2)))


def program(plan: Plan) -> list[View]:
    """The whole program: one message per day, then the rest rule."""
    if not plan.days:
        return [
            View(
                _(
                    "You have no loaded program right now. Send /settings to answer the "
                    "questions again."
                )
            )
        ]
    views = [day_view(d) for d in plan.days]
    views.append(
        View(
            _(
                "Keep <b>at least 3 days</b> between day 1 and day 2, and stop any exercise "
                "that hurts. /program shows this again."
            )
        )
    )
    return views


def technique(ex: Exercise) -> View:
    """Everything about doing one exercise well."""
    muscles = ", ".join(ex.primary_muscles)
    if ex.secondary_muscles:
        muscles += _("; also {muscles}").format(muscles=", ".join(ex.secondary_muscles))
    parts = [
        f"<b>{esc(ex.name)}</b>",
        esc(ex.summary),
        "",
        _("<b>Muscles:</b> {muscles}").format(muscles=esc(muscles)),
    ]
    if ex.equipment:
        gear = ", ".join(_(EQUIPMENT_LABELS[e]) for e in ex.equipment)
        parts.append(_("<b>Equipment:</b> {gear}").format(gear=esc(gear)))
    for title, items in (
        (_("Set-up"), ex.cues.setup),
        (_("The movement"), ex.cues.movement),
        (_("Common mistakes"), ex.cues.mistakes),
    ):
        parts += ["", f"<b>{title}</b>"] + [f"• {esc(i)}" for i in items]
    parts += ["", _("<b>Breathing:</b> {how}").format(how=esc(ex.cues.breathing))]
    return View("\n".join(parts))


PATTERN_TITLES = {
    Pattern.VERTICAL_PULL: N_("Vertical pulls"),
    Pattern.HORIZONTAL_PULL: N_("Rows"),
    Pattern.HINGE: N_("Hinges"),
    Pattern.SHRUG: N_("Shrugs"),
    Pattern.PULLOVER: N_("Pullovers"),
    Pattern.REAR_DELT: N_("Rear delts"),
    Pattern.SPINAL_EXTENSION: N_("Lower-back extensions"),
    Pattern.WARMUP: N_("Warm-up"),
    Pattern.STRETCH: N_("Stretching"),
}


def library_views(library: Library, not_for_you: dict[str, str] | None = None) -> list[View]:
    """The exercise library by day and pattern, a technique button for each exercise.

    `not_for_you` maps exercises the user's answers rule out to the reason; they are marked and
    explained, never offered as something to do.
    """
    blocked = not_for_you or {}
    sections = [
        (_("Upper-back day"), DayKind.UPPER),
        (_("Lower and middle back day"), DayKind.LOWER),
        (_("Warm-up and stretching"), None),
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
                lines.append(f"<i>{_(pattern_title)}:</i> " + ", ".join(names))
        ruled = [e for e in exercises if e.id in blocked]
        if ruled:
            lines += ["", _("⛔ <b>Not for you</b>")]
            lines += [f"• {esc(e.name)}: {esc(blocked[e.id])}" for e in ruled]
        buttons = [
            _button(("⛔ " if e.id in blocked else "") + e.name, callbacks.technique(e.id))
            for e in exercises
        ]
        views.append(View("\n".join(lines), InlineKeyboardMarkup(_rows(buttons, 2))))
    return views
