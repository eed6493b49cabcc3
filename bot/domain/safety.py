"""The safety rules every entry point asks: may this user train, may they do this exercise,
may they train today, and what today's back check means. Pure: no I/O, no clock."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.accounts import Units
from bot.domain.calendar import MIN_GAP_DAYS, other_kind
from bot.domain.models import (
    Condition,
    DayKind,
    Exercise,
    Library,
    LoadKind,
    Outcome,
    Plan,
    Profile,
    Property,
)
from bot.domain.progression import BAR_LB, step_kg
from bot.domain.screening import HEALTH_CHECK, PAIN_NOW, RED_FLAG, screen
from bot.domain.sessions import PauseReason
from bot.domain.weights import KG_PER_LB
from bot.i18n import _, format_long_day, ngettext

BAR_KG = 20.0  # the lightest a barbell gets
BACK_CHECK_WINDOW = 3  # pain on 2 of the last 3 checks: see a doctor
BACK_CHECK_PAIN_LIMIT = 2


# --- may this user train at all? ----------------------------------------------------------


class Block(StrEnum):
    """Why a user may not start a loaded session."""

    NO_PROGRAM = "no-program"  # set-up not finished
    URGENT = "urgent"  # a red flag: medical help now
    REFERRED = "referred"  # pain today, the health check, or a referring condition
    MEDICAL_PAUSE = "medical-pause"  # a red flag at a back check: paused until cleared


@dataclass(frozen=True)
class Gate:
    """Whether the user may train; when not, why and how to come back, in plain words."""

    block: Block | None
    text: str = ""
    offer_checkin: bool = False  # pain today: the bot may check in again in a few days

    @property
    def open(self) -> bool:
        """True when a loaded session may start."""
        return self.block is None


def gate(plan: Plan | None, paused: PauseReason | None, library: Library) -> Gate:
    """The one check before any loaded session, schedule set-up or reminder."""
    msg = library.safety.messages
    if plan is not None and plan.outcome is Outcome.REFER:
        codes = {r.code for r in plan.reasons}
        if RED_FLAG in codes:
            return Gate(Block.URGENT, f"{msg.urgent}\n\n{msg.urgent_back}")
        if PAIN_NOW in codes:
            return Gate(Block.REFERRED, f"{msg.pain_now}\n\n{msg.pain_back}", offer_checkin=True)
        if HEALTH_CHECK in codes:
            return Gate(Block.REFERRED, f"{msg.health}\n\n{msg.health_back}")
        why = "\n\n".join(r.text for r in plan.reasons if r.code == "refer")
        return Gate(Block.REFERRED, f"{why}\n\n{msg.condition_back}".strip())
    if paused is PauseReason.MEDICAL:
        return Gate(Block.MEDICAL_PAUSE, library.safety.back_check.red_flag_note)
    if plan is None or not plan.days:
        return Gate(Block.NO_PROGRAM, _("You have no program yet. Send /start to get one."))
    return Gate(None)


# --- may this user do this exercise? ------------------------------------------------------


@dataclass(frozen=True)
class RuleCheck:
    """What the user's answers say about one exercise."""

    exercise: Exercise
    ruled_out: tuple[tuple[Condition, frozenset[Property]], ...]  # hard rules of conditions
    excluded: bool  # the user said it gives them discomfort or pain
    words: str  # plain words for what the conditions rule out

    @property
    def allowed(self) -> bool:
        """Neither a condition nor the user's own answers rule it out."""
        return not self.ruled_out and not self.excluded

    @property
    def reason(self) -> str:
        """Why it is not for this user, in one plain clause ('' when allowed)."""
        if self.ruled_out:
            names = _(" and ").join(c.name.split(" (")[0].lower() for c, _c in self.ruled_out)
            return _("with {conditions}, avoid {what}").format(conditions=names, what=self.words)
        if self.excluded:
            return _("you said it gives you discomfort")
        return ""


def check_exercise(exercise: Exercise, profile: Profile, library: Library) -> RuleCheck:
    """The conditions' rules and the user's exclusions for one exercise."""
    screening = screen(profile, library)
    hits = tuple(screening.ruled_out_by(exercise))
    props: set[Property] = set()
    for _exercise, clash in hits:
        props |= clash
    return RuleCheck(
        exercise=exercise,
        ruled_out=hits,
        excluded=exercise.id in profile.excluded,
        words=library.safety.words(props),
    )


# --- may this user train today? -----------------------------------------------------------


@dataclass(frozen=True)
class TrainToday:
    """Which day of the split fits today without breaking the rest rule, or why none does."""

    kind: DayKind | None
    why: str


def last_session(
    planned_last: date | None, planned_next: DayKind, workout: tuple[date, DayKind] | None
) -> tuple[date | None, DayKind]:
    """The last session and whose turn it is, from the plan's record and the last workout.

    A workout newer than the plan's record (trained outside the plan) wins.
    """
    if workout is not None and (planned_last is None or workout[0] > planned_last):
        return workout[0], other_kind(workout[1])
    return planned_last, planned_next


def train_today(last_done: date | None, next_kind: DayKind, today: date) -> TrainToday:
    """'Train now': only when the last session of either kind is at least 3 days back.

    The split alternates, so the day offered is the one whose turn it is; the safer reading of
    the rule keeps 3 days between any two sessions, whatever their kind.
    """
    if last_done is None:
        return TrainToday(next_kind, "")
    gap = (today - last_done).days
    if gap >= MIN_GAP_DAYS:
        return TrainToday(next_kind, "")
    if gap <= 0:
        why = _("You already trained your back today. Rest now; your back grows between sessions.")
    else:
        free = last_done.toordinal() + MIN_GAP_DAYS
        when = date.fromordinal(free)
        why = (
            ngettext(
                "Your last session was {n} day ago.", "Your last session was {n} days ago.", gap
            ).format(n=gap)
            + " "
            + _(
                "Your back needs at least {days} days between sessions. "
                "The next one fits from {when}."
            ).format(days=MIN_GAP_DAYS, when=format_long_day(when))
        )
    return TrainToday(None, why)


# --- the pre-session back check -----------------------------------------------------------


class BackFeeling(StrEnum):
    """The answers to 'how is your back today?'."""

    FINE = "fine"
    STIFF = "stiff"
    HURTS = "hurts"
    RED_FLAG = "red-flag"


@dataclass(frozen=True)
class BackDecision:
    """What today's answer means for today's session."""

    train: bool  # a session may start
    light: bool  # a lighter session
    postpone: bool  # move today's session under the rest rule
    pause: bool  # pause reminders until a doctor clears the user
    see_doctor: bool  # pain keeps coming back: suggest a doctor and re-screening


SEVERITY = [BackFeeling.FINE, BackFeeling.STIFF, BackFeeling.HURTS, BackFeeling.RED_FLAG]


def worst_per_day(answers: Sequence[tuple[date, BackFeeling]], today: date) -> list[BackFeeling]:
    """One answer per earlier day (its worst), oldest first; today's own answers count as one
    with today's new answer, so a repeated tap never counts twice."""
    days: dict[date, BackFeeling] = {}
    for on, feeling in answers:
        if on != today:
            worst = days.get(on, BackFeeling.FINE)
            days[on] = max(worst, feeling, key=SEVERITY.index)
    return [days[d] for d in sorted(days)]


def decide(feeling: BackFeeling, earlier: Sequence[BackFeeling]) -> BackDecision:
    """Today's answer, with the earlier answers (newest last) for the pain pattern."""
    recent = [*earlier, feeling][-BACK_CHECK_WINDOW:]
    pain = sum(f in (BackFeeling.HURTS, BackFeeling.RED_FLAG) for f in recent)
    hurts = feeling in (BackFeeling.HURTS, BackFeeling.RED_FLAG)
    return BackDecision(
        train=not hurts,
        light=feeling is BackFeeling.STIFF,
        postpone=hurts,
        pause=feeling is BackFeeling.RED_FLAG,
        see_doctor=feeling is BackFeeling.HURTS and pain >= BACK_CHECK_PAIN_LIMIT,
    )


def light_weight(
    exercise: Exercise, weight_kg: float | None, share: float, units: Units = Units.KG
) -> float | None:
    """The weight for a stiff day: `share` of usual, or warm-up weight under axial load;
    on an assisted machine, usual / `share` of help instead.

    Rounded DOWN to the exercise's load step in the user's units (lighter is the safer side);
    never below the lightest the equipment allows (the empty bar, one step), and added weight on
    a bodyweight exercise may go down to none.
    """
    if weight_kg is None or weight_kg <= 0 or exercise.load is LoadKind.NONE:
        return weight_kg
    step = step_kg(exercise, units) or 1.0
    if exercise.assisted:  # the weight helps: a lighter day is more help, rounded up
        return round(math.ceil(round(weight_kg / share / step, 9)) * step, 6)
    wanted = weight_kg * (0.5 if Property.AXIAL_LOAD in exercise.properties else share)
    rounded = math.floor(round(wanted / step, 9)) * step
    if exercise.load is LoadKind.BODYWEIGHT:
        return round(rounded, 6) or None
    bar = BAR_KG if units is Units.KG else round(BAR_LB * float(KG_PER_LB), 6)
    floor = bar if exercise.load is LoadKind.BARBELL else step
    return round(min(max(rounded, floor), weight_kg), 6)
