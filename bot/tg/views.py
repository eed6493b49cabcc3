"""Pure rendering of screening outcomes, programs, technique and the library into HTML + buttons.

The set-up questions are in question_views.py, schedules and reminders in schedule_views.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

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
from bot.domain.safety import Block, Gate, gate
from bot.domain.text import format_rest, format_sets
from bot.i18n import N_, _, ngettext
from bot.tg import callbacks
from bot.tg.render import esc, plain_length

# Said before the health questions and kept on the set-up message while answers move it on.
DISCLAIMER = N_(
    "<i>BackCoach gives general training advice, not medical advice. If your back hurts or "
    "you have a diagnosis, talk to a doctor before you train.</i>"
)

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
DAY_TITLES = {
    DayKind.UPPER: N_("Day 1 · Upper back"),
    DayKind.LOWER: N_("Day 2 · Lower and middle back"),
}


def button(text: str, data: str) -> InlineKeyboardButton:
    """An inline button carrying callback data."""
    return InlineKeyboardButton(text, callback_data=data)


def rows_of(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    """Buttons laid out `per_row` to a row."""
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


CHECKIN_DAYS = 3


URGENT_TITLE = N_("⚠️ <b>Please get medical help today</b>")
SCREENING_LIMIT = 600  # characters a user reads before the program itself, on a phone


def referral(gate: Gate, library: Library) -> View:
    """No loaded program: why, what to do, and how to come back."""
    title = _(URGENT_TITLE) if gate.block is Block.URGENT else _("⚠️ <b>No back program for now</b>")
    text = f"{title}\n\n{esc(gate.text)}\n\n<i>{esc(library.safety.messages.not_a_doctor)}</i>"
    keyboard = None
    if gate.offer_checkin:
        keyboard = InlineKeyboardMarkup([[button(_checkin_label(), callbacks.checkin())]])
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
    keyboard = InlineKeyboardMarkup([[button(_("Why these changes?"), callbacks.why())]])

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
            buttons.append(button(p.exercise.name, callbacks.technique(p.exercise.id)))
    lines.append("\n" + _("Tap an exercise for its technique."))
    return View("\n".join(lines), InlineKeyboardMarkup(rows_of(buttons, 2)))


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
            button(("⛔ " if e.id in blocked else "") + e.name, callbacks.technique(e.id))
            for e in exercises
        ]
        views.append(View("\n".join(lines), InlineKeyboardMarkup(rows_of(buttons, 2))))
    return views
