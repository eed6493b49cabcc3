"""Logging outside a guided workout, and routing free text: each use case is ONE unit of work.

A typed line ('deadlift 5x5 100'), a reply to a reminder, the 'which exercise?' pick and an
asked-for weight each read what they need, let the core decide, and write in one call into
the SQLite thread (Database.once): one commit per update, and one round trip besides the
update journal's. The thread part runs in the update's context, so any text the core words
is in the user's language; what only a reply needs (why a line could not be read, the safety
note) is still worked out on the event loop, after the unit returns.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from bot.clock import Clock
from bot.domain import safety
from bot.domain.accounts import IssuedProgram, Units
from bot.domain.logged import LoggedSet, Source
from bot.domain.lognames import LogLine, explain_log_line, read_log_line
from bot.domain.models import Exercise, Library
from bot.domain.safety import Block
from bot.domain.sessions import PauseReason
from bot.domain.setlog import SetLogError, parse_line, parse_sets
from bot.domain.setrender import render_sets
from bot.domain.starts import as_logged, needs_weight, starting_weights
from bot.domain.targets import SetAim
from bot.domain.weights import parse_weight
from bot.domain.workouts import is_general
from bot.services import logged
from bot.services.freelog_types import (
    AlreadyLogged,
    AskWeight,
    AskWhich,
    Caution,
    Closed,
    FreeLogged,
    NoProgram,
    NotALog,
    Unreadable,
)
from bot.services.onboarding import FLOW as ONBOARDING_FLOW
from bot.services.setfast import Quick, typed_on_thread
from bot.services.workouts import WEIGHT_FLOW, WeightQuestion
from bot.storage import freelog as store
from bot.storage.db import Database

__all__ = [
    "AlreadyLogged",
    "AskWeight",
    "AskWhich",
    "Caution",
    "Closed",
    "Elsewhere",
    "FreeLog",
    "FreeLogged",
    "InWorkout",
    "NoProgram",
    "NotALog",
    "Route",
    "Typed",
    "Unreadable",
]

LOG_FLOW = "log"  # 'which exercise?' was asked: waiting for the pick
RETYPE_FLOW = "retype"  # 'Edit' was tapped: waiting for the corrected line
UNDO_WORDS = {"undo", "/undo", "отмена", "отменить"}


class Route(Enum):
    """Where free text goes when it is not a line logged outside a workout."""

    ONBOARDING = "onboarding"  # a set-up question is open
    UNDO = "undo"
    RETYPE = "retype"  # the corrected line after 'Edit'
    WORKOUT = "workout"  # a workout is in progress: sets for its current exercise
    WEIGHT_IN_WORKOUT = "weight-in-workout"  # the weight asked for, of sets in a workout


@dataclass(frozen=True)
class Elsewhere:
    """Not free logging: the shell hands the text to the path named (nothing was written)."""

    route: Route
    state: dict[str, Any] = field(default_factory=dict)  # the conversation's, if it matters
    weight_kg: float | None = None  # WEIGHT_IN_WORKOUT: the weight given
    drop_question: bool = False  # WORKOUT: a weight question was left behind; drop it too


@dataclass(frozen=True)
class InWorkout:
    """Sets typed during a workout, taken in the same unit (committed already)."""

    result: Quick


Typed = (
    Elsewhere
    | InWorkout
    | FreeLogged
    | AlreadyLogged
    | AskWhich
    | AskWeight
    | NoProgram
    | Unreadable
    | NotALog
)
Answered = Elsewhere | FreeLogged | AlreadyLogged | AskWeight | Closed


@dataclass(frozen=True)
class _Saved:
    """Sets saved on the thread; the caution is worked out on the loop (it has words)."""

    exercise: Exercise
    sets: list[LoggedSet]
    units: Units
    source_id: int | None
    program: IssuedProgram | None
    paused: PauseReason | None


@dataclass(frozen=True)
class _NoLine:
    units: Units


class FreeLog:
    """The free-logging use cases over one unit of work each."""

    def __init__(self, db: Database, library: Library, clock: Clock) -> None:
        self.db, self.library, self.clock = db, library, clock

    async def typed(
        self, user_id: int, text: str, source: Source, reminder_session: int | None = None
    ) -> Typed:
        """Free text: routed, or logged outside a workout. `reminder_session`: the text
        replies to that session's reminder (its exercises are the candidates)."""
        now = self.clock()
        got = await self.db.once(
            lambda conn: self._typed(conn, user_id, text, source, reminder_session, now)
        )
        if isinstance(got, _NoLine):
            if not any(ch.isdigit() for ch in text):
                return NotALog()
            error = explain_log_line(text, list(self.library.exercises.values()), got.units)
            return Unreadable(error.problem, error.example)
        done: Typed = self._finish(got)
        return done

    async def pick(self, user_id: int, exercise_id: str) -> Answered:
        """The answer to 'which exercise?': the sets waiting for it are logged."""
        now = self.clock()
        got = await self.db.once(lambda conn: self._pick(conn, user_id, exercise_id, now))
        done: Answered = self._finish(got)
        return done

    async def weight_tapped(self, user_id: int, nonce: str, weight_kg: float) -> Answered:
        """A tapped answer to 'what weight?'."""
        now = self.clock()
        got = await self.db.once(lambda conn: self._tapped(conn, user_id, nonce, weight_kg, now))
        done: Answered = self._finish(got)
        return done

    def _finish(self, got: Any) -> Any:
        if not isinstance(got, _Saved):
            return got
        block = check = None
        if got.program is not None:
            block = safety.gate(got.program.plan, got.paused, self.library).block
            check = safety.check_exercise(got.exercise, got.program.profile, self.library)
        else:
            block = Block.NO_PROGRAM
        return FreeLogged(got.exercise, got.sets, got.units, got.source_id, Caution(block, check))

    # --- on the SQLite thread (in the update's context): no awaiting ------------------------

    def _typed(
        self,
        conn: sqlite3.Connection,
        user_id: int,
        text: str,
        source: Source,
        reminder_session: int | None,
        now: datetime,
    ) -> Any:
        saved = store.conversation(conn, user_id)
        flow = saved.flow if saved is not None else None
        if flow == ONBOARDING_FLOW:
            return Elsewhere(Route.ONBOARDING)
        if text.strip().lower() in UNDO_WORDS:
            return Elsewhere(Route.UNDO)
        if saved is not None and flow == RETYPE_FLOW:
            return Elsewhere(Route.RETYPE, saved.state)
        active = store.active_workout(conn, user_id)
        units = store.units(conn, user_id) or Units.KG
        dropped = False
        if saved is not None and flow == WEIGHT_FLOW:
            state = saved.state
            kg = parse_weight(text, units)
            where = (active.id, active.position) if active is not None else (None, None)
            moved_on = state["workout_id"] is not None and where != (
                state["workout_id"],
                state["position"],
            )
            if kg is not None and not moved_on:
                if state["workout_id"] is not None:
                    return Elsewhere(Route.WEIGHT_IN_WORKOUT, state, kg)
                store.clear_conversation(conn, user_id)
                return self._log_pending(conn, user_id, state, kg, units, now)
            dropped = True  # a new line, or the session went on: the question is dropped
        if active is not None:
            if not dropped:
                quick = typed_on_thread(self.library, conn, user_id, text, source, now)
                if quick is not None:
                    return InWorkout(quick)
            return Elsewhere(Route.WORKOUT, drop_question=dropped)
        if dropped:
            store.clear_conversation(conn, user_id)
        line = read_log_line(text, list(self.library.exercises.values()), units)
        if line is None and reminder_session is not None:
            line = self._reminder_line(conn, user_id, reminder_session, text, units)
        if line is None:
            return _NoLine(units)
        program = store.current_program(conn, user_id)
        if program is None:
            return NoProgram()
        if len(line.candidates) == 1:
            return self._log_one(conn, user_id, line.candidates[0], line, source, units, now)
        state = {"sets": render_sets(line.sets, units), "weighed": line.weighed}
        state |= _source_state(source)
        store.save_conversation(conn, user_id, LOG_FLOW, state, now)
        return AskWhich(line.candidates, line.sets, units)

    def _reminder_line(
        self, conn: sqlite3.Connection, user_id: int, session_id: int, text: str, units: Units
    ) -> LogLine | None:
        """Sets typed as a reply to a reminder: the candidates are that session's exercises."""
        session = store.reminder_day(conn, session_id)
        if session is None or session.user_id != user_id:
            return None
        issued = store.program(conn, session.program_id)
        days = issued.plan.days if issued is not None else []
        day = next((d for d in days if d.kind is session.kind), None)
        if day is None:
            return None
        try:
            parsed = parse_line(text, units)
        except SetLogError:
            return None
        ids = [p.exercise.id for p in day.exercises if not is_general(p.exercise.pattern)]
        return LogLine(list(dict.fromkeys(ids)), parsed.sets, parsed.weighed)

    def _pick(self, conn: sqlite3.Connection, user_id: int, exercise_id: str, now: datetime) -> Any:
        saved = store.conversation(conn, user_id)
        if saved is None or saved.flow != LOG_FLOW or exercise_id not in self.library.exercises:
            return Closed()
        store.clear_conversation(conn, user_id)
        units = store.units(conn, user_id) or Units.KG
        state = saved.state
        sets = parse_sets(str(state["sets"]), units)
        line = LogLine([exercise_id], sets, bool(state.get("weighed", True)))
        return self._log_one(conn, user_id, exercise_id, line, _state_source(state), units, now)

    def _tapped(
        self, conn: sqlite3.Connection, user_id: int, nonce: str, kg: float, now: datetime
    ) -> Any:
        saved = store.conversation(conn, user_id)
        if saved is None or saved.flow != WEIGHT_FLOW or saved.state.get("nonce") != nonce:
            return Closed()
        if saved.state["workout_id"] is not None:
            return Elsewhere(Route.WEIGHT_IN_WORKOUT, saved.state, kg)
        store.clear_conversation(conn, user_id)
        units = store.units(conn, user_id) or Units.KG
        return self._log_pending(conn, user_id, saved.state, kg, units, now)

    def _log_pending(
        self,
        conn: sqlite3.Connection,
        user_id: int,
        state: dict[str, Any],
        kg: float,
        units: Units,
        now: datetime,
    ) -> _Saved:
        """The sets kept aside for a weight, logged outside a workout at that weight."""
        exercise = self.library.exercises[str(state["exercise_id"])]
        sets = parse_sets(str(state["sets"]), units)
        weighed = [s.model_copy(update={"weight_kg": kg, "added": False}) for s in sets]
        return self._save(conn, user_id, exercise, weighed, _state_source(state), units, now)

    def _log_one(
        self,
        conn: sqlite3.Connection,
        user_id: int,
        exercise_id: str,
        line: LogLine,
        source: Source,
        units: Units,
        now: datetime,
    ) -> Any:
        """Log a line for one exercise: asked for a weight if it needs one, never twice."""
        exercise = self.library.exercises[exercise_id]
        sets = as_logged(exercise, line.sets)
        done = self._already(conn, user_id, source, now)
        if done is not None:
            return AlreadyLogged(exercise, done, units)
        if needs_weight(exercise) and not line.weighed:
            return AskWeight(self._ask_weight(conn, user_id, exercise, sets, source, units, now))
        return self._save(conn, user_id, exercise, sets, source, units, now)

    def _save(
        self,
        conn: sqlite3.Connection,
        user_id: int,
        exercise: Exercise,
        sets: list[LoggedSet],
        source: Source,
        units: Units,
        now: datetime,
    ) -> _Saved:
        sets = as_logged(exercise, sets)
        stored = store.target(conn, user_id, exercise.id)
        aim = stored.aim() if stored else SetAim()
        source_id = store.log_outside(conn, user_id, exercise.id, sets, aim, now, source)
        issued = store.current_program(conn, user_id)
        return _Saved(exercise, sets, units, source_id, issued, store.paused(conn, user_id))

    def _already(
        self, conn: sqlite3.Connection, user_id: int, source: Source, now: datetime
    ) -> list[LoggedSet] | None:
        """The sets this message or tap logged before, or a retry's, if it is one."""
        by_message = store.by_message(conn, source)
        by_update = store.by_update(conn, source.update_id) if by_message is None else None
        found, retry = logged.repeat_of(source, by_message, by_update, None, now)
        if found is None and source.text:
            found, retry = logged.repeat_of(source, None, None, store.last_line(conn, user_id), now)
        if found is None:
            return None
        if retry:
            store.set_failed(conn, found.id, False)  # only the first retry is absorbed
        return [e.set for e in found.entries]

    def _ask_weight(
        self,
        conn: sqlite3.Connection,
        user_id: int,
        exercise: Exercise,
        sets: list[LoggedSet],
        source: Source,
        units: Units,
        now: datetime,
    ) -> WeightQuestion:
        """Keep the sets aside (with where they came from) and say which weights to offer."""
        known = store.known_weight(conn, user_id, exercise.id)
        options = [known] if known is not None else []
        active = store.active_workout(conn, user_id)
        issued = store.current_program(conn, user_id) if not options else None
        if issued is not None:  # never lifted: what a card would offer, if allowed
            check = safety.check_exercise(exercise, issued.profile, self.library)
            if check.allowed:
                options = starting_weights(exercise, issued.profile.level, units)
        nonce = secrets.token_hex(3)
        state: dict[str, Any] = {
            "nonce": nonce,
            "exercise_id": exercise.id,
            "sets": render_sets(sets, units),
            "workout_id": active.id if active is not None else None,
            "position": active.position if active is not None else None,
        }
        state |= _source_state(source)
        store.save_conversation(conn, user_id, WEIGHT_FLOW, state, now)
        return WeightQuestion(exercise, sets, options, nonce, units)


def _source_state(source: Source) -> dict[str, Any]:
    return {
        "update_id": source.update_id,
        "chat_id": source.chat_id,
        "message_id": source.message_id,
        "text": source.text,
        "sent_at": source.sent_at,
    }


def _state_source(state: dict[str, Any]) -> Source:
    return Source(
        state.get("update_id"),
        state.get("chat_id"),
        state.get("message_id"),
        str(state.get("text", "")),
        state.get("sent_at"),
    )
