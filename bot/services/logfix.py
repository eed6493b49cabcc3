"""Fixing the log: undo, the corrected line after 'Edit', a first weight on a card, and the
weight asked for of sets typed in a workout. Each is one use case that commits once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.accounts import Units
from bot.domain.logged import Source
from bot.domain.safety import Gate, RuleCheck
from bot.domain.setlog import SetLogError, parse_sets
from bot.services.cards import Card
from bot.services.freelog import RETYPE_FLOW, Closed
from bot.services.freelog_types import AskWeight
from bot.services.logbook import Edited, Logbook, Undone
from bot.services.logset import NoWorkout, SetLog, SetLogged, Typed, WeightNeeded
from bot.services.safety import Safety
from bot.services.summary import Summary
from bot.services.workouts import WEIGHT_FLOW, Workouts
from bot.storage.db import Database
from bot.storage.logs import SourceRow
from bot.storage.repo import Repo

KEEP_WORDS = {"cancel", "/cancel", "keep", "отмена", "оставь"}


@dataclass(frozen=True)
class Refused:
    """The safety gate is closed now: nothing was logged."""

    gate: Gate


@dataclass(frozen=True)
class MovedOn:
    """The session went on since the weight was asked for: nothing was saved."""


@dataclass(frozen=True)
class UndoDone:
    """What /undo took back (None: nothing), and whether a workout is in progress."""

    done: Undone | None
    in_workout: bool
    units: Units


@dataclass(frozen=True)
class Kept:
    """'cancel' after 'Edit': the line stays as it was."""


@dataclass(frozen=True)
class Gone:
    """The line to correct is no longer in the log; nothing changed."""


@dataclass(frozen=True)
class BadLine:
    """The corrected line could not be read; the log stays as it was, the question open."""

    problem: str
    example: str


@dataclass(frozen=True)
class Retyped:
    """The corrected line replaced what the message had logged."""

    edited: Edited
    units: Units


@dataclass(frozen=True)
class Stale:
    """The card tapped is out of date; the workout in progress, if any."""

    active: Any  # Workout | None


@dataclass(frozen=True)
class Started:
    """A first weight was set: what the answers now rule out, then the card (or the end)."""

    dropped: list[RuleCheck]
    next: Card | Summary


InWorkoutTyped = Typed | AskWeight | Refused
WeightDone = SetLogged | NoWorkout | Refused | MovedOn | Closed
Retype = Kept | Gone | BadLine | Retyped
StartWeight = Stale | Refused | Started


class LogFixes:
    """The log-fixing use cases; each writes in one transaction."""

    def __init__(
        self, db: Database, repo: Repo, safety: Safety, sessions: Workouts, setlog: SetLog
    ) -> None:
        self.db, self.repo, self.safety = db, repo, safety
        self.sessions, self.setlog = sessions, setlog
        self.logbook = Logbook(sessions)

    async def weight_in_workout(
        self, user_id: int, state: dict[str, Any], weight_kg: float
    ) -> WeightDone:
        """The weight asked for of sets typed in a workout: the question closes and the sets
        are logged at it, in one commit (unless the gate closed or the session moved on)."""
        units = await self.sessions.units(user_id)
        sets = parse_sets(str(state["sets"]), units)
        source = Source(
            state["update_id"],
            state["chat_id"],
            state["message_id"],
            str(state["text"]),
            state.get("sent_at"),
        )
        async with self.db.transaction():
            await self.repo.clear_conversation(user_id)
            gate = await self.safety.gate(user_id)
            if not gate.open:
                return Refused(gate)
            active = await self.sessions.workouts.active(user_id)
            if active is None or (active.id, active.position) != (
                state["workout_id"],
                state["position"],
            ):
                return MovedOn()
            return await self.setlog.at_weight(user_id, sets, weight_kg, source)

    async def in_workout(
        self, user_id: int, text: str, source: Source, drop_question: bool = False
    ) -> InWorkoutTyped:
        """Text during a workout: the sets for its current exercise, unless the gate closed
        (the answers changed mid-session); sets without a weight wait for it (the question is
        asked here). `drop_question`: a weight question left open is dropped in the same
        commit."""
        gate = await self.safety.gate(user_id)
        if not drop_question:
            return await self._in_workout(user_id, text, source, gate)
        async with self.db.transaction():
            await self.repo.clear_conversation(user_id)
            return await self._in_workout(user_id, text, source, gate)

    async def _in_workout(
        self, user_id: int, text: str, source: Source, gate: Gate
    ) -> InWorkoutTyped:
        if not gate.open:
            return Refused(gate)
        typed = await self.setlog.typed(user_id, text, source)
        if isinstance(typed, WeightNeeded):
            return AskWeight(await self.sessions.ask_weight(user_id, typed.asked, source))
        return typed

    async def undo(self, user_id: int) -> UndoDone:
        """/undo: the last set of the workout, else the last line logged outside; an open
        weight or 'Edit' question closes with it, in the same commit."""
        saved = await self.repo.load_conversation(user_id)
        async with self.db.transaction():
            if saved is not None and saved.flow in (WEIGHT_FLOW, RETYPE_FLOW):
                await self.repo.clear_conversation(user_id)
            done = await self.logbook.undo(user_id)
        in_workout = done is None and await self.sessions.workouts.active(user_id) is not None
        return UndoDone(done, in_workout, await self.sessions.units(user_id))

    async def ask_retype(self, user_id: int, source_id: int) -> SourceRow | None:
        """'Edit' on a confirmation: wait for the corrected line (None: the line is gone)."""
        source = await self.logbook.source_of(user_id, source_id)
        if source is not None:
            state = {"source_id": source.id}
            await self.repo.save_conversation(user_id, RETYPE_FLOW, state, self.sessions.clock())
        return source

    async def retype(self, user_id: int, state: dict[str, Any], text: str) -> Retype:
        """The corrected line after 'Edit' replaces what the message logged, in one commit."""
        if text.strip().lower() in KEEP_WORDS:
            await self.repo.clear_conversation(user_id)
            return Kept()
        source = await self.logbook.source_of(user_id, int(state.get("source_id", 0)))
        if source is None:
            await self.repo.clear_conversation(user_id)
            return Gone()
        try:
            async with self.db.transaction():
                edited = await self.logbook.retype(user_id, source, text)
                await self.repo.clear_conversation(user_id)
        except SetLogError as e:
            return BadLine(e.problem, e.example)
        return Retyped(edited, await self.sessions.units(user_id))

    async def start_weight(
        self, user_id: int, workout_id: int, position: int, weight_kg: float
    ) -> StartWeight:
        """A first weight tapped on a card: today's target, and the card again, in one commit."""
        svc = self.sessions
        active = await svc.workouts.active(user_id)
        if active is None or (active.id, active.position) != (workout_id, position):
            return Stale(active)
        gate = await self.safety.gate(user_id)
        if not gate.open:
            return Refused(gate)
        item = active.current
        assert item is not None
        async with self.db.transaction():
            await svc.set_start(user_id, item, weight_kg)
            dropped = await svc.drop_ruled_out(active)
            card = await svc.card(dropped.workout)
            if card is None:
                summary = await svc.end(user_id, dropped.workout.id, early=False)
                return Started(dropped.checks, summary)
        return Started(dropped.checks, card)
