"""What to lift next time (double progression), warm-up ramps, and personal records.

Weights are kg. For a bodyweight exercise a weight is the weight ADDED to the body (a belt);
None (or 0) means bodyweight only.

History. `suggest` takes the recent sessions of one exercise, oldest first, each the list
of that session's WORKING sets only: warm-up sets never count (`working_sets` strips them from a
session logged in full). The n-th logged set is judged against the n-th prescribed working set;
sets beyond the prescription are ignored.

The rules.
- Up one load step when every prescribed working set of the last session was logged, done at
  the working weight or heavier, and reached the top of its rep range.
- Down one step when the last TWO sessions, both done at today's working weight, were each
  below the range. A session is below the range when any logged working set has fewer reps than
  the bottom of its range; a set not logged at all does not count. Sessions at another weight
  (before the last change) do not count, so one bad session right after a drop never drops again.
- Otherwise the weight stays. Floors: a barbell never goes below the empty bar (20 kg; 45 lb),
  a dumbbell, cable or machine below one step, added weight below none. The suggested weight is
  always the working weight, one step more, or one step less.
- Bodyweight exercises without added weight progress by reps: the target is the lowest set of
  last time plus one, up to 12 (or the top of the range, if higher: 15 on back extensions). Once
  every prescribed set reaches it, one step of added weight comes in and the rep range restarts
  at its bottom; from there the added weight follows the rules above, down to none.
- As-many-as-possible sets (no top) never raise the weight; the target is one rep more than the
  best set.
- For lb users a step is the kg step in lb plates (2.5 kg -> 5 lb, 5 kg -> 10 lb, 2 kg -> 5 lb).
- Assisted exercises (a counterweight that helps, marked `assisted` in content/): the weight is
  the assistance, and the rules run the other way: every set at the top takes one step of help
  away, two sessions below the range give one step back. When one more step would leave no help
  at all, the suggestion is to move on to strict pull-ups.

Rep targets. Each prescribed working set gets its own target within its range
(`Suggestion.rep_targets`): last time's reps in that set plus one, up to the top; a set that
was rated all-out (RPE 10 or 0 reps in reserve) keeps its reps instead. After a change of load,
with no history at the load, or for a set not logged last time, the target is the bottom of
the range: the safer reading for a first session at a weight picked for the top of the range.

Records live in bot/domain/records.py.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from bot.domain.accounts import Units
from bot.domain.loads import (
    BAR_KG,
    BAR_LB,
    SAME_WEIGHT_KG,
    floor_kg,
    next_reps,
    step_kg,
    working_sets,
)
from bot.domain.models import Exercise, Frozen, LoadKind, SetKind, SetSpec
from bot.domain.setlog import MAX_REPS, MAX_WEIGHT_KG, LoggedSet
from bot.domain.weights import show_weight
from bot.i18n import _

# Imported from here across the code base; they live in bot/domain/loads.py.
__all__ = ["BAR_KG", "BAR_LB", "SAME_WEIGHT_KG", "floor_kg", "next_reps", "step_kg", "working_sets"]

BODYWEIGHT_TOP = 12  # reps in every set before a bodyweight exercise takes added weight
GRADUATION_REPS = 8  # the beginner's all-out set that earns the full upper day

Change = Literal["start", "up", "same", "down", "reps", "add-weight", "strict"]


class ProgressionError(ValueError):
    """Inputs progression cannot work with (no working sets, a negative weight...)."""


class Suggestion(Frozen):
    """What to do next time on one exercise, and why, in one plain line."""

    weight_kg: float | None  # bodyweight exercises: the added weight; None: none
    reps_min: int
    reps_max: int | None
    sets: int
    change: Change
    explanation: str
    below_streak: int = 0  # sessions in a row below the range at this weight
    rep_targets: list[int] = Field(
        default_factory=list
    )  # one per prescribed working set, each within its range


# --- helpers -------------------------------------------------------------------------------


def _targets(specs: list[SetSpec]) -> list[SetSpec]:
    """One spec per prescribed working (or max-effort) set, in order."""
    targets = [s for s in specs if s.kind is not SetKind.WARMUP for _ in range(s.count)]
    if not targets:
        raise ProgressionError("the prescription has no working sets")
    return targets


def _load(s: LoggedSet) -> float:
    return s.weight_kg or 0.0


def _range(spec: SetSpec) -> str:
    if spec.reps_max is None:
        return _("as many reps as you can")
    if spec.reps_max == spec.reps_min:
        return _("{n} reps").format(n=spec.reps_min)
    return _("{low}-{high} reps").format(low=spec.reps_min, high=spec.reps_max)


def _suggest(
    targets: list[SetSpec],
    weight: float | None,
    change: Change,
    text: str,
    reps: tuple[int, int | None] | None = None,
    streak: int = 0,
    per_set: list[int] | None = None,
) -> Suggestion:
    low, high = reps or (targets[0].reps_min, targets[0].reps_max)
    kg = round(weight, 6) if weight else None
    if per_set is None:
        per_set = [low] * len(targets) if reps else [t.reps_min for t in targets]
    return Suggestion(
        rep_targets=per_set,
        weight_kg=kg,
        reps_min=low,
        reps_max=high,
        sets=len(targets),
        change=change,
        explanation=text,
        below_streak=streak,
    )


# --- next time -----------------------------------------------------------------------------


def first_weight(exercise: Exercise, specs: list[SetSpec], units: Units = Units.KG) -> Suggestion:
    """The suggestion with no history: how to pick a starting weight."""
    targets = _targets(specs)
    top = targets[0].reps_max
    if exercise.load is LoadKind.NONE:
        return _suggest(targets, None, "same", _("Nothing to load here: do it as written."))
    if top is None:
        text = _("Do one set of as many clean reps as you can, and log it.")
    elif exercise.load is LoadKind.BODYWEIGHT:
        text = _(
            "Start with bodyweight only: as many clean reps as you can in each set, up to "
            "{n}, and log them."
        ).format(n=BODYWEIGHT_TOP)
    elif exercise.assisted:
        text = _(
            "No history yet: pick the assistance that lets you do {n} clean reps (more "
            "counterweight means more help), and log your sets."
        ).format(n=top)
    elif exercise.load is LoadKind.BARBELL:
        text = _(
            "No history yet: pick a weight you can lift for {n} reps with good form (the empty "
            "bar, {bar}, is the lightest), and log your sets."
        ).format(n=top, bar=show_weight(floor_kg(exercise, units), units))
    else:
        text = _(
            "No history yet: pick a weight you can lift for {n} reps with good form, and log "
            "your sets."
        ).format(n=top)
    return _suggest(targets, None, "start", text)


def suggest(
    exercise: Exercise,
    specs: list[SetSpec],
    weight_kg: float | None,
    history: list[list[LoggedSet]],
    units: Units = Units.KG,
) -> Suggestion:
    """Next time's weight and reps from the working weight and recent WORKING sets (oldest first).

    For a bodyweight exercise `weight_kg` is the added weight (None or 0: none). For a loaded
    exercise with `weight_kg` None, the heaviest set of the last session stands in for it.
    """
    targets = _targets(specs)
    if weight_kg is not None and not 0 <= weight_kg <= MAX_WEIGHT_KG:
        raise ProgressionError(f"a working weight of {weight_kg} kg is out of range")
    if exercise.load is LoadKind.NONE:
        return _suggest(targets, None, "same", _("Nothing to load here: do it as written."))
    if exercise.assisted:
        return _assisted(exercise, specs, weight_kg or None, [s for s in history if s], units)
    sessions = [s for s in history if s]
    bodyweight = exercise.load is LoadKind.BODYWEIGHT
    current = weight_kg or None
    if current is None and not bodyweight and sessions:
        current = max((_load(s) for s in sessions[-1]), default=0.0) or None
    if current is None:
        if bodyweight and sessions:
            return _by_reps(exercise, targets, sessions[-1], units)
        return first_weight(exercise, specs, units)
    if not sessions:
        text = _("Nothing logged yet at {weight}: do {n} sets of {reps} and log them.").format(
            weight=show_weight(current, units), n=len(targets), reps=_range(targets[0])
        )
        return _suggest(targets, current, "same", text)
    last = sessions[-1]
    if all(t.reps_max is None for t in targets):
        best = max(s.reps for s in last)
        goal = min(best + 1, MAX_REPS)
        text = _("Your best set was {best} reps: go for {goal} next time.").format(
            best=best, goal=goal
        )
        return _suggest(targets, current, "reps", text, (goal, None), per_set=[goal] * len(targets))
    return _double(exercise, targets, current, sessions, units)


def _by_reps(
    exercise: Exercise, targets: list[SetSpec], last: list[LoggedSet], units: Units
) -> Suggestion:
    """Bodyweight only: more reps, then added weight once every set reaches 12 (or the top)."""
    n = len(targets)
    done = last[:n]
    enough = max([BODYWEIGHT_TOP, *(t.reps_max for t in targets if t.reps_max)])
    if len(done) == n and all(s.reps >= enough for s in done):
        step = step_kg(exercise, units)
        text = _(
            "All {n} sets reached {enough} reps, so add weight: +{step} on a belt next time, "
            "for {reps}."
        ).format(n=n, enough=enough, step=show_weight(step, units), reps=_range(targets[0]))
        return _suggest(targets, step, "add-weight", text)
    lowest = min(s.reps for s in done)
    goal = min(lowest + 1, enough)
    if len(done) < n:
        text = _(
            "{done} of {n} sets logged, lowest {lowest} reps: aim for {goal} in every set; at "
            "{enough} in every set you start adding weight."
        ).format(done=len(done), n=n, lowest=lowest, goal=goal, enough=enough)
    else:
        text = _(
            "Your lowest set was {lowest} reps: aim for {goal} in every set; at {enough} in "
            "every set you start adding weight."
        ).format(lowest=lowest, goal=goal, enough=enough)
    top = None if targets[0].reps_max is None else enough
    per_set = next_reps(done, targets, enough) if top else [goal] * n
    return _suggest(targets, None, "reps", text, (goal, top), per_set=per_set)


def _double(
    exercise: Exercise,
    targets: list[SetSpec],
    current: float,
    sessions: list[list[LoggedSet]],
    units: Units,
) -> Suggestion:
    """Double progression at a working weight."""
    step = step_kg(exercise, units)
    n = len(targets)
    last = sessions[-1]
    shown = show_weight(current, units)
    plus = "+" if exercise.load is LoadKind.BODYWEIGHT else ""
    topped = [
        t.reps_max is not None and s.reps >= t.reps_max and _load(s) >= current - SAME_WEIGHT_KG
        for s, t in zip(last, targets, strict=False)
    ]
    tops = {t.reps_max for t in targets}
    top = _("{n} reps").format(n=tops.pop()) if len(tops) == 1 else _("the top of its range")
    streak = 0
    for session in reversed(sessions):
        if not (_at_weight(session, current) and _below(session, targets)):
            break
        streak += 1
    if len(topped) == n and all(topped) and current + step <= MAX_WEIGHT_KG:
        new = current + step
        text = _("All {n} sets hit {top}, so add {step}: {new} next time.").format(
            n=n, top=top, step=show_weight(step, units), new=plus + show_weight(new, units)
        )
        return _suggest(targets, new, "up", text)
    if streak >= 2:
        bottom, reps = next(
            (t.reps_min, s.reps) for s, t in zip(last, targets, strict=False) if s.reps < t.reps_min
        )
        new = current - step
        if new < floor_kg(exercise, units) - SAME_WEIGHT_KG / 10:
            text = _(
                "Two sessions in a row had a set under {bottom} reps (last time {reps}), but "
                "{weight} is the lightest: stay there and build the reps back."
            ).format(bottom=bottom, reps=reps, weight=plus + shown)
            return _suggest(targets, current, "same", text, streak=streak)
        after = plus + show_weight(new, units) if new > 0 else _("bodyweight only")
        text = _(
            "Two sessions in a row had a set under {bottom} reps (last time {reps}), so drop "
            "{step}: {after} next time."
        ).format(bottom=bottom, reps=reps, step=show_weight(step, units), after=after)
        return _suggest(targets, new, "down", text)
    if streak == 1:
        bottom = min(t.reps_min for t in targets)
        text = _(
            "A set fell under {bottom} reps: stay at {weight}; if that happens again next time, "
            "the weight comes down {step}."
        ).format(bottom=bottom, weight=plus + shown, step=show_weight(step, units))
        return _suggest(
            targets, current, "same", text, streak=1, per_set=_reps_at(last, current, targets)
        )
    text = _("{hit} of {n} sets hit {top} at {weight}: stay there until every set does.").format(
        hit=sum(topped), n=n, top=top, weight=plus + shown
    )
    return _suggest(targets, current, "same", text, per_set=_reps_at(last, current, targets))


def _reps_at(last: list[LoggedSet], current: float, targets: list[SetSpec]) -> list[int]:
    """Rep targets from last time, if last time was at today's weight."""
    return next_reps(last if _at_weight(last, current) else [], targets)


def _assisted(
    exercise: Exercise,
    specs: list[SetSpec],
    weight: float | None,
    sessions: list[list[LoggedSet]],
    units: Units,
) -> Suggestion:
    """Assisted: progress is less help; the most help of last time stands in for a missing one."""
    targets = _targets(specs)
    current = weight
    if current is None and sessions:
        current = max((_load(s) for s in sessions[-1]), default=0.0) or None
    if current is None:
        return first_weight(exercise, specs, units)
    step, n, shown = step_kg(exercise, units), len(targets), show_weight(current, units)
    if not sessions:
        text = _("Nothing logged yet with {help} of help: do {n} sets of {reps}.").format(
            help=shown, n=n, reps=_range(targets[0])
        )
        return _suggest(targets, current, "same", text)
    last = sessions[-1]
    topped = [
        t.reps_max is not None and s.reps >= t.reps_max and _load(s) <= current + SAME_WEIGHT_KG
        for s, t in zip(last, targets, strict=False)
    ]
    streak = 0
    for session in reversed(sessions):
        if not (_at_weight(session, current) and _below(session, targets)):
            break
        streak += 1
    if len(topped) == n and all(topped):
        new = current - step
        if new < SAME_WEIGHT_KG:
            text = _(
                "All {n} sets hit the top with {help} of help, the least the machine gives: "
                "time to move on to strict pull-ups (or stay here until they come)."
            ).format(n=n, help=shown)
            return _suggest(targets, current, "strict", text)
        text = _(
            "All {n} sets hit the top, so take {step} of help away: {new} of assistance next time."
        ).format(n=n, step=show_weight(step, units), new=show_weight(new, units))
        return _suggest(targets, new, "up", text)
    if streak >= 2 and current + step <= MAX_WEIGHT_KG:
        new = current + step
        text = _(
            "Two sessions in a row had a set under the range, so add {step} of help: {new} next "
            "time."
        ).format(step=show_weight(step, units), new=show_weight(new, units))
        return _suggest(targets, new, "down", text)
    text = _("{hit} of {n} sets hit the top with {help} of help: stay there until all do.").format(
        hit=sum(topped), n=n, help=shown
    )
    return _suggest(
        targets, current, "same", text, streak=streak, per_set=_reps_at(last, current, targets)
    )


def _at_weight(session: list[LoggedSet], current: float) -> bool:
    return abs(max(_load(s) for s in session) - current) < SAME_WEIGHT_KG


def _below(session: list[LoggedSet], targets: list[SetSpec]) -> bool:
    return any(s.reps < t.reps_min for s, t in zip(session, targets, strict=False))


def check_graduation(max_set_reps: int, threshold: int = GRADUATION_REPS) -> bool:
    """Whether the beginner's all-out pull-up set earns the full upper day."""
    return max_set_reps >= threshold


def graduation_message(max_set_reps: int, threshold: int = GRADUATION_REPS) -> str:
    """The congratulation when the all-out set reaches the threshold."""
    return _(
        "{n} clean pull-ups in one set: you have reached {threshold}! From now on the upper day "
        "has full pull-up sets instead of the single all-out set."
    ).format(n=max_set_reps, threshold=threshold)
