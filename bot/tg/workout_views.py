"""Pure rendering of a guided workout: the exercise card, confirmations and the summary."""

from __future__ import annotations

from datetime import date, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.accounts import Units
from bot.domain.models import DayKind, Exercise
from bot.domain.safety import RuleCheck
from bot.domain.setlog import LoggedSet, render_sets
from bot.domain.text import format_rest, format_sets, show_sets
from bot.domain.weights import show_weight
from bot.domain.workouts import Workout
from bot.i18n import _, format_day, ngettext
from bot.services.cards import Card
from bot.services.summary import SummaryLine
from bot.tg import callbacks
from bot.tg.render import esc
from bot.tg.target_views import target_lines, weight_text, with_starts
from bot.tg.views import View


def card_view(card: Card) -> View:
    """The current exercise: target, warm-up ramp, last time, and the buttons."""
    w, item, ex = card.workout, card.item, card.exercise
    number = w.position + 1
    lines = [f"<b>{number}/{len(w.items)} · {esc(ex.name)}</b>"]
    if item.tick_off:
        lines.append(esc(format_sets(item.sets)))
        if item.note:
            lines.append(f"<i>{esc(item.note)}</i>")
        lines.append(_("Tap <b>Done</b> when you have done it."))
        return View("\n".join(lines), _keyboard(w, done_label=_("Done"), hurt=False))
    lines += target_lines(card)
    if card.starts and w.light:
        lines.append(
            _("<i>Stiff back: today pick more help than what you'd normally use.</i>")
            if ex.assisted
            else _("<i>Stiff back: today pick about 80 % of what you'd normally use.</i>")
        )
    if item.note:
        lines.append(f"<i>{esc(item.note)}</i>")
    if card.target_note:
        lines.append(f"<i>{esc(card.target_note)}</i>")
    if item.logged:
        lines.append(
            ngettext(
                "Logged so far: {logged} of {needed} set.",
                "Logged so far: {logged} of {needed} sets.",
                item.needed,
            ).format(logged=item.logged, needed=item.needed)
        )
    if card.warmup:
        ramp = ", ".join(f"{esc(weight_text(wt, card.units))} x {r}" for wt, r in card.warmup)
        lines.append(_("<b>Warm-up:</b> {ramp}").format(ramp=ramp))
    if card.last_time:
        last = esc(show_sets(card.last_time, card.units))
        lines.append(_("<b>Last time:</b> {sets}").format(sets=last))
    rest = format_rest(item.rest_s)
    if rest:
        lines.append(_("Rest {rest} between sets.").format(rest=rest))
    lines.append(
        "\n"
        + _(
            "Reply with what you did, e.g. <code>4x10 50</code> or "
            "<code>10 10 9 8 @ 52.5</code>, or tap a button."
        )
    )
    keyboard = _keyboard(w, done_label=_("Done as planned") if card.plannable else None)
    return View("\n".join(lines), with_starts(keyboard, card))


def _keyboard(w: Workout, done_label: str | None, hurt: bool = True) -> InlineKeyboardMarkup:
    def b(text: str, action: callbacks.WorkoutAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=callbacks.workout(w.id, w.position, action))

    rows = [
        *([[b(done_label, "done")]] if done_label else []),
        [b(_("Skip"), "skip"), b(_("Swap"), "swap"), b(_("End session"), "end")],
    ]
    if hurt:
        rows.append([b("🛑 " + _("It hurts"), "hurt")])
    return InlineKeyboardMarkup(rows)


def swap_view(
    w: Workout, options: list[Exercise], ruled_out: list[RuleCheck] | None = None
) -> View:
    """Allowed alternatives for the current exercise; ruled-out ones are named, not offered."""
    not_for_you = ""
    if ruled_out:
        not_for_you = (
            "\n\n"
            + _("<b>Not for you:</b>")
            + "\n"
            + "\n".join(f"⛔ {esc(c.exercise.name)}: {esc(c.reason)}" for c in ruled_out)
        )
    if not options:
        return View(
            _(
                "There is no other exercise of this kind that suits your answers. "
                "You can skip this one instead."
            )
            + not_for_you
        )
    rows = [
        [
            InlineKeyboardButton(
                e.name, callback_data=callbacks.workout(w.id, w.position, "swap-to", e.id)
            )
        ]
        for e in options
    ]
    return View(
        _("Swap for which exercise? Only ones that suit your answers are offered.") + not_for_you,
        InlineKeyboardMarkup(rows),
    )


def understood(exercise: Exercise, sets: list[LoggedSet], units: Units) -> str:
    """Confirmation of what was logged."""
    name, shown = esc(exercise.name), esc(render_sets(sets, units))
    if exercise.assisted and any(s.weight_kg for s in sets):
        return "✅ " + _("{name}: {sets} of help").format(name=name, sets=shown)
    return f"✅ {name}: {shown}"


def summary_view(
    lines: list[SummaryLine], records: list[str], next_line: str, units: Units, early: bool
) -> View:
    """The end of a session: what was done, records, next time, next session."""
    out = [_("<b>Session ended early</b>") if early else _("<b>Session done!</b>") + " 💪", ""]
    if not lines:
        out.append(_("No sets were logged this time."))
    for line in lines:
        volume = (
            " · " + _("volume {weight}").format(weight=show_weight(line.volume_kg, units))
            if line.volume_kg
            else ""
        )
        out.append(
            f"• <b>{esc(line.exercise.name)}</b>: {esc(show_sets(line.sets, units))}{volume}"
        )
        if line.next_time:
            out.append("   <i>" + _("Next time: {what}").format(what=esc(line.next_time)) + "</i>")
    if records:
        out += ["", _("<b>New records</b>") + " 🏆"] + [f"• {esc(r)}" for r in records]
    out += ["", next_line, _("/history shows your last sessions.")]
    return View("\n".join(out))


def closed_view(
    workout: Workout, lines: list[SummaryLine], next_line: str, units: Units, today: date
) -> View:
    """The one note after a session left open was closed at the end of its day."""
    upper = workout.kind is DayKind.UPPER
    if workout.on == today - timedelta(days=1):
        closed = (
            _("I closed yesterday's upper-back session ({day}), which was still open.")
            if upper
            else _(
                "I closed yesterday's lower- and middle-back session ({day}), which was still open."
            )
        )
    else:
        closed = (
            _("I closed your upper-back session ({day}), which was still open.")
            if upper
            else _("I closed your lower- and middle-back session ({day}), which was still open.")
        )
    out = [closed.format(day=format_day(workout.on))]
    if not lines:
        out.append(
            _("Nothing was logged, so it doesn't count as a session: the same day comes next.")
        )
    else:
        out.append(_("Here is what I saved:"))
        out += [
            f"• <b>{esc(ln.exercise.name)}</b>: {esc(render_sets(ln.sets, units))}" for ln in lines
        ]
    out += ["", next_line]
    return View("\n".join(out))


def ruled_out_text(dropped: list[RuleCheck]) -> str:
    """The exercises taken out of today's session because the answers changed."""
    lines = [f"⛔ {esc(c.exercise.name)}: {esc(c.reason)}" for c in dropped]
    said = _("Your answers changed, so I've taken these out of today's session:")
    return said + "\n" + "\n".join(lines)
