"""Pure rendering of targets and of log fixes: the target lines, first weights, weight questions,
undo and edit confirmations, /history and /records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.accounts import Units
from bot.domain.models import Exercise, SetKind
from bot.domain.setlog import LoggedSet
from bot.domain.starts import how_to_pick, needs_weight
from bot.domain.text import show_sets
from bot.domain.weights import show_weight
from bot.i18n import _, ngettext
from bot.services.logbook import Day, DaySets, ExerciseRecords
from bot.tg import callbacks, schedule_views
from bot.tg.render import esc
from bot.tg.views import View

if TYPE_CHECKING:
    from bot.services.cards import Card


def weight_text(weight_kg: float | None, units: Units, added: bool = False) -> str:
    """'52.5 kg', 'bodyweight' or 'bodyweight + 10 kg'."""
    if weight_kg is None:
        return _("bodyweight")
    shown = show_weight(weight_kg, units)
    return _("bodyweight + {weight}").format(weight=shown) if added else shown


def target_lines(card: Card) -> list[str]:
    """Today's target: all-out sets, a first weight to pick, or the load and reps per set."""
    item, ex, units = card.item, card.exercise, card.units
    work = [s for s in item.sets if s.kind is not SetKind.WARMUP]
    count = sum(s.count for s in work)
    if any(s.kind is SetKind.MAX for s in work):
        if count == 1:
            return [_("<b>Today:</b> one set, as many clean reps as you can.")]
        return [
            ngettext(
                "<b>Today:</b> {count} all-out set: as many clean reps as you can in each. "
                "Log each set as you finish it, e.g. <code>max 9</code>.",
                "<b>Today:</b> {count} all-out sets: as many clean reps as you can in each. "
                "Log each set as you finish it, e.g. <code>max 9</code>.",
                count,
            ).format(count=count)
        ]
    lo, hi = card.target_reps
    reps = f"{lo}" if hi is None or hi == lo else f"{lo}-{hi}"
    if needs_weight(ex) and card.target_weight_kg is None:
        return [
            _("<b>Target:</b> {count} x {reps}. First time: pick your starting weight.").format(
                count=count, reps=reps
            ),
            _("{how} Tap one below or type it, e.g. <code>{example}</code>.").format(
                how=esc(how_to_pick(ex, hi, units)), example="40" if units is Units.KG else "90"
            ),
        ]
    load = weight_text(card.target_weight_kg, units)
    if ex.assisted and card.target_weight_kg is not None:
        load = _("{weight} of assistance").format(weight=show_weight(card.target_weight_kg, units))
    lines = [
        _("<b>Target:</b> {count} x {reps} @ {load}").format(count=count, reps=reps, load=esc(load))
    ]
    if card.rep_targets:
        per = ", ".join(str(r) for r in card.rep_targets)
        lines.append(_("<b>Reps per set:</b> {reps}").format(reps=per))
    return lines


def with_starts(keyboard: InlineKeyboardMarkup, card: Card) -> InlineKeyboardMarkup:
    """The card's buttons, with a row of first weights on top when there is no weight yet."""
    if not card.starts or card.target_weight_kg is not None:
        return keyboard
    w = card.workout
    row = [
        InlineKeyboardButton(
            show_weight(kg, card.units), callback_data=callbacks.start_weight(w.id, w.position, kg)
        )
        for kg in card.starts
    ]
    return InlineKeyboardMarkup([row, *keyboard.inline_keyboard])


def weight_question(
    exercise: Exercise, sets: list[LoggedSet], options: list[float], nonce: str, units: Units
) -> View:
    """Sets came without a weight for a loaded exercise: ask rather than log bodyweight.

    One option is last time's weight ('as before'); several are first weights to pick from.
    """
    reps = show_sets(sets, units).removesuffix(" bw")
    question = (
        _(
            "{name}: <code>{reps}</code>. How much help (counterweight) was that? Tap it or "
            "type it, e.g. <code>{example}</code>. Nothing is saved until then."
        )
        if exercise.assisted
        else _(
            "{name}: <code>{reps}</code>. What weight? Tap it or type it, e.g. "
            "<code>{example}</code>. Nothing is saved until then."
        )
    )
    example = "50" if units is Units.KG else "110"
    text = question.format(name=esc(exercise.name), reps=esc(reps), example=example)
    if not options:
        return View(text)
    row = [
        InlineKeyboardButton(
            _("{weight} (as before)").format(weight=show_weight(kg, units))
            if len(options) == 1
            else show_weight(kg, units),
            callback_data=callbacks.weight_answer(nonce, kg),
        )
        for kg in options
    ]
    return View(text, InlineKeyboardMarkup([row]))


def edit_button(source_id: int | None) -> InlineKeyboardMarkup | None:
    """The 'Edit' button under a confirmation."""
    if source_id is None:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton("✏️ " + _("Edit"), callback_data=callbacks.edit_line(source_id))]]
    )


def already_text(exercise: Exercise, sets: list[LoggedSet], units: Units) -> str:
    """A message or tap that was logged before is not logged twice."""
    return _(
        "Already in your log, so not saved twice: {name}: {sets}. "
        "If you did another set like it, send it once more."
    ).format(name=esc(exercise.name), sets=esc(show_sets(sets, units)))


def elsewhere_hint(other: Exercise | None, current: Exercise) -> str:
    """A line for another exercise typed mid-session: say where the session is."""
    if other is None:
        return ""
    return "\n" + _(
        "That line is for {other}, but you are on {current}: log this one's sets, "
        "or tap Skip or Swap first."
    ).format(other=esc(other.name), current=esc(current.name))


def undone_text(exercise: Exercise, sets: list[LoggedSet], units: Units) -> str:
    """What an undo removed."""
    return "↩️ " + ngettext(
        "Removed {n} set of {name}: {sets}.", "Removed {n} sets of {name}: {sets}.", len(sets)
    ).format(n=len(sets), name=esc(exercise.name), sets=esc(show_sets(sets, units)))


def edited_text(
    exercise: Exercise, before: list[LoggedSet], after: list[LoggedSet], units: Units
) -> str:
    """What an edit changed."""
    return "✏️ " + _("Changed {name}: {after} (was {before}).").format(
        name=esc(exercise.name),
        after=esc(show_sets(after, units)),
        before=esc(show_sets(before, units)),
    )


def history_view(days: list[Day], units: Units) -> View:
    """/history: each workout or day of sets, newest first, in today's units."""
    lines = [_("<b>Your log</b>")]
    for day in days:
        title = _(day.title) + (" " + _("(ended early)") if day.ended_early else "")
        lines.append(f"\n<b>{esc(schedule_views.day_label(day.on))}</b> · {esc(title)}")
        for ln in day.lines:
            shown = {"name": esc(ln.name), "sets": esc(show_sets(ln.sets, units))}
            line = _("{name}: {sets} of help") if ln.assisted else "{name}: {sets}"
            lines.append("• " + line.format(**shown))
        if not day.lines:
            lines.append("• " + _("nothing logged"))
    lines.append("\n" + _("/history deadlift shows one exercise over time; /records your bests."))
    return View("\n".join(lines))


def exercise_history_view(exercise: Exercise, days: list[DaySets], units: Units) -> View:
    """/history EXERCISE: its sets per day, oldest first."""
    if not days:
        return View(_("Nothing logged for {name} yet.").format(name=esc(exercise.name)))
    help_note = " " + _("(weights are the machine's help)") if exercise.assisted else ""
    lines = [f"<b>{esc(exercise.name)}</b>{help_note}"]
    lines += [
        f"• {esc(schedule_views.day_label(d.on))}: {esc(show_sets(d.sets, units))}" for d in days
    ]
    return View("\n".join(lines))


def records_view(per: list[ExerciseRecords]) -> View:
    """/records: each exercise's standing records."""
    if not per:
        return View(_("No records yet: log a few sessions first. /today starts one."))
    lines = [_("<b>Your records</b>") + " 🏆"]
    for exercise in per:
        lines.append(f"\n<b>{esc(exercise.name)}</b>")
        lines += [f"• {esc(r)}" for r in exercise.lines]
    return View("\n".join(lines))
