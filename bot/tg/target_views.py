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
from bot.services.logbook import Day, DaySets, ExerciseRecords
from bot.tg import callbacks, schedule_views
from bot.tg.render import esc
from bot.tg.views import View

if TYPE_CHECKING:
    from bot.services.cards import Card


def weight_text(weight_kg: float | None, units: Units, added: bool = False) -> str:
    """'52.5 kg', 'bodyweight' or 'bodyweight + 10 kg'."""
    if weight_kg is None:
        return "bodyweight"
    shown = show_weight(weight_kg, units)
    return f"bodyweight + {shown}" if added else shown


def target_lines(card: Card) -> list[str]:
    """Today's target: all-out sets, a first weight to pick, or the load and reps per set."""
    item, ex, units = card.item, card.exercise, card.units
    work = [s for s in item.sets if s.kind is not SetKind.WARMUP]
    count = sum(s.count for s in work)
    if any(s.kind is SetKind.MAX for s in work):
        if count == 1:
            return ["<b>Today:</b> one set, as many clean reps as you can."]
        return [
            f"<b>Today:</b> {count} all-out sets: as many clean reps as you can in each. "
            "Log each set as you finish it, e.g. <code>max 9</code>."
        ]
    lo, hi = card.target_reps
    reps = f"{lo}" if hi is None or hi == lo else f"{lo}-{hi}"
    if needs_weight(ex) and card.target_weight_kg is None:
        return [
            f"<b>Target:</b> {count} x {reps}. First time: pick your starting weight.",
            f"{esc(how_to_pick(ex, hi, units))} Tap one below or type it, e.g. "
            f"<code>{'40' if units is Units.KG else '90'}</code>.",
        ]
    load = weight_text(card.target_weight_kg, units)
    if ex.assisted and card.target_weight_kg is not None:
        load = f"{show_weight(card.target_weight_kg, units)} of assistance"
    lines = [f"<b>Target:</b> {count} x {reps} @ {esc(load)}"]
    if card.rep_targets:
        per = ", ".join(str(r) for r in card.rep_targets)
        lines.append(f"<b>Reps per set:</b> {per}")
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
    what = "How much help (counterweight) was that?" if exercise.assisted else "What weight?"
    example = "50" if units is Units.KG else "110"
    text = (
        f"{esc(exercise.name)}: <code>{esc(reps)}</code>. {what} Tap it or type it, e.g. "
        f"<code>{example}</code>. Nothing is saved until then."
    )
    if not options:
        return View(text)
    row = [
        InlineKeyboardButton(
            show_weight(kg, units) + (" (as before)" if len(options) == 1 else ""),
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
        [[InlineKeyboardButton("✏️ Edit", callback_data=callbacks.edit_line(source_id))]]
    )


def already_text(exercise: Exercise, sets: list[LoggedSet], units: Units) -> str:
    """A message or tap that was logged before is not logged twice."""
    return (
        f"Already in your log, so not saved twice: {esc(exercise.name)}: "
        f"{esc(show_sets(sets, units))}. If you did another set like it, send it once more."
    )


def elsewhere_hint(other: Exercise | None, current: Exercise) -> str:
    """A line for another exercise typed mid-session: say where the session is."""
    if other is None:
        return ""
    return (
        f"\nThat line is for {esc(other.name)}, but you are on {esc(current.name)}: log this "
        "one's sets, or tap Skip or Swap first."
    )


def undone_text(exercise: Exercise, sets: list[LoggedSet], units: Units) -> str:
    """What an undo removed."""
    count = "1 set" if len(sets) == 1 else f"{len(sets)} sets"
    return f"↩️ Removed {count} of {esc(exercise.name)}: {esc(show_sets(sets, units))}."


def edited_text(
    exercise: Exercise, before: list[LoggedSet], after: list[LoggedSet], units: Units
) -> str:
    """What an edit changed."""
    return (
        f"✏️ Changed {esc(exercise.name)}: {esc(show_sets(after, units))} "
        f"(was {esc(show_sets(before, units))})."
    )


def history_view(days: list[Day], units: Units) -> View:
    """/history: each workout or day of sets, newest first, in today's units."""
    lines = ["<b>Your log</b>"]
    for day in days:
        title = day.title + (" (ended early)" if day.ended_early else "")
        lines.append(f"\n<b>{esc(schedule_views.day_label(day.on))}</b> · {esc(title)}")
        lines += [
            f"• {esc(ln.name)}: {esc(show_sets(ln.sets, units))}"
            + (" of help" if ln.assisted else "")
            for ln in day.lines
        ]
        if not day.lines:
            lines.append("• nothing logged")
    lines.append("\n/history deadlift shows one exercise over time; /records your bests.")
    return View("\n".join(lines))


def exercise_history_view(exercise: Exercise, days: list[DaySets], units: Units) -> View:
    """/history EXERCISE: its sets per day, oldest first."""
    if not days:
        return View(f"Nothing logged for {esc(exercise.name)} yet.")
    help_note = " (weights are the machine's help)" if exercise.assisted else ""
    lines = [f"<b>{esc(exercise.name)}</b>{help_note}"]
    lines += [
        f"• {esc(schedule_views.day_label(d.on))}: {esc(show_sets(d.sets, units))}" for d in days
    ]
    return View("\n".join(lines))


def records_view(per: list[ExerciseRecords]) -> View:
    """/records: each exercise's standing records."""
    if not per:
        return View("No records yet: log a few sessions first. /today starts one.")
    lines = ["<b>Your records</b> 🏆"]
    for exercise in per:
        lines.append(f"\n<b>{esc(exercise.name)}</b>")
        lines += [f"• {esc(r)}" for r in exercise.lines]
    return View("\n".join(lines))
