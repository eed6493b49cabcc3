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
from bot.domain.models import Exercise, Frozen, LoadKind, SetKind, SetSpec
from bot.domain.setlog import MAX_REPS, MAX_WEIGHT_KG, LoggedSet
from bot.domain.weights import KG_PER_LB, show_weight

BAR_KG = 20.0
BAR_LB = 45
BODYWEIGHT_TOP = 12  # reps in every set before a bodyweight exercise takes added weight
GRADUATION_REPS = 8  # the beginner's all-out set that earns the full upper day
SAME_WEIGHT_KG = 0.5  # closer than this is the same weight (1 lb is 0.45 kg)
_LB = float(KG_PER_LB)

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


def step_kg(exercise: Exercise, units: Units = Units.KG) -> float:
    """The exercise's load step, in kg, as plates come in the user's unit."""
    step = exercise.load_step_kg
    if units is Units.KG or step == 0:
        return step
    return max(1, round(step / _LB / 2.5)) * 2.5 * _LB


def floor_kg(exercise: Exercise, units: Units = Units.KG) -> float:
    """The lightest load: the empty bar, one step, or none on a bodyweight exercise."""
    if exercise.load is LoadKind.BARBELL:
        return BAR_KG if units is Units.KG else round(BAR_LB * _LB, 6)
    if exercise.load is LoadKind.BODYWEIGHT:
        return 0.0
    return step_kg(exercise, units)


def _load(s: LoggedSet) -> float:
    return s.weight_kg or 0.0


def _range(spec: SetSpec) -> str:
    if spec.reps_max is None:
        return "as many reps as you can"
    if spec.reps_max == spec.reps_min:
        return f"{spec.reps_min} reps"
    return f"{spec.reps_min}-{spec.reps_max} reps"


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


def _all_out(s: LoggedSet) -> bool:
    return (s.rpe is not None and s.rpe >= 10) or s.rir == 0


def next_reps(last: list[LoggedSet], targets: list[SetSpec], top: int | None = None) -> list[int]:
    """Each set's rep target: last time's reps in that set plus one, within its range."""
    out = []
    for i, t in enumerate(targets):
        high = top or t.reps_max or MAX_REPS
        if i >= len(last):
            out.append(min(t.reps_min, high))
            continue
        reps = last[i].reps if _all_out(last[i]) else last[i].reps + 1
        out.append(max(min(reps, high), min(t.reps_min, high)))
    return out


def working_sets(specs: list[SetSpec], logged: list[LoggedSet]) -> list[LoggedSet]:
    """A session's working sets: leading warm-ups dropped if more sets than working ones came."""
    warmups = 0
    for spec in specs:
        if spec.kind is not SetKind.WARMUP:
            break
        warmups += spec.count
    working = sum(s.count for s in specs if s.kind is not SetKind.WARMUP)
    return logged[min(warmups, max(0, len(logged) - working)) :]


# --- next time -----------------------------------------------------------------------------


def first_weight(exercise: Exercise, specs: list[SetSpec], units: Units = Units.KG) -> Suggestion:
    """The suggestion with no history: how to pick a starting weight."""
    targets = _targets(specs)
    top = targets[0].reps_max
    if exercise.load is LoadKind.NONE:
        return _suggest(targets, None, "same", "Nothing to load here: do it as written.")
    if top is None:
        text = "Do one set of as many clean reps as you can, and log it."
    elif exercise.load is LoadKind.BODYWEIGHT:
        text = (
            f"Start with bodyweight only: as many clean reps as you can in each set, up to "
            f"{BODYWEIGHT_TOP}, and log them."
        )
    elif exercise.assisted:
        text = (
            f"No history yet: pick the assistance that lets you do {top} clean reps (more "
            f"counterweight means more help), and log your sets."
        )
    else:
        bar = show_weight(floor_kg(exercise, units), units)
        empty = (
            f" (the empty bar, {bar}, is the lightest)" if exercise.load is LoadKind.BARBELL else ""
        )
        text = (
            f"No history yet: pick a weight you can lift for {top} reps with good form{empty}, "
            f"and log your sets."
        )
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
        return _suggest(targets, None, "same", "Nothing to load here: do it as written.")
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
        text = (
            f"Nothing logged yet at {show_weight(current, units)}: do {len(targets)} sets of "
            f"{_range(targets[0])} and log them."
        )
        return _suggest(targets, current, "same", text)
    last = sessions[-1]
    if all(t.reps_max is None for t in targets):
        best = max(s.reps for s in last)
        goal = min(best + 1, MAX_REPS)
        text = f"Your best set was {best} reps: go for {goal} next time."
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
        text = (
            f"All {n} sets reached {enough} reps, so add weight: "
            f"+{show_weight(step, units)} on a belt next time, for {_range(targets[0])}."
        )
        return _suggest(targets, step, "add-weight", text)
    lowest = min(s.reps for s in done)
    goal = min(lowest + 1, enough)
    logged = f"{len(done)} of {n} sets logged, lowest" if len(done) < n else "Your lowest set was"
    text = (
        f"{logged} {lowest} reps: aim for {goal} in every set; at {enough} in every "
        f"set you start adding weight."
    )
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
    top = f"{tops.pop()} reps" if len(tops) == 1 else "the top of its range"
    streak = 0
    for session in reversed(sessions):
        if not (_at_weight(session, current) and _below(session, targets)):
            break
        streak += 1
    if len(topped) == n and all(topped) and current + step <= MAX_WEIGHT_KG:
        new = current + step
        text = (
            f"All {n} sets hit {top}, so add {show_weight(step, units)}: "
            f"{plus}{show_weight(new, units)} next time."
        )
        return _suggest(targets, new, "up", text)
    if streak >= 2:
        bottom, reps = next(
            (t.reps_min, s.reps) for s, t in zip(last, targets, strict=False) if s.reps < t.reps_min
        )
        why = f"Two sessions in a row had a set under {bottom} reps (last time {reps})"
        new = current - step
        if new < floor_kg(exercise, units) - SAME_WEIGHT_KG / 10:
            text = f"{why}, but {plus}{shown} is the lightest: stay there and build the reps back."
            return _suggest(targets, current, "same", text, streak=streak)
        after = f"{plus}{show_weight(new, units)}" if new > 0 else "bodyweight only"
        text = f"{why}, so drop {show_weight(step, units)}: {after} next time."
        return _suggest(targets, new, "down", text)
    if streak == 1:
        bottom = min(t.reps_min for t in targets)
        text = (
            f"A set fell under {bottom} reps: stay at {plus}{shown}; if that happens again "
            f"next time, the weight comes down {show_weight(step, units)}."
        )
        return _suggest(
            targets, current, "same", text, streak=1, per_set=_reps_at(last, current, targets)
        )
    text = f"{sum(topped)} of {n} sets hit {top} at {plus}{shown}: stay there until every set does."
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
        text = f"Nothing logged yet with {shown} of help: do {n} sets of {_range(targets[0])}."
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
            text = (
                f"All {n} sets hit the top with {shown} of help, the least the machine gives: "
                f"time to move on to strict pull-ups (or stay here until they come)."
            )
            return _suggest(targets, current, "strict", text)
        text = (
            f"All {n} sets hit the top, so take {show_weight(step, units)} of help away: "
            f"{show_weight(new, units)} of assistance next time."
        )
        return _suggest(targets, new, "up", text)
    if streak >= 2 and current + step <= MAX_WEIGHT_KG:
        new = current + step
        text = (
            f"Two sessions in a row had a set under the range, so add "
            f"{show_weight(step, units)} of help: {show_weight(new, units)} next time."
        )
        return _suggest(targets, new, "down", text)
    text = f"{sum(topped)} of {n} sets hit the top with {shown} of help: stay there until all do."
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
    return (
        f"{max_set_reps} clean pull-ups in one set: you have reached {threshold}! From now on "
        f"the upper day has full pull-up sets instead of the single all-out set."
    )
