"""Resolving what people type into IANA zones: names, cities, offsets and local times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.timezones import (
    MAX_CANDIDATES,
    etc_name,
    parse_clock_time,
    resolve_timezone,
)

SUMMER = datetime(2026, 7, 1, 15, 3, 20, tzinfo=UTC)
WINTER = datetime(2026, 1, 15, 15, 3, 20, tzinfo=UTC)
ZONES = sorted(available_timezones() - {"localtime", "Factory"})
BASE = datetime(2000, 1, 1, tzinfo=UTC)
NOWS = st.integers(0, 37 * 365 * 24 * 3600).map(lambda s: BASE + timedelta(seconds=s))


def offset_min(zone: str, now: datetime) -> int:
    value = now.astimezone(ZoneInfo(zone)).utcoffset()
    assert value is not None
    return int(value.total_seconds() // 60)


@pytest.mark.parametrize(
    ("text", "best"),
    [
        ("europe/moscow", "Europe/Moscow"),
        ("EUROPE/BERLIN", "Europe/Berlin"),
        ("America/New_York", "America/New_York"),
        ("america/new york", "America/New_York"),
        ("moscow", "Europe/Moscow"),
        ("Moscow, Russia", "Europe/Moscow"),
        ("new york", "America/New_York"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Berlinn", "Europe/Berlin"),
        ("moskow", "Europe/Moscow"),
        ("ho chi", "Asia/Ho_Chi_Minh"),
        ("saint petersburg", "Europe/Moscow"),
        ("St. Petersburg", "Europe/Moscow"),
        ("kiev", "Europe/Kyiv"),
        ("Kyiv", "Europe/Kyiv"),
        ("san francisco", "America/Los_Angeles"),
        ("los angeles", "America/Los_Angeles"),
        ("beijing", "Asia/Shanghai"),
        ("shanghai", "Asia/Shanghai"),
        ("delhi", "Asia/Kolkata"),
        ("mumbai", "Asia/Kolkata"),
        ("london", "Europe/London"),
        ("washington", "America/New_York"),
        ("kathmandu", "Asia/Kathmandu"),
        ("utc", "UTC"),
        ("Etc/GMT-3", "Etc/GMT-3"),
        ("GMT+0", "GMT+0"),
    ],
)
def test_names_and_cities(text: str, best: str) -> None:
    got = resolve_timezone(text, SUMMER)
    assert got[0] == best
    assert len(got) <= MAX_CANDIDATES and len(set(got)) == len(got)
    assert all(z in available_timezones() for z in got)


@pytest.mark.parametrize("text", ["", "   ", "xyzzy", "qwertyuiop", "3", "25:00", "12:75"])
def test_nothing_fits(text: str) -> None:
    assert resolve_timezone(text, SUMMER) == []


def test_every_zone_name_resolves_to_itself_in_any_case() -> None:
    for zone in ZONES:
        assert zone in resolve_timezone(zone.lower(), SUMMER), zone


@pytest.mark.parametrize(
    ("text", "now", "offset", "best"),
    [
        ("18:05", SUMMER, 180, "Europe/Moscow"),
        ("6:05 pm", SUMMER, 180, "Europe/Moscow"),
        ("6pm", WINTER, 180, "Europe/Moscow"),
        ("17:03", SUMMER, 120, "Europe/Berlin"),
        ("16:03", WINTER, 60, "Europe/Berlin"),
        ("11:04", SUMMER, -240, "America/New_York"),
        ("8:33 pm", SUMMER, 330, "Asia/Kolkata"),
        ("20:49", SUMMER, 345, "Asia/Kathmandu"),
        ("3:48", SUMMER, 765, "Pacific/Chatham"),  # +12:45 in the southern winter
        ("4:48", WINTER, 825, "Pacific/Chatham"),  # +13:45 in the southern summer
        # Crossing midnight: 02:30 while it is 23:30 UTC is +3, not -21.
        ("02:30", datetime(2026, 7, 1, 23, 30, tzinfo=UTC), 180, "Europe/Moscow"),
        ("20:00", datetime(2026, 7, 1, 1, 0, tzinfo=UTC), -300, "America/Chicago"),
        ("utc+3", SUMMER, 180, "Europe/Moscow"),
        ("GMT-5", WINTER, -300, "America/New_York"),
        ("+05:30", SUMMER, 330, "Asia/Kolkata"),
    ],
)
def test_local_time_or_offset_gives_zones_with_that_offset(
    text: str, now: datetime, offset: int, best: str
) -> None:
    got = resolve_timezone(text, now)
    assert got[0] == best
    assert all(offset_min(z, now) == offset for z in got)


def test_whole_hour_offsets_fall_back_to_etc_names_with_the_inverted_sign() -> None:
    assert etc_name(180) == "Etc/GMT-3" and etc_name(-300) == "Etc/GMT+5"
    assert etc_name(0) == "UTC" and etc_name(330) is None and etc_name(-780) is None
    assert resolve_timezone("utc-12", SUMMER) == ["Etc/GMT+12"]
    assert resolve_timezone("utc-1", SUMMER)[-1] == "Etc/GMT+1"
    for zone in ("Etc/GMT-3", "Etc/GMT+5", "Etc/GMT+12"):
        assert zone in available_timezones()


def test_near_the_date_line_both_readings_are_offered() -> None:
    got = resolve_timezone("4:03", SUMMER)  # +13 (Tonga) or -11 (Samoa, American)
    assert {offset_min(z, SUMMER) for z in got} == {780, -660}


def test_now_must_be_aware_utc() -> None:
    with pytest.raises(ValueError, match="UTC"):
        resolve_timezone("moscow", SUMMER.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18:00", time(18, 0)),
        ("18.00", time(18, 0)),
        ("1800", time(18, 0)),
        ("930", time(9, 30)),
        ("18h", time(18, 0)),
        ("18h30", time(18, 30)),
        ("18", time(18, 0)),
        ("6pm", time(18, 0)),
        ("6 PM", time(18, 0)),
        ("6:30 pm", time(18, 30)),
        ("6.30pm", time(18, 30)),
        ("6 p.m.", time(18, 0)),
        ("7am", time(7, 0)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("24:00", None),
        ("13pm", None),
        ("0am", None),
        ("7:60", None),
        ("2400", None),
        ("soon", None),
        ("", None),
        ("18:00:00:00", None),
    ],
)
def test_parse_clock_time(text: str, expected: time | None) -> None:
    assert parse_clock_time(text) == expected


@settings(deadline=None, max_examples=300)
@given(zone=st.sampled_from(ZONES), now=NOWS, twelve_hour=st.booleans())
def test_a_zones_local_time_resolves_to_zones_with_its_offset(
    zone: str, now: datetime, twelve_hour: bool
) -> None:
    local = now.astimezone(ZoneInfo(zone))
    text = local.strftime("%I:%M %p") if twelve_hour else local.strftime("%H:%M")
    got = resolve_timezone(text, now)
    wanted = offset_min(zone, now)
    assert got, f"nothing for {text} at {now}"
    offsets = {offset_min(z, now) for z in got}
    assert wanted in offsets
    # The date is not known, so a reading a whole day away is the only other possibility.
    assert all((o - wanted) % (24 * 60) == 0 for o in offsets)
