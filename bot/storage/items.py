"""How a workout's items are stored: compressed JSON, readable from SQL as workout_items().

A workout's items (about 2 KB of JSON) are zlib-compressed against a preset dictionary: the
items of the bundled programs (healthy users, every goal and level, week 1, one item per
exercise, as of 2026-12-03), so a workout needs only what differs from them (about
0.06-0.09 KB stored instead of 0.4-0.5 KB with zlib alone). zlib's header names the dictionary
a row was packed with (its Adler-32), so rows packed without one (schema 10 and before) or
with an older dictionary stay readable, and a row stored before compression is text.
"""

from __future__ import annotations

import json
import zlib

import aiosqlite

from bot.domain.workouts import WorkoutItem

# Frozen: stored rows name it by its checksum, so it must never change (tests/storage pins
# it). Content that moves on only compresses a little less; a better dictionary is added
# beside this one and written from then on, and both stay readable.
DICTIONARY_V1 = (
    b'[{"exercise_id": "cardio-easy", "planned_id": "cardio-easy", "sets": [{"kind": "warmup'
    b'", "count": 1, "reps_min": 1, "reps_max": 1}], "rest_s": 0, "note": "About 5 minutes a'
    b't an easy pace.", "status": "pending", "logged": 0}, {"exercise_id": "shoulder-mobilit'
    b'y", "planned_id": "shoulder-mobility", "sets": [{"kind": "warmup", "count": 1, "reps_m'
    b'in": 10, "reps_max": 15}], "rest_s": 0, "note": null, "status": "pending", "logged": 0'
    b'}, {"exercise_id": "lat-pulldown-chest", "planned_id": "lat-pulldown-chest", "sets": ['
    b'{"kind": "warmup", "count": 2, "reps_min": 15, "reps_max": 20}], "rest_s": 60, "note":'
    b' "Light weight, perfect form: this only warms you up.", "status": "pending", "logged":'
    b' 0}, {"exercise_id": "pullup-wide", "planned_id": "pullup-wide", "sets": [{"kind": "ma'
    b'x", "count": 1, "reps_min": 1, "reps_max": null}], "rest_s": 120, "note": "One set, as'
    b' many clean reps as you can. Even one counts: write it down.", "status": "pending", "l'
    b'ogged": 0}, {"exercise_id": "lat-pulldown-behind-head", "planned_id": "lat-pulldown-be'
    b'hind-head", "sets": [{"kind": "working", "count": 4, "reps_min": 6, "reps_max": 12}], '
    b'"rest_s": 90, "note": null, "status": "pending", "logged": 0}, {"exercise_id": "shrug-'
    b'barbell", "planned_id": "shrug-barbell", "sets": [{"kind": "working", "count": 4, "rep'
    b's_min": 12, "reps_max": 15}], "rest_s": 60, "note": null, "status": "pending", "logged'
    b'": 0}, {"exercise_id": "one-arm-pulldown", "planned_id": "one-arm-pulldown", "sets": ['
    b'{"kind": "working", "count": 3, "reps_min": 8, "reps_max": 12}], "rest_s": 75, "note":'
    b' null, "status": "pending", "logged": 0}, {"exercise_id": "straight-arm-pulldown", "pl'
    b'anned_id": "straight-arm-pulldown", "sets": [{"kind": "working", "count": 3, "reps_min'
    b'": 10, "reps_max": 12}], "rest_s": 60, "note": null, "status": "pending", "logged": 0}'
    b', {"exercise_id": "lat-stretch", "planned_id": "lat-stretch", "sets": [{"kind": "warmu'
    b'p", "count": 2, "reps_min": 1, "reps_max": 1}], "rest_s": 0, "note": "Hold about 30 se'
    b'conds a side.", "status": "pending", "logged": 0}, {"exercise_id": "child-pose", "plan'
    b'ned_id": "child-pose", "sets": [{"kind": "warmup", "count": 1, "reps_min": 1, "reps_ma'
    b'x": 1}], "rest_s": 0, "note": "Hold about 45 seconds, breathing slowly.", "status": "p'
    b'ending", "logged": 0}, {"exercise_id": "cat-cow", "planned_id": "cat-cow", "sets": [{"'
    b'kind": "warmup", "count": 1, "reps_min": 8, "reps_max": 10}], "rest_s": 0, "note": "Sl'
    b'ow and small to start; it wakes up the lower back before any pulling.", "status": "pen'
    b'ding", "logged": 0}, {"exercise_id": "deadlift", "planned_id": "deadlift", "sets": [{"'
    b'kind": "warmup", "count": 1, "reps_min": 15, "reps_max": 20}, {"kind": "working", "cou'
    b'nt": 4, "reps_min": 6, "reps_max": 12}], "rest_s": 150, "note": null, "status": "pendi'
    b'ng", "logged": 0}, {"exercise_id": "barbell-row-overhand", "planned_id": "barbell-row-'
    b'overhand", "sets": [{"kind": "working", "count": 3, "reps_min": 6, "reps_max": 12}], "'
    b'rest_s": 120, "note": null, "status": "pending", "logged": 0}, {"exercise_id": "seated'
    b'-cable-row", "planned_id": "seated-cable-row", "sets": [{"kind": "working", "count": 4'
    b', "reps_min": 6, "reps_max": 12}], "rest_s": 90, "note": "A T-bar row works here too."'
    b', "status": "pending", "logged": 0}, {"exercise_id": "rear-delt-fly", "planned_id": "r'
    b'ear-delt-fly", "sets": [{"kind": "working", "count": 3, "reps_min": 12, "reps_max": 15'
    b'}], "rest_s": 60, "note": null, "status": "pending", "logged": 0}, {"exercise_id": "du'
    b'mbbell-row-one-arm", "planned_id": "dumbbell-row-one-arm", "sets": [{"kind": "working"'
    b', "count": 3, "reps_min": 8, "reps_max": 12}], "rest_s": 75, "note": null, "status": "'
    b'pending", "logged": 0}, {"exercise_id": "shrug-dumbbell", "planned_id": "shrug-dumbbel'
    b'l", "sets": [{"kind": "working", "count": 4, "reps_min": 12, "reps_max": 15}], "rest_s'
    b'": 60, "note": null, "status": "pending", "logged": 0}, {"exercise_id": "machine-row",'
    b' "planned_id": "machine-row", "sets": [{"kind": "working", "count": 3, "reps_min": 6, '
    b'"reps_max": 12}], "rest_s": 120, "note": null, "status": "pending", "logged": 0}, {"ex'
    b'ercise_id": "hyperextension", "planned_id": "hyperextension", "sets": [{"kind": "worki'
    b'ng", "count": 3, "reps_min": 12, "reps_max": 15}], "rest_s": 60, "note": "Bodyweight o'
    b'nly; stop with your body in line with your legs.", "status": "pending", "logged": 0}]'
)
_DICTIONARIES = {zlib.adler32(d): d for d in (DICTIONARY_V1,)}
_WRITE_WITH = DICTIONARY_V1
_FDICT = 0x20  # the header flag: a preset dictionary's Adler-32 follows the 2 header bytes


def pack(text: str) -> bytes:
    """Items JSON as stored: compressed against the current dictionary."""
    packer = zlib.compressobj(9, zdict=_WRITE_WITH)
    return packer.compress(text.encode()) + packer.flush()


def items_json(items: list[WorkoutItem]) -> bytes:
    """The items as stored."""
    # Compressed: the row is rewritten at every logged line and was half of what a training
    # user stores.
    return pack(json.dumps([i.model_dump(mode="json") for i in items]))


def items_text(stored: str | bytes) -> str:
    """A workout's stored items as JSON text, whichever way the row was written."""
    if isinstance(stored, str):
        return stored  # written before items were compressed
    if len(stored) > 6 and stored[1] & _FDICT:
        unpacker = zlib.decompressobj(zdict=_DICTIONARIES[int.from_bytes(stored[2:6], "big")])
        return (unpacker.decompress(stored) + unpacker.flush()).decode()
    return zlib.decompress(stored).decode()


def repack(stored: str | bytes) -> bytes:
    """A stored row packed again the current way (for the migration that does so)."""
    return pack(items_text(stored))


async def register(conn: aiosqlite.Connection) -> None:
    """Make workout_items() callable from SQL, so a query can read a workout's exercises, and
    workout_items_repack() for the migration that compresses old rows against the dictionary."""
    await conn.create_function("workout_items", 1, items_text, deterministic=True)
    await conn.create_function("workout_items_repack", 1, repack, deterministic=True)
