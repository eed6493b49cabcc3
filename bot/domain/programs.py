"""Program generation: a screened profile becomes a two-day back program, deterministically."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.models import (
    DayKind,
    Exercise,
    GoalEmphasis,
    Library,
    LoadKind,
    Outcome,
    Pattern,
    Plan,
    PlannedDay,
    PlannedExercise,
    Profile,
    Property,
    Reason,
    SetKind,
    SetSpec,
    Slot,
    Template,
)
from bot.domain.screening import Screening, UnknownIdError, block_reason, screen
from bot.i18n import _

WEEKS = range(1, 9)
SOLO_REST_S = 90  # rest after a former superset member that now stands alone


def build_plan(profile: Profile, library: Library, week: int = 1) -> Plan:
    """Screen the profile and, unless it is referred, generate its program for a rotation week."""
    if week not in WEEKS:
        raise ValueError(f"week must be 1-8, got {week}")
    for ex_id in profile.excluded:
        if ex_id not in library.exercises:
            raise UnknownIdError("exercise", ex_id, library.exercises)
    screening = screen(profile, library)
    if screening.outcome is Outcome.REFER:
        return Plan(
            outcome=screening.outcome,
            reasons=list(screening.reasons),
            template=None,
            week=week,
            days=[],
        )
    if profile.goal is None or profile.level is None or profile.pullups is None:
        raise ValueError("a program needs the goal, the level and the pull-ups answered")
    return _Generator(profile, library, screening, week).run()


def choose_template(
    profile: Profile, library: Library, screening: Screening, week: int
) -> tuple[Template, Reason | None]:
    """The template a condition calls for, else the one serving this level and week."""
    for cond in screening.conditions:
        if cond.program is not None:
            t = library.templates[cond.program]
            return t, Reason(
                code="template",
                condition=cond.id,
                text=_("Because of {condition}, you get the {template}: {description}").format(
                    condition=cond.name.lower(), template=t.name.lower(), description=t.description
                ),
            )
    for t in library.templates.values():
        if profile.level in t.levels and week in t.weeks:
            return t, None
    raise LookupError(f"no template serves level {profile.level} in week {week}")


def is_beginner_path(profile: Profile, library: Library) -> bool:
    """Whether the profile gets the beginner pull-up path."""
    return (profile.pullups or 0) < library.rules.beginner_pullups


@dataclass
class _Generator:
    profile: Profile
    library: Library
    screening: Screening
    week: int
    reasons: list[Reason] = field(default_factory=list)
    no_working_sets: frozenset[str] = frozenset()  # the beginner's pull-ups: one max set only
    goal_names: list[str] = field(default_factory=list)  # what the goal actually changed
    max_test: PlannedExercise | None = None  # the beginner's all-out set, if it survived

    @property
    def emphasis(self) -> GoalEmphasis | None:
        return next((e for e in self.library.rules.emphasis if e.goal is self.profile.goal), None)

    @property
    def avoid(self) -> frozenset[Property]:
        return self.emphasis.avoid if self.emphasis else frozenset()

    def run(self) -> Plan:
        template, why = choose_template(self.profile, self.library, self.screening, self.week)
        self.reasons.extend(self.screening.reasons)
        if why:
            self.reasons.append(why)
        beginner = is_beginner_path(self.profile, self.library)
        if beginner:
            self.no_working_sets = frozenset(self.library.rules.pullup_family)
        days = [self._day(d.kind, list(d.slots), beginner) for d in template.days]
        # The notes describe what the program ended up with, never what was meant to be there.
        if self.emphasis and self.goal_names:
            names = _join(list(dict.fromkeys(self.goal_names)))
            text = self.emphasis.explanation.format(exercises=names)
            self.reasons.append(Reason(code="goal", text=text))
        if beginner:
            n = self.library.rules.beginner_pullups
            if self.max_test is None:
                text = _(
                    "With fewer than {n} strict pull-ups, pulldowns take the pull-ups' place."
                ).format(n=n)
            else:
                text = _(
                    "With fewer than {n} strict pull-ups, pulldowns take the pull-ups' place, and "
                    "each upper day opens with one all-out set ({exercise}) until you reach {n}."
                ).format(n=n, exercise=self.max_test.exercise.name.lower())
            self.reasons.append(Reason(code="beginner-path", text=text))
        return Plan(
            outcome=self.screening.outcome,
            reasons=self.reasons,
            template=template.id,
            week=self.week,
            days=days,
        )

    # --- one day ---------------------------------------------------------------------------

    def _day(self, kind: DayKind, slots: list[Slot], beginner: bool) -> PlannedDay:
        rules = self.library.rules
        max_test: Slot | None = None
        if kind is DayKind.UPPER and beginner:
            slots, max_test = self._beginner_upper(slots)
        extras = list(self.emphasis.extra.get(kind, [])) if self.emphasis else []
        slots = slots + extras

        used: set[str] = set()
        main: list[PlannedExercise] = []
        for slot in slots:
            planned = self._resolve(slot, used)
            if planned is not None:
                main.append(planned)
                if _counts(planned):
                    used.add(planned.exercise.id)
                if any(slot is x for x in extras) or planned.sets != list(slot.sets):
                    self.goal_names.append(planned.exercise.name)
        if max_test is not None:
            test = self._resolve_max_test(max_test)
            if test is not None:
                self.max_test = test
                main.insert(_first_work_index(main), test)
        main = _regroup(main)

        # Lower-back isolation comes last, after every other exercise of the day.
        lower_back = [p for p in main if p.exercise.pattern is Pattern.SPINAL_EXTENSION]
        main = [p for p in main if p.exercise.pattern is not Pattern.SPINAL_EXTENSION] + lower_back
        if not main:
            self.reasons.append(
                Reason(
                    code="empty-day",
                    text=(
                        _(
                            "Nothing is left for the upper day with these answers and this "
                            "equipment; change what you left out, or ask a trainer for options."
                        )
                        if kind is DayKind.UPPER
                        else _(
                            "Nothing is left for the lower day with these answers and this "
                            "equipment; change what you left out, or ask a trainer for options."
                        )
                    ),
                )
            )
        opening = self._general(rules.warmup.get(kind, []))
        closing = self._general(rules.stretch)
        return PlannedDay(kind=kind, exercises=opening + main + closing)

    def _beginner_upper(self, slots: list[Slot]) -> tuple[list[Slot], Slot]:
        """Drop pull-up work, make sure working pulldowns are there, and add the max test."""
        rules = self.library.rules
        family = set(rules.pullup_family)
        kept: list[Slot] = []
        removed_work_at: int | None = None
        for slot in slots:
            if slot.exercise in family:
                if removed_work_at is None:
                    removed_work_at = len(kept)
                continue
            kept.append(slot)
        replacement = rules.beginner_pullup_replacement
        has_pulldown_work = any(
            s.exercise == replacement.exercise and _has_work(s.sets) for s in kept
        )
        if removed_work_at is not None and not has_pulldown_work:
            kept.insert(removed_work_at, replacement)
        return kept, rules.pullup_max_set

    def _resolve_max_test(self, slot: Slot) -> PlannedExercise | None:
        """The beginner's max set uses a bodyweight pull-up or is left out, never a substitute."""
        ex = self.library.exercises[slot.exercise]
        family = self.library.rules.pullup_family
        candidates = [ex] + [
            self.library.exercises[a]
            for a in ex.alternatives
            if a in family and Property.ADDED_LOAD not in self.library.exercises[a].properties
        ]
        why = block_reason(ex, self.screening, self.profile)
        for cand in candidates:
            if block_reason(cand, self.screening, self.profile) is None:
                if cand.id != ex.id:
                    text = _("Your all-out pull-up set uses {name} instead: {why}.").format(
                        name=cand.name, why=why
                    )
                    self._note("replaced", ex, text)
                return _planned(cand, slot, replaces=None if cand.id == ex.id else ex.id)
        self._note("dropped", ex, _("The all-out pull-up set is left out: {why}.").format(why=why))
        return None

    def _resolve(self, slot: Slot, used: set[str]) -> PlannedExercise | None:
        """Keep the slot's exercise if allowed, else the best allowed stand-in, else drop it."""
        ex = self.library.exercises[slot.exercise]
        sets = self._sets_for(ex, slot)
        work = _has_work(sets)
        why = block_reason(ex, self.screening, self.profile, self.avoid)
        if why is None and not (work and ex.id in used):
            return _planned(ex, slot, sets=sets)
        for cand in self._candidates(ex):
            if cand.id in self.no_working_sets or (work and cand.id in used):
                continue
            if not work and cand.load is LoadKind.BODYWEIGHT and ex.load is not LoadKind.BODYWEIGHT:
                continue  # light warm-up sets need a weight you can set, not your bodyweight
            if block_reason(cand, self.screening, self.profile, self.avoid) is None:
                if why is None:  # only avoiding a repeat within the day: nothing to explain
                    return _planned(cand, slot, sets=self._sets_for(cand, slot))
                text = _("{name} is swapped for {other}: {why}.").format(
                    name=ex.name, other=cand.name, why=why
                )
                self._note("replaced", ex, text)
                return _planned(cand, slot, sets=self._sets_for(cand, slot), replaces=ex.id)
        if why is not None:
            text = _("{name} is left out, with no safe stand-in: {why}.").format(
                name=ex.name, why=why
            )
            self._note("dropped", ex, text)
        return None

    def _candidates(self, ex: Exercise) -> list[Exercise]:
        """Stand-ins of the same pattern and day: the listed alternatives first, then the rest."""
        listed = [self.library.exercises[a] for a in ex.alternatives]
        rest = sorted(
            (
                e
                for e in self.library.exercises.values()
                if e.pattern is ex.pattern
                and e.day is ex.day
                and e.id != ex.id
                and e.id not in ex.alternatives
            ),
            key=lambda e: e.id,
        )
        return listed + rest

    def _sets_for(self, ex: Exercise, slot: Slot) -> list[SetSpec]:
        if self.emphasis and ex.pattern in self.emphasis.sets_by_pattern and _has_work(slot.sets):
            return list(self.emphasis.sets_by_pattern[ex.pattern])
        return list(slot.sets)

    def _general(self, slots: list[Slot]) -> list[PlannedExercise]:
        """Warm-up and stretching items: conditions and exclusions still apply."""
        out: list[PlannedExercise] = []
        used: set[str] = set()
        for slot in slots:
            planned = self._resolve(slot, used)
            if planned is not None and planned.exercise.id not in used:
                used.add(planned.exercise.id)
                out.append(planned)
        return out

    def _note(self, code: str, ex: Exercise, text: str) -> None:
        reason = Reason(code=code, exercise=ex.id, text=text)
        if reason not in self.reasons:
            self.reasons.append(reason)


def _join(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _has_work(sets: list[SetSpec]) -> bool:
    return any(s.kind is not SetKind.WARMUP for s in sets)


def _counts(p: PlannedExercise) -> bool:
    return _has_work(p.sets)


def _planned(
    ex: Exercise, slot: Slot, sets: list[SetSpec] | None = None, replaces: str | None = None
) -> PlannedExercise:
    return PlannedExercise(
        exercise=ex,
        sets=list(slot.sets) if sets is None else sets,
        rest_s=slot.rest_s,
        group=slot.group,
        note=slot.note,
        replaces=replaces,
    )


def _first_work_index(main: list[PlannedExercise]) -> int:
    for i, p in enumerate(main):
        if _has_work(p.sets):
            return i
    return len(main)


def _regroup(main: list[PlannedExercise]) -> list[PlannedExercise]:
    """A superset left with one exercise after swaps and drops is just a straight set."""
    sizes: dict[str, int] = {}
    for p in main:
        if p.group:
            sizes[p.group] = sizes.get(p.group, 0) + 1
    return [
        p.model_copy(update={"group": None, "rest_s": max(p.rest_s, SOLO_REST_S)})
        if p.group and sizes[p.group] < 2
        else p
        for p in main
    ]


def pain_alternatives(
    exercise_id: str, profile: Profile, library: Library, taken: frozenset[str] = frozenset()
) -> list[Exercise]:
    """After an exercise hurt: allowed exercises of the same day that move differently.

    Same rules as generation (conditions, exclusions, equipment, the goal's preferences, the
    beginner path), and more: nothing that loads or bends the spine, nothing sudden or twisting,
    no hinges or back extensions (content/safety.toml). `taken` are today's exercises.
    """
    hurt = library.exercises[exercise_id]
    screening = screen(profile, library)
    beginner = set(library.rules.pullup_family) if is_beginner_path(profile, library) else set()
    emphasis = next((e for e in library.rules.emphasis if e.goal is profile.goal), None)
    after = library.safety.back_check
    avoid = after.after_pain_avoid | (emphasis.avoid if emphasis else frozenset())
    patterns = list(Pattern)
    out = [
        e
        for e in library.exercises.values()
        if e.day is hurt.day
        and e.pattern is not hurt.pattern
        and e.pattern not in after.after_pain_skip_patterns
        and not e.properties & avoid
        and e.id not in taken
        and e.id not in beginner
        and block_reason(e, screening, profile) is None
    ]
    return sorted(out, key=lambda e: (patterns.index(e.pattern), e.name))


def allowed_alternatives(exercise_id: str, profile: Profile, library: Library) -> list[Exercise]:
    """Exercises of the same pattern and day that this profile may do instead, best first.

    The same rules as generation apply: conditions, exclusions and equipment.
    """
    ex = library.exercises[exercise_id]
    screening = screen(profile, library)
    listed = [library.exercises[a] for a in ex.alternatives]
    rest = sorted(
        (
            e
            for e in library.exercises.values()
            if e.pattern is ex.pattern and e.day is ex.day and e.id != ex.id and e not in listed
        ),
        key=lambda e: e.id,
    )
    beginner = set(library.rules.pullup_family) if is_beginner_path(profile, library) else set()
    return [
        e
        for e in listed + rest
        if block_reason(e, screening, profile) is None and e.id not in beginner
    ]
