"""Turning what a user types (a zone, a city, or their local time) into IANA zone names.

Pure: the zone database is data, and the current moment is a parameter.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from datetime import datetime, time, timedelta
from functools import cache
from itertools import zip_longest
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.words_ru import city_zone, clock_spellings
from bot.domain.zone_names import ALIASES, CURATED, NOT_ZONES, REGIONS

MAX_CANDIDATES = 5
MIN_OFFSET_MIN = -12 * 60
MAX_OFFSET_MIN = 14 * 60
_DAY_MIN = 24 * 60

# --- clock times ---------------------------------------------------------------------------

_HOUR_MINUTE = re.compile(
    r"(?P<h>\d{1,2})(?:(?:\s*[:.h]\s*|\s+)(?P<m>\d{2}))?(?:\s*h)?\s*(?P<ap>am|pm|a|p)?"
)
_COMPACT = re.compile(r"(?P<hm>\d{3,4})\s*(?P<ap>am|pm|a|p)?")


def parse_clock_time(text: str) -> time | None:
    """A wall-clock time from "18:00", "18.00", "1800", "18h", "6pm" or "6:30 pm"; else None."""
    s = " ".join(text.strip().lower().replace("a.m.", "am").replace("p.m.", "pm").split())
    s = clock_spellings(s)  # "в 7 вечера", "9 утра", "18 ч"
    if s == "noon":
        return time(12, 0)
    if s == "midnight":
        return time(0, 0)
    if m := _HOUR_MINUTE.fullmatch(s):
        hour, minute, ap = int(m["h"]), int(m["m"] or 0), m["ap"]
    elif m := _COMPACT.fullmatch(s):
        hour, minute, ap = int(m["hm"]) // 100, int(m["hm"]) % 100, m["ap"]
    else:
        return None
    if minute > 59:
        return None
    if ap:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ap.startswith("p") else 0)
    elif hour > 23:
        return None
    return time(hour, minute)


def _is_bare_number(text: str) -> bool:
    return text.strip().isdigit() and len(text.strip()) <= 2


# --- offsets -------------------------------------------------------------------------------

_OFFSET = re.compile(r"(?:utc|gmt)?\s*(?P<sign>[+\-\u2212])\s*(?P<h>\d{1,2})(?:[:.]?(?P<m>\d{2}))?")


@cache
def _zone(name: str) -> ZoneInfo:
    # ZoneInfo keeps only a few zones alive by itself; scanning all of them would reread files.
    return ZoneInfo(name)


def _offset_minutes(zone: str, now_utc: datetime) -> int | None:
    offset = now_utc.astimezone(_zone(zone)).utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


def etc_name(offset_min: int) -> str | None:
    """The Etc/GMT zone of a whole-hour offset (sign inverted, as POSIX has it); else None."""
    if offset_min % 60 or not MIN_OFFSET_MIN <= offset_min <= MAX_OFFSET_MIN:
        return None
    hours = offset_min // 60
    if hours == 0:
        return "UTC"
    return f"Etc/GMT{-hours:+d}"  # UTC+3 is "Etc/GMT-3"


def zones_with_offsets(offsets: list[int], now_utc: datetime) -> list[str]:
    """Zones whose offset at `now_utc` is one of `offsets` (minutes), best first.

    Well-known cities first (several offsets take turns, in the order given), then the
    Etc/GMT names of whole-hour offsets; any zone with the offset only when neither exists.
    """
    cities = [[z for z in _curated() if _offset_minutes(z, now_utc) == o] for o in offsets]
    found = [z for row in zip_longest(*cities) for z in row if z is not None]
    for offset, group in zip(offsets, cities, strict=True):
        name = etc_name(offset)
        if name is not None:
            found.append(name)
        elif not group:
            found += [z for z in _all_zones() if _offset_minutes(z, now_utc) == offset]
    return list(dict.fromkeys(found))[:MAX_CANDIDATES]


def _offsets_from_local_time(local: time, now_utc: datetime) -> list[int]:
    """The UTC offsets (minutes) at which `now_utc` reads `local` on a wall clock."""
    utc_min = now_utc.hour * 60 + now_utc.minute + now_utc.second / 60
    diff = round((local.hour * 60 + local.minute - utc_min) / 15) * 15
    # The date is unknown, so the offset may be a day off either way: keep what fits the map.
    # Near the date line (+12..+14 or -10..-12) two offsets fit; the better-known goes first.
    options = [
        d for d in (diff, diff - _DAY_MIN, diff + _DAY_MIN) if MIN_OFFSET_MIN <= d <= MAX_OFFSET_MIN
    ]
    known = {d: sum(_offset_minutes(z, now_utc) == d for z in _curated()) for d in options}
    return sorted(options, key=lambda d: (-known[d], abs(d)))


def _explicit_offset(text: str) -> int | None:
    m = _OFFSET.fullmatch(text.strip().lower())
    if not m:
        return None
    minutes = int(m["h"]) * 60 + int(m["m"] or 0)
    if int(m["m"] or 0) % 15 or int(m["m"] or 0) > 45:
        return None
    offset = -minutes if m["sign"] != "+" else minutes
    return offset if MIN_OFFSET_MIN <= offset <= MAX_OFFSET_MIN else None


# --- names ---------------------------------------------------------------------------------


def _normalize(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"[_\-.,']+", " ", plain.lower())
    return " ".join(plain.split()).replace(" / ", "/")


def _preference(zone: str) -> tuple[bool, bool, str]:
    return (zone not in _curated(), zone.split("/")[0] not in REGIONS, zone)


@cache
def _all_zones() -> tuple[str, ...]:
    zones = available_timezones() - NOT_ZONES
    return tuple(
        sorted((z for z in zones if not z.startswith(("posix/", "right/"))), key=_preference)
    )


@cache
def _curated() -> tuple[str, ...]:
    known = available_timezones()
    return tuple(z for z in CURATED if z in known)


@cache
def _indexes() -> tuple[dict[str, str], dict[str, list[str]]]:
    """Full names and city names (the last component), normalized, to zone names."""
    full: dict[str, str] = {}
    cities: dict[str, list[str]] = {}
    for zone in _all_zones():  # already in order of preference
        full[_normalize(zone)] = zone
        if "/" in zone and not zone.startswith("Etc/"):
            cities.setdefault(_normalize(zone.rsplit("/", 1)[1]), []).append(zone)
    return full, cities


@cache
def _aliases() -> dict[str, str]:
    known = available_timezones()
    return {k: v for k, v in ALIASES.items() if v in known}


def _by_name(query: str) -> list[str]:
    """Zones for a zone name or a place, exact matches first, then close spellings."""
    full, cities = _indexes()
    aliases = _aliases()
    found: list[str] = []
    if query in aliases:
        found.append(aliases[query])
    if query in full:
        found.append(full[query])
    found += cities.get(query, [])
    if found:
        return found
    # Close spellings: "berlinn", "moskow", "europe/berln", "sao paolo".
    places: dict[str, list[str]] = {name: list(zones) for name, zones in cities.items()}
    for name, zone in aliases.items():
        places.setdefault(name, []).append(zone)
    if len(query) >= 4:  # the start of a place name: "sao pau", "ho chi"
        found += [z for name, zones in places.items() if name.startswith(query) for z in zones]
    keys = dict(places)
    for name, zone in full.items():
        keys.setdefault(name, []).append(zone)
    for match in difflib.get_close_matches(query, list(keys), n=MAX_CANDIDATES, cutoff=0.75):
        found += keys[match]
    return found


def resolve_timezone(text: str, now_utc: datetime) -> list[str]:
    """IANA zone candidates for a zone name, a city, an offset ("UTC+3") or the user's local
    time ("18:05", "6pm"), best first, at most MAX_CANDIDATES; [] when nothing fits."""
    if now_utc.tzinfo is None or now_utc.utcoffset() != timedelta(0):
        raise ValueError("now_utc must be an aware UTC moment")
    raw = text.strip()
    if not raw:
        return []
    raw = city_zone(raw) or raw  # a Russian place name: Москва, Новосибирск
    offset = None if _normalize(raw) in _indexes()[0] else _explicit_offset(raw)  # not "GMT+0"
    if offset is not None:
        return zones_with_offsets([offset], now_utc)
    local = None if _is_bare_number(raw) else parse_clock_time(raw)
    if local is not None:
        return zones_with_offsets(_offsets_from_local_time(local, now_utc), now_utc)
    query = _normalize(raw.split(",")[0] if "," in raw and "/" not in raw else raw)
    return list(dict.fromkeys(_by_name(query)))[:MAX_CANDIDATES]
