"""Plans stored once per distinct content: keyed by a hash of their JSON, kept compressed."""

from __future__ import annotations

import hashlib
import zlib

import aiosqlite

from bot.domain.models import Plan


def plan_key(body: str) -> str:
    """The content address of a plan's JSON text (128 bits of BLAKE2b, as hex)."""
    return hashlib.blake2b(body.encode(), digest_size=16).hexdigest()


def pack(body: str) -> bytes:
    """A plan's JSON text as stored: zlib-compressed (about 21 KB becomes about 5 KB)."""
    return zlib.compress(body.encode(), 9)


def unpack(stored: bytes) -> Plan:
    """A stored plan back as a Plan."""
    return Plan.model_validate_json(zlib.decompress(stored))


async def store_plan(conn: aiosqlite.Connection, plan: Plan) -> str:
    """Inside an open transaction: keep the plan (once per content); return its key."""
    body = plan.model_dump_json()
    key = plan_key(body)
    await conn.execute(
        "INSERT INTO plans (key, body) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        (key, pack(body)),
    )
    return key


async def register(conn: aiosqlite.Connection) -> None:
    """Make plan_key() and plan_pack() callable from SQL, for the migration that moves plans."""
    await conn.create_function("plan_key", 1, plan_key, deterministic=True)
    await conn.create_function("plan_pack", 1, pack, deterministic=True)
