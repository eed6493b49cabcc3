"""Logging a typed set mid-workout: one read, the coaching core, one write, and what to show."""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.domain import progression
from bot.domain import workouts as wk
from bot.domain.accounts import Units
from bot.domain.logged import LoggedSet, Source
from bot.domain.lognames import other_exercise, read_log_line
from bot.domain.models import Exercise, Library, SetKind
from bot.domain.safety import RuleCheck
from bot.domain.setlog import ParsedLine, SetLogError, parse_line
from bot.domain.starts import as_logged, needs_weight, planned_sets
from bot.domain.targets import Target
from bot.domain.weights import parse_weight
from bot.domain.workouts import Workout, WorkoutItem
from bot.services import logged, targets
from bot.services.cards import Card, build_card
from bot.services.summary import Summary
from bot.services.workouts import Logged, Workouts
from bot.storage import logstate
from bot.storage.logs import LogRepo
from bot.storage.logstate import LogState, SetWrite
from bot.storage.workouts import NewSet

# A tick-off item answered by text, in English or Russian.
DONE_WORDS = {
    *("done", "ok", "okay", "yes", "next", "+"),
    *("готово", "ок", "да", "дальше", "сделал", "сделала"),
}


@dataclass(frozen=True)
class Rest:
    """The exercise has sets to go: rest, then the next set."""

    workout: Workout
    logged: int
    needed: int
    rest_s: int


Next = Rest | Card | Summary  # what follows a logged set: rest, the next card, or the summary


@dataclass(frozen=True)
class SetLogged:
    """The sets were understood and saved."""

    logged: Logged
    units: Units
    next: Next


@dataclass(frozen=True)
class Unreadable:
    """The line could not be read; nothing was saved."""

    problem: str
    example: str
    other: Exercise | None  # the line names another exercise of the library
    current: Exercise


@dataclass(frozen=True)
class Repeated:
    """This message was logged before (a redelivery or a retry): not saved twice."""

    exercise: Exercise
    sets: list[LoggedSet]
    units: Units


@dataclass(frozen=True)
class WeightNeeded:
    """Sets typed with no load for a loaded exercise: ask for the weight."""

    asked: logged.NeedsWeight


@dataclass(frozen=True)
class RuledOut:
    """The answers changed mid-session: these exercises were taken out; nothing was logged."""

    dropped: list[RuleCheck]
    next: Card | Summary


@dataclass(frozen=True)
class TickedOff:
    """A warm-up or stretch was marked done by text."""

    next: Card | Summary


@dataclass(frozen=True)
class TapDone:
    """Text on a tick-off item that isn't 'done': say which buttons to tap."""


@dataclass(frozen=True)
class FirstWeight:
    """A lone weight typed while the card waits for a first weight: it is today's target."""

    card: Card


@dataclass(frozen=True)
class NoWorkout:
    """No workout is in progress."""


Typed = (
    SetLogged
    | Unreadable
    | Repeated
    | WeightNeeded
    | RuledOut
    | TickedOff
    | TapDone
    | FirstWeight
    | NoWorkout
)


@dataclass(frozen=True)
class NoPlan:
    """'Done as planned' with no weight or reps to plan from yet: the sets must be typed."""

    exercise: Exercise


Planned = SetLogged | Repeated | TickedOff | NoPlan | NoWorkout


@dataclass(frozen=True)
class Recording:
    """What recording sets on the current item changes, worked out before anything is written."""

    updated: Workout
    sets: list[LoggedSet]
    logs: list[NewSet]
    first_target: Target | None  # the first weight lifted becomes the target
    max_reps: int | None  # the best all-out set, when the item is an all-out one


def plan_record(
    library: Library,
    units: Units,
    workout: Workout,
    sets: list[LoggedSet],
    stored: Target | None,
) -> Recording:
    """The sets as the current exercise means them, with the targets they were done against."""
    item = workout.current
    assert item is not None
    exercise = library.exercises[item.exercise_id]
    sets = as_logged(exercise, sets)
    weights = [s.weight_kg for s in sets if s.weight_kg is not None and not s.added]
    first = None
    if needs_weight(exercise) and stored is None and weights and not workout.light:
        first = targets.first_at(library, units, item, max(weights))  # what was lifted first
    target = targets.fitted(first or stored, library, units, item, workout.light)
    aim = target.aim()
    max_item = any(s.kind is SetKind.MAX for s in item.sets)
    kind = SetKind.MAX if max_item else SetKind.WORKING
    if max_item:
        sets = [s.model_copy(update={"max_effort": True}) for s in sets]
    logs = [NewSet(exercise.id, kind, s, aim) for s in sets]
    best = max(s.reps for s in sets) if max_item else None
    return Recording(wk.record_sets(workout, len(sets)), sets, logs, first, best)


def read_sets(text: str, units: Units, exercise: Exercise, library: Library) -> ParsedLine:
    """The sets typed for the current exercise; 'pull-ups 4x8 bw' may name it too."""
    try:
        return parse_line(text, units)
    except SetLogError:
        line = read_log_line(text, list(library.exercises.values()), units)
        if line is None or exercise.id not in line.candidates:
            raise
        return ParsedLine(line.sets, line.weighed)


class SetLog:
    """The set-log use case over one read of the user's state and one write."""

    def __init__(self, workouts: Workouts) -> None:
        self.workouts = workouts
        self.db = workouts.workouts.db
        self.library = workouts.library
        self.clock = workouts.clock

    async def typed(self, user_id: int, text: str, source: Source | None = None) -> Typed:
        """A reply during a workout: the sets done on the current exercise, and what's next."""
        state = await logstate.load(self.db, user_id, source)
        workout = state.workout
        if workout is None or workout.current is None:
            return NoWorkout()
        dropped = logged.ruled_out(self.library, state.profile, workout)
        if dropped:  # the sets were meant for an exercise no longer allowed
            cleaned, _ = wk.skip_ruled_out(workout, {c.exercise.id for c in dropped})
            await logstate.write(
                self.db, SetWrite(cleaned, [], None, cleaned.position, self.clock())
            )
            return RuledOut(dropped, await self._card_or_end(state, cleaned))
        item = workout.current
        exercise = self.library.exercises[item.exercise_id]
        if item.tick_off:
            if text.strip().lower() not in DONE_WORDS:
                return TapDone()
            done = wk.tick_off(workout)
            await logstate.write(self.db, SetWrite(done, [], None, 0, self.clock()))
            return TickedOff(await self._card_or_end(state, done))
        if (first := await self._first_weight(state, workout, text)) is not None:
            return first
        if source is not None and (before := await self._repeat(state, source)) is not None:
            return Repeated(exercise, before, state.units)
        try:
            parsed = read_sets(text, state.units, exercise, self.library)
        except SetLogError as e:
            exercises = list(self.library.exercises.values())
            other = other_exercise(text, exercises, state.units, exercise.id)
            return Unreadable(
                e.problem, e.example, self.library.exercises[other] if other else None, exercise
            )
        if needs_weight(exercise) and not parsed.weighed:
            known = await self.workouts.known_weight(user_id, exercise.id)
            return WeightNeeded(logged.NeedsWeight(exercise, parsed.sets, known))
        return await self._record(state, workout, item, parsed.sets, source)

    async def as_planned(self, user_id: int, source: Source | None = None) -> Planned:
        """'Done as planned': log the remaining sets at their rep targets, or tick the item off."""
        state = await logstate.load(self.db, user_id, source)
        workout = state.workout
        if workout is None or workout.current is None:
            return NoWorkout()
        item = workout.current
        if item.tick_off:
            done = wk.tick_off(workout)
            await logstate.write(self.db, SetWrite(done, [], None, 0, self.clock()))
            return TickedOff(await self._card_or_end(state, done))
        stored = state.targets.get(item.exercise_id)
        target = targets.fitted(stored, self.library, state.units, item, workout.light)
        exercise = self.library.exercises[item.exercise_id]
        if not logged.plannable(exercise, item, target):
            return NoPlan(exercise)
        if source is not None and (before := await self._repeat(state, source)) is not None:
            return Repeated(exercise, before, state.units)
        sets = planned_sets(
            exercise, target.weight_kg, list(target.rep_targets), item.logged, item.needed
        )
        return await self._record(state, workout, item, sets, source)

    async def at_weight(
        self, user_id: int, sets: list[LoggedSet], weight_kg: float, source: Source
    ) -> SetLogged | NoWorkout:
        """Log sets that came without a weight, now that the lifter named it."""
        state = await logstate.load(self.db, user_id, None)
        workout = state.workout
        if workout is None or workout.current is None:
            return NoWorkout()
        weighed = [s.model_copy(update={"weight_kg": weight_kg, "added": False}) for s in sets]
        return await self._record(state, workout, workout.current, weighed, source)

    async def _record(
        self,
        state: LogState,
        workout: Workout,
        item: WorkoutItem,
        sets: list[LoggedSet],
        source: Source | None,
    ) -> SetLogged:
        stored = state.targets.get(item.exercise_id)
        rec = plan_record(self.library, state.units, workout, sets, stored)
        first = (item.exercise_id, rec.first_target) if rec.first_target else None
        change = SetWrite(rec.updated, rec.logs, source, workout.position, self.clock(), first)
        graduated = False
        if rec.max_reps is not None and progression.check_graduation(rec.max_reps):
            async with self.db.transaction():  # the new program commits with the sets
                source_id = await logstate.write(self.db, change)
                graduated = await self.workouts.graduate(workout.user_id, rec.max_reps)
        else:
            source_id = await logstate.write(self.db, change)
        exercise = self.library.exercises[item.exercise_id]
        done = Logged(rec.updated, exercise, rec.sets, graduated, source_id)
        now_on = rec.updated.current
        if now_on is not None and now_on.exercise_id == exercise.id and now_on.logged:
            rest = Rest(rec.updated, now_on.logged, now_on.needed, now_on.rest_s)
            return SetLogged(done, state.units, rest)
        if first is not None:  # the next card must see the target this log set
            state = _with_target(state, *first)
        return SetLogged(done, state.units, await self._card_or_end(state, rec.updated))

    async def _first_weight(
        self, state: LogState, workout: Workout, text: str
    ) -> FirstWeight | None:
        """A lone weight ('40') on a card that asks for a first weight sets it, and shows it."""
        item = workout.current
        assert item is not None
        exercise = self.library.exercises[item.exercise_id]
        stored = state.targets.get(item.exercise_id)
        if (
            not needs_weight(exercise)
            or targets.fitted(stored, self.library, state.units, item).weight_kg is not None
        ):
            return None
        kg = parse_weight(text, state.units)
        if kg is None:
            return None
        first = targets.first_at(self.library, state.units, item, kg)
        change = SetWrite(workout, [], None, 0, self.clock(), (item.exercise_id, first))
        await logstate.write(self.db, change)
        entries = state.recent.get(item.exercise_id, [])
        units, profile = state.units, state.profile
        return FirstWeight(build_card(self.library, workout, first, entries, profile, units))

    async def _card_or_end(self, state: LogState, workout: Workout) -> Card | Summary:
        """The card of the workout's current item from the state read, or its summary."""
        item = workout.current
        if item is None:
            return await self.workouts.end(workout.user_id, workout.id, early=False)
        entries = state.recent.get(item.exercise_id, [])
        stored = state.targets.get(item.exercise_id)
        return build_card(self.library, workout, stored, entries, state.profile, state.units)

    async def _repeat(self, state: LogState, source: Source) -> list[LoggedSet] | None:
        """The sets this message logged before, if it is a redelivery or a retry."""
        found, retry = logged.repeat_of(
            source, state.by_message, state.by_update, state.last_source, self.clock()
        )
        if found is None:
            return None
        if retry:
            await LogRepo(self.db).set_failed(found.id, False)  # only the first retry is absorbed
        return [e.set for e in found.entries]


def _with_target(state: LogState, exercise_id: str, target: Target) -> LogState:
    return replace(state, targets={**state.targets, exercise_id: target})
