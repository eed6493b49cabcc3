"""Progress use cases over a real SQLite file: /progress, the report switch, due reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.logged import LoggedSet
from bot.domain.models import SetKind
from bot.services.bootstrap import Services
from bot.services.progress import DueReport, ReportSwitch
from bot.storage.userdata import ImportedSet
from tests.services.conftest import ANN, counting, onboarded
from tests.services.reads import user_reads

U = ANN.user_id
SUNDAY_18_BERLIN = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # the first report after set-up


async def logged(s: Services, clock: FakeClock, exercise: str, sets: int, kg: float | None) -> None:
    """Sets done yesterday, stored as an import stores them."""
    done = clock() - timedelta(days=1)
    rows = [
        ImportedSet(exercise, SetKind.WORKING, LoggedSet(reps=5, weight_kg=kg), done, "Gym")
        for _ in range(sets)
    ]
    await s.userdata.import_sets(U, "strong", rows, clock())


@pytest.fixture
def reads(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The user rows read, counted once onboarding and logging are done (reads.clear())."""
    return user_reads(services, monkeypatch)


async def test_overview_lists_logged_exercises_most_logged_first(
    services: Services, clock: FakeClock, reads: list[int]
) -> None:
    await onboarded(services)
    await logged(services, clock, "pullup-wide", 2, None)
    await logged(services, clock, "deadlift", 3, 100)
    reads.clear()
    shown = await services.progress.overview(U)
    assert shown.logged == ("deadlift", "pullup-wide")
    assert not shown.empty and not shown.has_checks
    assert shown.chart is None and shown.found == ()
    assert reads == [U], "the user row is read once"


async def test_a_name_meaning_one_logged_exercise_comes_with_its_chart(
    services: Services, clock: FakeClock, reads: list[int]
) -> None:
    await onboarded(services)
    await logged(services, clock, "deadlift", 3, 100)
    reads.clear()
    shown = await services.progress.overview(U, "deadlift")
    assert shown.found == ("deadlift",)
    assert shown.chart is not None and shown.chart.png.startswith(b"\x89PNG")
    assert shown.chart.caption.startswith("Barbell deadlift: 1 day logged")
    assert reads == [U], "one read for the list and the chart"
    other = await services.progress.overview(U, "zumba")
    assert other.chart is None and other.found == () and other.logged == ("deadlift",)


async def test_nothing_to_chart_for_a_new_user(services: Services) -> None:
    await onboarded(services)
    shown = await services.progress.overview(U, "deadlift")
    assert shown.empty and shown.chart is None
    assert (await services.progress.overview(999)).empty


async def test_switching_the_report_off_and_on_plans_the_next_in_one_commit(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    before = services.db.commits
    with counting() as commits:
        off = await services.progress.switch_report(U, False)
    assert off == ReportSwitch(known=True, enabled=False, next_due=None)
    assert commits.count == 1 and services.db.commits == before + 1
    assert not await services.userdata.report_enabled(U)
    clock.now = SUNDAY_18_BERLIN
    assert await services.progress.take_due_reports(clock()) == [], "off: nothing is sent"

    clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    before = services.db.commits
    with counting() as commits:
        on = await services.progress.switch_report(U, True)
    assert commits.count == 1 and services.db.commits == before + 1
    assert on == ReportSwitch(known=True, enabled=True, next_due=SUNDAY_18_BERLIN)
    clock.now = SUNDAY_18_BERLIN
    assert [d.user_id for d in await services.progress.take_due_reports(clock())] == [U]


async def test_a_stranger_cannot_switch_the_report(services: Services) -> None:
    switched = await services.progress.switch_report(999, False)
    assert switched == ReportSwitch(known=False, enabled=False, next_due=None)
    row = await services.db.one("SELECT COUNT(*) FROM weekly_reports")
    assert row is not None and row[0] == 0


async def test_due_reports_are_taken_once_and_the_next_planned_in_one_commit(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    assert await services.progress.take_due_reports(clock()) == []  # planned, not yet due
    clock.now = SUNDAY_18_BERLIN
    with counting() as commits:
        due = await services.progress.take_due_reports(clock())
    assert due == [DueReport(U, SUNDAY_18_BERLIN, fresh=True)]
    assert commits.count == 1
    assert await services.progress.take_due_reports(clock()) == [], "never twice"
    clock.now = SUNDAY_18_BERLIN + timedelta(days=7)
    [again] = await services.progress.take_due_reports(clock())
    assert again.due == SUNDAY_18_BERLIN + timedelta(days=7), "the next was planned with it"


async def test_a_report_the_bot_was_down_for_is_taken_as_stale(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    await services.progress.take_due_reports(clock())
    clock.now = SUNDAY_18_BERLIN + timedelta(days=2)
    [late] = await services.progress.take_due_reports(clock())
    assert late.user_id == U and not late.fresh


async def test_a_due_report_is_ready_to_write_to_the_users_chat(
    services: Services, clock: FakeClock
) -> None:
    await onboarded(services)
    await services.progress.take_due_reports(clock())
    clock.now = SUNDAY_18_BERLIN
    await logged(services, clock, "deadlift", 3, 100)
    [due] = await services.progress.take_due_reports(clock())
    ready = await services.progress.report(due)
    assert ready is not None
    assert (ready.user_id, ready.chat_id, ready.units.value) == (U, ANN.chat_id, "kg")
    assert ready.report.week == date(2026, 11, 23)
    assert ready.report.sets == 3 and ready.report.tonnage_kg == 1500
    asked = await services.own.what_is_stored(U)
    await services.own.delete(U, asked.asked)  # the user left meanwhile
    assert await services.progress.report(due) is None
