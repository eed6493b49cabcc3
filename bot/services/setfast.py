"""A set typed during a workout, decided and written on SQLite's own thread (Database.once).

The common replies (sets logged, then rest or the next card; a warm-up ticked off; a first
weight; a redelivered message) need nothing but the user's log state, so the whole use case
runs in the one call into SQLite that also routed the text. Anything else (the workout ends,
a graduation, a line that cannot be read, a missing weight, the answers changed) returns None
with nothing written, and the shell takes the async path of bot/services/logset.py, which may
write in more than one statement. Text the core words here (a first weight's explanation,
stored with the target) is in the user's language: Database.once runs in the update's context.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime

from bot.domain import progression, safety
from bot.domain import workouts as wk
from bot.domain.logged import Source
from bot.domain.models import Library
from bot.domain.setlog import SetLogError
from bot.domain.starts import needs_weight
from bot.domain.weights import parse_weight
from bot.domain.workouts import Workout
from bot.services import logged, targets
from bot.services.cards import Card, build_card
from bot.services.logset import (
    DONE_WORDS,
    FirstWeight,
    Repeated,
    Rest,
    SetLogged,
    TapDone,
    TickedOff,
    plan_record,
    read_sets,
)
from bot.services.workouts import Logged
from bot.storage import freelog as store
from bot.storage import logstate
from bot.storage.logstate import LogState, SetWrite

Quick = SetLogged | TickedOff | TapDone | FirstWeight | Repeated


def typed_on_thread(
    library: Library,
    conn: sqlite3.Connection,
    user_id: int,
    text: str,
    source: Source,
    now: datetime,
) -> Quick | None:
    """The sets typed for the workout's current exercise, if this path can take them."""
    issued = store.current_program(conn, user_id)
    paused = store.paused(conn, user_id)
    if not safety.gate(issued.plan if issued else None, paused, library).open:
        return None  # refused, in words: the async path
    state = logstate.load_on(conn, user_id, source)
    workout = state.workout
    if workout is None or workout.current is None:
        return None
    if logged.ruled_out(library, state.profile, workout):
        return None
    item = workout.current
    exercise = library.exercises[item.exercise_id]
    if item.tick_off:
        if text.strip().lower() not in DONE_WORDS:
            return TapDone()
        done = wk.tick_off(workout)
        card = _card(library, state, done)
        if card is None:
            return None  # the workout is through: its summary is the async path's
        logstate.write_on(conn, SetWrite(done, [], None, 0, now))
        return TickedOff(card)
    stored = state.targets.get(item.exercise_id)
    if (
        needs_weight(exercise)
        and targets.fitted(stored, library, state.units, item).weight_kg is None
    ):
        kg = parse_weight(text, state.units)
        if kg is not None:
            first = targets.first_at(library, state.units, item, kg)
            logstate.write_on(conn, SetWrite(workout, [], None, 0, now, (item.exercise_id, first)))
            entries = state.recent.get(item.exercise_id, [])
            card = build_card(library, workout, first, entries, state.profile, state.units)
            return FirstWeight(card)
    found, retry = logged.repeat_of(
        source, state.by_message, state.by_update, state.last_source, now
    )
    if found is not None:
        if retry:
            store.set_failed(conn, found.id, False)  # only the first retry is absorbed
        return Repeated(exercise, [e.set for e in found.entries], state.units)
    try:
        parsed = read_sets(text, state.units, exercise, library)
    except SetLogError:
        return None
    if needs_weight(exercise) and not parsed.weighed:
        return None
    rec = plan_record(library, state.units, workout, parsed.sets, stored)
    if rec.max_reps is not None and progression.check_graduation(rec.max_reps):
        return None
    first_target = (item.exercise_id, rec.first_target) if rec.first_target else None
    now_on = rec.updated.current
    nxt: Rest | Card
    if now_on is not None and now_on.exercise_id == exercise.id and now_on.logged:
        nxt = Rest(rec.updated, now_on.logged, now_on.needed, now_on.rest_s)
    else:
        seen = state
        if first_target is not None:  # the next card must see the target this log sets
            seen = replace(state, targets={**state.targets, first_target[0]: first_target[1]})
        card = _card(library, seen, rec.updated)
        if card is None:
            return None
        nxt = card
    change = SetWrite(rec.updated, rec.logs, source, workout.position, now, first_target)
    source_id = logstate.write_on(conn, change)
    done_log = Logged(rec.updated, exercise, rec.sets, False, source_id)
    return SetLogged(done_log, state.units, nxt)


def _card(library: Library, state: LogState, workout: Workout) -> Card | None:
    item = workout.current
    if item is None:
        return None
    entries = state.recent.get(item.exercise_id, [])
    stored = state.targets.get(item.exercise_id)
    return build_card(library, workout, stored, entries, state.profile, state.units)
