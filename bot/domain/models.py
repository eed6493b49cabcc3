"""Typed values of the coaching core: exercises, conditions, templates, profiles and programs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from bot.domain.vocabulary import (
    ConditionOutcome,
    DayKind,
    Equipment,
    Goal,
    Id,
    Level,
    LoadKind,
    Outcome,
    Pattern,
    Property,
    SetKind,
    Text,
)
from bot.i18n import _

# The vocabulary is imported from here across the code base; these are its re-exports.
__all__ = [
    "ConditionOutcome",
    "DayKind",
    "Equipment",
    "Goal",
    "Id",
    "Level",
    "LoadKind",
    "Outcome",
    "Pattern",
    "Property",
    "SetKind",
    "Text",
]


class Frozen(BaseModel):
    """Base for immutable values that reject unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --- content -----------------------------------------------------------------------------


class Cues(Frozen):
    """Technique cues for one exercise."""

    setup: list[Text] = Field(min_length=1)
    movement: list[Text] = Field(min_length=1)
    mistakes: list[Text] = Field(min_length=1)
    breathing: Text


class Exercise(Frozen):
    """One entry of the exercise library."""

    id: Id
    name: Text
    summary: Text
    primary_muscles: list[Text] = Field(min_length=1)
    secondary_muscles: list[Text] = []
    equipment: list[Equipment] = []
    pattern: Pattern
    day: DayKind | None = None  # None: warm-up and stretching items, used on both days
    properties: frozenset[Property] = frozenset()
    load: LoadKind
    load_step_kg: float = Field(ge=0, le=20)
    assisted: bool = False  # the weight is a counterweight that helps: less is harder
    start_kg: float | None = Field(default=None, gt=0, le=300)  # an intermediate's first weight
    alternatives: list[Id] = []  # preferred stand-ins of the same pattern, best first
    cues: Cues
    aliases: list[Text] = []  # other names it is logged by, the other language's among them

    @model_validator(mode="after")
    def _day_matches_pattern(self) -> Exercise:
        """Warm-up and stretch items belong to both days; every other exercise to exactly one."""
        general = self.pattern in (Pattern.WARMUP, Pattern.STRETCH)
        if general and self.day is not None:
            raise ValueError("warm-up and stretch items must not name a day")
        if not general and self.day is None:
            raise ValueError("a training exercise must name its day (upper or lower)")
        if (self.load is LoadKind.NONE) != (self.load_step_kg == 0):
            raise ValueError("load_step_kg is 0 exactly when load is 'none'")
        if self.assisted and self.load not in (LoadKind.MACHINE, LoadKind.CABLE):
            raise ValueError("only a machine or cable exercise can be assisted (a counterweight)")
        if self.start_kg is not None and self.load in (LoadKind.BODYWEIGHT, LoadKind.NONE):
            raise ValueError("start_kg is for loaded exercises only")
        return self


class Condition(Frozen):
    """A health condition from the screening questions, and what it means for training."""

    id: Id
    name: Text
    short: Text  # one plain line, shown next to the button
    summary: Text  # what it changes, in one line, shown with the program
    outcome: ConditionOutcome
    rules_out: frozenset[Property] = frozenset()
    explanation: Text  # what the user reads after screening
    advice: Text  # what to do about it
    program: Id | None = None  # a template this condition calls for (e.g. spine-sparing)

    @model_validator(mode="after")
    def _refer_or_restrict(self) -> Condition:
        """A restricting condition must restrict something; a referring one calls for no program."""
        if self.outcome is ConditionOutcome.RESTRICT and not self.rules_out:
            raise ValueError("a 'restrict' condition must rule out at least one property")
        if self.outcome is ConditionOutcome.REFER and self.program is not None:
            raise ValueError("a 'refer' condition gets no program")
        return self


class SetSpec(Frozen):
    """A block of identical sets: kind, how many, and the rep range."""

    kind: SetKind
    count: int = Field(ge=1, le=6)
    reps_min: int = Field(ge=1, le=30)
    reps_max: int | None = Field(default=None, ge=1, le=30)  # None: as many as possible

    @model_validator(mode="after")
    def _range(self) -> SetSpec:
        """A rep range reads low to high; only max-effort sets leave the top open."""
        if self.reps_max is None and self.kind is not SetKind.MAX:
            raise ValueError("only 'max' sets may leave reps_max open")
        if self.reps_max is not None and self.reps_max < self.reps_min:
            raise ValueError("reps_max must not be below reps_min")
        return self


class Slot(Frozen):
    """One exercise of a template day, with its sets and rest."""

    exercise: Id
    sets: list[SetSpec] = Field(min_length=1)
    rest_s: int = Field(ge=0, le=600)
    group: Id | None = None  # slots sharing a group are done as a superset or triset
    note: Text | None = None


class TemplateDay(Frozen):
    """One day of a template."""

    kind: DayKind
    slots: list[Slot] = Field(min_length=1)


class Template(Frozen):
    """A program template: a named two-day split."""

    id: Id
    name: Text
    description: Text
    levels: list[Level] = []  # empty: chosen only when a condition calls for it
    weeks: list[int] = [1, 2, 3, 4, 5, 6, 7, 8]  # the rotation weeks this variant serves
    days: list[TemplateDay] = Field(min_length=2, max_length=2)

    @model_validator(mode="after")
    def _upper_then_lower(self) -> Template:
        """Every template is the upper/lower split, upper first."""
        if [d.kind for d in self.days] != [DayKind.UPPER, DayKind.LOWER]:
            raise ValueError("days must be exactly [upper, lower]")
        return self


class Library(Frozen):
    """Everything in content/, validated and cross-checked."""

    exercises: dict[str, Exercise]
    conditions: dict[str, Condition]
    templates: dict[str, Template]
    rules: CoachingRules
    safety: SafetyContent


class Flag(Frozen):
    """One triage item: a red flag or a general health question, in one plain line."""

    id: Id
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    text: Text  # the full line, shown in the question


class SafetyMessages(Frozen):
    """What a referred user reads, and how they come back."""

    urgent: Text
    urgent_back: Text
    pain_now: Text
    pain_back: Text
    health: Text
    health_back: Text
    condition_back: Text
    not_a_doctor: Text
    checkin: Text


class BackCheckContent(Frozen):
    """The pre-session back check: its question, answers and what each answer leads to."""

    question: Text
    warning_signs: Text  # named in the question, so the warning-sign answer is recognised
    fine: Text
    stiff: Text
    hurts: Text
    red_flag: Text
    stiff_load: float = Field(gt=0.3, lt=1)
    after_pain_avoid: frozenset[Property]  # never offered as a stand-in after pain
    after_pain_skip_patterns: frozenset[Pattern]  # nor anything of these patterns
    stiff_note: Text
    hurts_note: Text
    hurts_moved: Text
    hurts_twice: Text
    red_flag_note: Text


class SafetyContent(Frozen):
    """Triage, the health check, the back check and plain words for exercise properties."""

    red_flag: list[Flag] = Field(min_length=1)
    health_check: list[Flag] = Field(min_length=1)
    messages: SafetyMessages
    back_check: BackCheckContent
    property_words: dict[Property, Text]

    @model_validator(mode="after")
    def _every_property_has_words(self) -> SafetyContent:
        """Every property a condition can rule out needs plain words to explain it."""
        missing = set(Property) - set(self.property_words)
        if missing:
            raise ValueError("no plain words for: " + ", ".join(sorted(missing)))
        return self

    def words(self, props: Iterable[Property]) -> str:
        """Plain words for a set of properties, in a stable order: 'a, b and c'."""
        parts = [self.property_words[p] for p in sorted(props)]
        if len(parts) <= 1:
            return "".join(parts)
        return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


class GoalEmphasis(Frozen):
    """What a goal changes in a program."""

    goal: Goal
    explanation: Text
    extra: dict[DayKind, list[Slot]] = {}  # slots added to the main part of a day
    avoid: frozenset[Property] = frozenset()  # swapped out where possible, dropped otherwise
    sets_by_pattern: dict[Pattern, list[SetSpec]] = {}  # e.g. heavy low-rep hinge for strength

    @model_validator(mode="after")
    def _names_what_it_changed(self) -> GoalEmphasis:
        """The note is filled with the exercises the goal really changed, never fixed names."""
        if "{exercises}" not in self.explanation:
            raise ValueError("explanation must contain {exercises}")
        return self


class CoachingRules(Frozen):
    """Numbers and choices from the articles that are not tied to one exercise."""

    beginner_pullups: int = Field(ge=1, le=30)  # fewer than this: the beginner path
    pullup_family: list[Id] = Field(min_length=1)  # bodyweight pull-ups and their weighted form
    pullup_max_set: Slot  # the beginner's one all-out set of strict pull-ups
    beginner_pullup_replacement: Slot  # pulldown working sets taking the pull-ups' place
    warmup: dict[DayKind, list[Slot]]
    stretch: list[Slot]
    emphasis: list[GoalEmphasis]
    working_reps_min: int
    working_reps_max: int


# --- profile and program -----------------------------------------------------------------


class Triage(Frozen):
    """The symptom triage and general health answers, asked before anything else."""

    red_flags: frozenset[str] = frozenset()
    pain_now: bool = False
    health_flags: frozenset[str] = frozenset()


class Profile(Frozen):
    """A user's answers: the input to screening and program generation.

    Goal, level and pull-ups are None only when triage referred the user before they were asked.
    """

    triage: Triage = Triage()
    goal: Goal | None = None
    level: Level | None = None
    pullups: int | None = Field(default=None, ge=0, le=100)
    conditions: frozenset[str] = frozenset()
    excluded: frozenset[str] = frozenset()  # exercise ids that cause discomfort
    equipment: frozenset[Equipment] | None = None  # None: a full gym


class Reason(Frozen):
    """One explained decision of screening or generation."""

    code: str
    text: str
    condition: str | None = None
    exercise: str | None = None


class PlannedExercise(Frozen):
    """An exercise in a generated program, with everything needed to do it."""

    exercise: Exercise
    sets: list[SetSpec]
    rest_s: int
    group: str | None = None
    note: str | None = None
    replaces: str | None = None  # the template exercise this one stands in for


class PlannedDay(Frozen):
    """One day of a generated program."""

    kind: DayKind
    exercises: list[PlannedExercise]


class Plan(Frozen):
    """Screening outcome, reasons and (unless referred) the program."""

    outcome: Outcome
    reasons: list[Reason]
    template: str | None
    week: int
    days: list[PlannedDay]


Library.model_rebuild()
