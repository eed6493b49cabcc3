"""Own-data use cases over a real SQLite file: /export, /calendar, import, /delete."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.logfile import ExportSet, strong_csv
from bot.domain.models import SetKind
from bot.services.bootstrap import Services
from bot.services.export import DELETE_VALID_MINUTES, CalendarFile, Deleted
from tests.services.conftest import ANN, counting, onboarded
from tests.services.reads import user_reads

U = ANN.user_id


def strong_file(sets: int) -> bytes:
    """A Strong export of one deadlift session."""
    started = datetime(2026, 11, 20, 18, 0)  # noqa: DTZ001 - Strong writes local wall time
    rows = [  # 100 kg for 5, 6, 7... reps
        ExportSet(started, "Pull day", 3600, "Deadlift", SetKind.WORKING, "100", 5 + i)
        for i in range(sets)
    ]
    return strong_csv(rows).encode()


async def test_export_reads_the_user_once_for_both_files(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    await onboarded(services)
    await services.own.preview(U, strong_file(3))
    await services.own.confirm(U)
    reads = user_reads(services, monkeypatch)
    made = await services.own.export(U)
    assert made is not None and made.sets == 3
    assert made.csv.count("Barbell deadlift") == 3
    assert json.loads(made.json)["user_id"] == U
    assert reads == [U]


async def test_nothing_to_export_for_a_stranger(services: Services) -> None:
    assert await services.own.export(999) is None


async def test_the_calendar_holds_eight_weeks_of_sessions(services: Services) -> None:
    await onboarded(services)  # Mondays and Thursdays at 18:00; it is Monday morning
    made = await services.own.calendar(U)
    assert made.ics is not None and not made.paused
    assert made.sessions == 17, "tonight's, and two a week up to the Monday 8 weeks on"
    assert made.ics.count(b"BEGIN:VEVENT") == 17


async def test_no_calendar_while_paused_or_without_a_schedule(
    services: Services, clock: FakeClock
) -> None:
    assert await services.own.calendar(U) == CalendarFile(None, 0, paused=False)
    await onboarded(services)
    await services.reminders.pause(U, clock())
    assert await services.own.calendar(U) == CalendarFile(None, 0, paused=True)


async def test_confirming_an_import_commits_once(services: Services) -> None:
    await onboarded(services)
    preview = await services.own.preview(U, strong_file(3))
    assert preview.sets == 3
    before = services.db.commits
    with counting() as commits:
        assert await services.own.confirm(U) == 3
    assert commits.count == 1 and services.db.commits == before + 1
    assert await services.repo.load_conversation(U) is None, "the preview is closed"
    assert await services.workouts.target(U, "deadlift") is not None, "a target from history"


async def test_a_file_with_nothing_new_leaves_no_question_open(services: Services) -> None:
    await onboarded(services)
    await services.own.preview(U, strong_file(2))
    await services.own.confirm(U)
    with counting() as commits:
        again = await services.own.preview(U, strong_file(2))
    assert again.sets == 0 and again.duplicates == 2
    assert commits.count == 1
    assert await services.repo.load_conversation(U) is None
    assert await services.own.confirm(U) is None, "no import to confirm"


async def test_delete_removes_everything_and_the_charts_in_one_commit(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    services.charts.put(U, "volume", "digest", b"png")
    asked = await services.own.what_is_stored(U)
    assert asked.stored["users"] == 1 and asked.stored["schedules"] == 1
    clock.now += timedelta(minutes=DELETE_VALID_MINUTES)
    before = services.db.commits
    with counting() as commits:
        deleted = await services.own.delete(U, asked.asked)
    assert commits.count == 1 and services.db.commits == before + 1
    assert not deleted.expired and deleted.rows >= sum(asked.stored.values()) - 1
    assert (await services.own.what_is_stored(U)).stored == {}
    assert services.charts.get(U, "volume", "digest") is None


async def test_an_old_delete_button_deletes_nothing(services: Services, clock: FakeClock) -> None:
    await onboarded(services)
    asked = await services.own.what_is_stored(U)
    clock.now += timedelta(minutes=DELETE_VALID_MINUTES + 1)
    assert await services.own.delete(U, asked.asked) == Deleted(expired=True, rows=0)
    assert (await services.own.what_is_stored(U)).stored == asked.stored


async def test_after_delete_the_language_chosen_is_forgotten_too(services: Services) -> None:
    await onboarded(services)
    await services.language_choice.choose(U, "ru", ANN.chat_id, "Ann")
    assert await services.languages.for_user(U) == "ru"
    asked = await services.own.what_is_stored(U)
    await services.own.delete(U, asked.asked)
    assert await services.languages.for_user(U) == "en", "nothing about the user is kept"
