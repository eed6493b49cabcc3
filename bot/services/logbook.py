"""The training log as a lifter uses it: undo, edits, history and records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain import calendar, records
from bot.domain import workouts as wk
from bot.domain.lognames import match_exercise, read_log_line
from bot.domain.models import Exercise, SetKind
from bot.domain.setlog import LoggedSet, ParsedLine, SetLogError, parse_line
from bot.domain.starts import as_logged, needs_weight
from bot.domain.targets import SetAim
from bot.domain.workouts import Workout, WorkoutStatus
from bot.i18n import N_, _
from bot.services.workouts import Workouts
from bot.storage.logs import SourceRow
from bot.storage.workouts import LoggedEntry, NewSet

HISTORY_WORKOUTS = 5
EXERCISE_DAYS = 10  # days shown by /history EXERCISE


class NotLogged(LookupError):
    """An edited message that had logged no sets (or whose sets were undone)."""


@dataclass(frozen=True)
class Undone:
    """What an undo removed, and the workout after it (None outside a workout)."""

    exercise: Exercise
    sets: list[LoggedSet]
    workout: Workout | None
    moved: bool  # the workout went back to the exercise the set belonged to


@dataclass(frozen=True)
class Edited:
    """What an edited message logged before and after."""

    exercise: Exercise
    before: list[LoggedSet]
    after: list[LoggedSet]
    workout: Workout | None  # the active workout after the change, if it was in one
    moved: bool = False  # the workout moved on (or back) to another exercise


@dataclass(frozen=True)
class DayLine:
    """One exercise's sets in a /history block."""

    name: str
    sets: list[LoggedSet]
    assisted: bool  # the weights are a machine's help, not load


@dataclass(frozen=True)
class Day:
    """One block of /history: a workout, or the sets logged outside one on a day."""

    on: date
    title: str
    lines: list[DayLine]
    ended_early: bool = False


@dataclass(frozen=True)
class DaySets:
    """One exercise's sets on one day (or in one workout)."""

    on: date
    sets: list[LoggedSet]


@dataclass(frozen=True)
class ExerciseLog:
    """/history NAME: the exercises the name may mean and, when it means one, its days."""

    candidates: list[str]
    days: list[DaySets]


@dataclass(frozen=True)
class ExerciseRecords:
    """An exercise's standing records, one line each."""

    name: str
    lines: list[str]


class Logbook:
    """Undo, edits, history and records over the workout use cases' storage."""

    def __init__(self, workouts: Workouts) -> None:
        self.svc = workouts
        self.library = workouts.library

    async def undo(self, user_id: int) -> Undone | None:
        """Remove the last set of the workout in progress, or else the last line logged outside."""
        svc, logs = self.svc, self.svc.logs
        now = svc.clock()
        active = await svc.workouts.active(user_id)
        if active is not None:
            last = await logs.last_in_workout(active.id)
            if last is None:
                return None
            index = _item_of(active, last)
            updated = active
            if index is not None and last.kind is not SetKind.WARMUP:
                updated = wk.adjust(active, index, -1)
            await logs.remove(user_id, [last.id], updated, now)
            moved = updated.position != active.position
            return Undone(self.library.exercises[last.exercise_id], [last.set], updated, moved)
        source = await logs.last_outside(user_id)
        if source is None:
            return None
        entries = await logs.entries_of(source.id)
        await logs.remove(user_id, [e.id for e in entries], None, now)
        return Undone(
            self.library.exercises[source.exercise_id], [e.set for e in entries], None, False
        )

    async def edit(
        self, sent_at: int, user_id: int, chat_id: int, message_id: int, text: str
    ) -> Edited:
        """Replace what an edited message logged (SetLogError: it stays as it was)."""
        source = await self.svc.logs.by_message(chat_id, message_id, sent_at)
        return await self.retype(user_id, source, text)

    async def source_of(self, user_id: int, source_id: int) -> SourceRow | None:
        """A log source of this user that still has sets."""
        logs = self.svc.logs
        source = await logs.by_id(source_id)
        if source is None or source.user_id != user_id or not await logs.entries_of(source_id):
            return None
        return source

    async def retype(self, user_id: int, source: SourceRow | None, text: str) -> Edited:
        """Replace what a message logged with the sets in `text` (SetLogError: unchanged)."""
        svc, logs = self.svc, self.svc.logs
        old = await logs.entries_of(source.id) if source is not None else []
        if source is None or source.user_id != user_id or not old:
            raise NotLogged(user_id)
        units = await svc.units(user_id)
        exercise_id, parsed = source.exercise_id, None
        if source.workout_id is None:
            line = read_log_line(text, list(self.library.exercises.values()), units)
            if line is not None and (exercise_id in line.candidates or len(line.candidates) == 1):
                exercise_id = exercise_id if exercise_id in line.candidates else line.candidates[0]
                parsed = ParsedLine(line.sets, line.weighed)
        if parsed is None:
            parsed = parse_line(text, units)
        exercise = self.library.exercises[exercise_id]
        sets = parsed.sets
        if needs_weight(exercise) and not parsed.weighed:
            weights = {e.set.weight_kg for e in old if not e.set.added}
            if len(weights) != 1 or None in weights:
                raise SetLogError(_("Add the weight to the sets."), "3x10 50")
            kg = weights.pop()
            sets = [s.model_copy(update={"weight_kg": kg, "added": False}) for s in sets]
        sets = as_logged(exercise, sets)
        kind = old[0].kind
        if kind is SetKind.MAX:
            sets = [s.model_copy(update={"max_effort": True}) for s in sets]
        stored = await svc.workouts.target(user_id, exercise.id)
        marks = stored.aim() if stored else SetAim()
        index = old[0].item_index
        updated, moved = None, False
        if source.workout_id is not None:
            workout = await svc.workouts.get(source.workout_id)
            if workout is not None and workout.status is WorkoutStatus.ACTIVE:
                index = _item_of(workout, old[0]) if index is None else index
                counted = len(sets) if kind is not SetKind.WARMUP else 0
                before = len(old) if kind is not SetKind.WARMUP else 0
                if index is not None:
                    updated = wk.adjust(workout, index, counted - before)
                    moved = updated.position != workout.position
        await logs.replace(
            source,
            [NewSet(exercise.id, kind, s, marks) for s in sets],
            index,
            updated,
            svc.clock(),
        )
        return Edited(exercise, [e.set for e in old], sets, updated, moved)

    async def history(self, user_id: int) -> list[Day]:
        """The last workouts and the days with sets logged outside one, newest first."""
        svc = self.svc
        tz = await svc.timezone(user_id)
        days: list[tuple[date, int, Day]] = []
        for workout in await svc.workouts.recent(user_id, HISTORY_WORKOUTS):
            entries = await svc.workouts.workout_entries(workout.id)
            # Marked here, translated where /history renders it.
            title = (
                N_("Upper back") if workout.kind.value == "upper" else N_("Lower and middle back")
            )
            early = workout.status is WorkoutStatus.ENDED_EARLY
            lines = self._per_exercise(entries)
            days.append((workout.on, workout.id, Day(workout.on, title, lines, early)))
        outside: dict[date, list[LoggedEntry]] = {}
        for entry in await svc.logs.outside(user_id):
            outside.setdefault(calendar.local_date(entry.logged_at, tz), []).append(entry)
        for on, entries in outside.items():
            day = Day(on, N_("Logged outside a session"), self._per_exercise(entries))
            days.append((on, -1, day))
        days.sort(key=lambda d: (d[0], d[1]), reverse=True)
        return [d for _, _, d in days]

    def _per_exercise(self, entries: list[LoggedEntry]) -> list[DayLine]:
        per: dict[str, list[LoggedSet]] = {}
        for e in entries:
            per.setdefault(e.exercise_id, []).append(e.set)
        out = []
        for exercise_id, sets in per.items():
            ex = self.library.exercises.get(exercise_id)
            out.append(DayLine(ex.name if ex else exercise_id, sets, bool(ex and ex.assisted)))
        return out

    async def of_exercise(self, user_id: int, name: str) -> ExerciseLog:
        """/history NAME: the exercises the name may mean; if one, its sets per day."""
        candidates = match_exercise(name, list(self.library.exercises.values()))
        if len(candidates) != 1:
            return ExerciseLog(candidates, [])
        tz = await self.svc.timezone(user_id)
        groups: dict[object, DaySets] = {}
        for e in await self.svc.workouts.entries(user_id, candidates[0]):
            on = calendar.local_date(e.logged_at, tz)
            key = e.workout_id if e.workout_id is not None else on
            groups.setdefault(key, DaySets(on, [])).sets.append(e.set)
        return ExerciseLog(candidates, list(groups.values())[-EXERCISE_DAYS:])

    async def records(self, user_id: int) -> list[ExerciseRecords]:
        """Each logged exercise's standing records, in library order."""
        units = await self.svc.units(user_id)
        per: dict[str, list[LoggedSet]] = {}
        for e in await self.svc.logs.everything(user_id):
            if e.kind is not SetKind.WARMUP:
                per.setdefault(e.exercise_id, []).append(e.set)
        out = []
        for exercise_id, exercise in self.library.exercises.items():
            if exercise_id in per:
                lines = records.standing(per[exercise_id], units, exercise.assisted)
                if lines:
                    out.append(ExerciseRecords(exercise.name, lines))
        return out


def _item_of(workout: Workout, entry: LoggedEntry) -> int | None:
    """The workout item a logged set belongs to (stored with the set; else by exercise)."""
    if entry.item_index is not None and 0 <= entry.item_index < len(workout.items):
        return entry.item_index
    matches = [
        i
        for i, item in enumerate(workout.items)
        if item.exercise_id == entry.exercise_id and item.logged > 0
    ]
    return matches[-1] if matches else None
