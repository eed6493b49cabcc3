"""Screening: which answers mean no loaded program, and what each condition rules out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.domain.models import (
    Condition,
    ConditionOutcome,
    Equipment,
    Exercise,
    Library,
    Outcome,
    Profile,
    Property,
    Reason,
    SafetyContent,
    Triage,
)
from bot.i18n import _

RED_FLAG, PAIN_NOW, HEALTH_CHECK = "red-flag", "pain-now", "health-check"


class UnknownIdError(ValueError):
    """A profile names a condition or exercise that the library does not have."""

    def __init__(self, kind: str, value: str, valid: Iterable[str]) -> None:
        self.kind, self.value, self.valid = kind, value, sorted(valid)
        super().__init__(f"unknown {kind} '{value}'; valid: {', '.join(self.valid)}")


@dataclass(frozen=True)
class Screening:
    """The outcome of screening a profile, with the conditions behind it."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    conditions: tuple[Condition, ...]
    words: Callable[[Iterable[Property]], str] = field(default=lambda props: describe(props))

    def ruled_out_by(self, exercise: Exercise) -> list[tuple[Condition, frozenset[Property]]]:
        """The conditions that rule this exercise out, each with the offending properties."""
        hits = []
        for cond in self.conditions:
            clash = exercise.properties & cond.rules_out
            if clash:
                hits.append((cond, clash))
        return hits


def screen(profile: Profile, library: Library) -> Screening:
    """Decide clear / restricted / refer from triage and conditions, with reasons.

    Triage comes first: a red flag, pain today or a 'yes' on the health check refers the user
    whatever else they answered, and so does any condition whose outcome is 'refer'.
    """
    conditions = library.conditions
    for cid in profile.conditions:
        if cid not in conditions:
            raise UnknownIdError("condition", cid, conditions)
    chosen = tuple(conditions[c] for c in sorted(profile.conditions))
    triage = _triage_reasons(profile.triage, library.safety)
    refer = [c for c in chosen if c.outcome is ConditionOutcome.REFER]
    if triage or refer:
        reasons = triage + tuple(
            Reason(code="refer", condition=c.id, text=f"{c.explanation} {c.advice}") for c in refer
        )
        return Screening(Outcome.REFER, reasons, chosen, library.safety.words)
    if chosen:
        reasons = tuple(
            Reason(code="restrict", condition=c.id, text=f"{c.explanation} {c.advice}")
            for c in chosen
        )
        return Screening(Outcome.RESTRICTED, reasons, chosen, library.safety.words)
    return Screening(Outcome.CLEAR, (), chosen, library.safety.words)


def _triage_reasons(triage: Triage, safety: SafetyContent) -> tuple[Reason, ...]:
    """Why triage refers the user, most urgent first; empty when it doesn't."""
    flags = {f.id: f for f in safety.red_flag}
    health = {f.id: f for f in safety.health_check}
    for fid in triage.red_flags:
        if fid not in flags:
            raise UnknownIdError("red flag", fid, flags)
    for fid in triage.health_flags:
        if fid not in health:
            raise UnknownIdError("health check", fid, health)
    out: list[Reason] = []
    if triage.red_flags:
        out.append(Reason(code=RED_FLAG, text=safety.messages.urgent))
    if triage.pain_now:
        out.append(Reason(code=PAIN_NOW, text=safety.messages.pain_now))
    if triage.health_flags:
        out.append(Reason(code=HEALTH_CHECK, text=safety.messages.health))
    return tuple(out)


def describe(props: Iterable[Property]) -> str:
    """Plain words for a set of properties, in a stable order."""
    return ", ".join(sorted(p.value.replace("-", " ") for p in props))


def block_reason(
    exercise: Exercise,
    screening: Screening,
    profile: Profile,
    avoid: frozenset[Property] = frozenset(),
) -> str | None:
    """Why this exercise may not be used for this profile, or None when it may."""
    hits = screening.ruled_out_by(exercise)
    if hits:
        words = screening.words
        return "; ".join(
            _("{condition} rules out {what}").format(condition=c.name, what=words(p))
            for c, p in hits
        )
    if exercise.id in profile.excluded:
        return _("you said it causes you discomfort")
    missing = missing_equipment(exercise, profile.equipment)
    if missing:
        gear = ", ".join(sorted(e.value.replace("-", " ") for e in missing))
        return _("it needs {equipment}").format(equipment=gear)
    soft = exercise.properties & avoid
    if soft:
        return _("your goal favours work without {what}").format(what=screening.words(soft))
    return None


def missing_equipment(exercise: Exercise, available: frozenset[Equipment] | None) -> set[Equipment]:
    """Equipment the exercise needs that the gym lacks (none missing when the gym is full)."""
    if available is None:
        return set()
    return set(exercise.equipment) - available
