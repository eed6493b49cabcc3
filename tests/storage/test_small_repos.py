"""SafetyRepo, JournalRepo and DeliveryRepo on real SQLite files."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.domain.calendar import PlannedSession, Progress, Schedule
from bot.domain.models import DayKind, Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.domain.safety import BackFeeling
from bot.domain.sessions import SessionStatus
from bot.storage.db import CURRENT_UPDATE, Database
from bot.storage.delivery import DeliveryRepo
from bot.storage.journal import KEEP_DONE, JournalRepo
from bot.storage.repo import Repo
from bot.storage.safety import SafetyRepo
from bot.storage.schedules import ScheduleRepo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


# --- safety ---------------------------------------------------------------------------------


async def test_back_checks_come_back_with_their_dates_oldest_first(db: Database) -> None:
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    safety = SafetyRepo(db)
    monday, thursday = date(2026, 11, 23), date(2026, 11, 26)
    assert await safety.add_back_check(1, monday, BackFeeling.FINE, None, NOW) == []
    earlier = await safety.add_back_check(1, thursday, BackFeeling.STIFF, None, NOW)
    assert earlier == [(monday, BackFeeling.FINE)], "the earlier answers, not today's"
    await safety.add_back_check(1, thursday, BackFeeling.HURTS, None, NOW)
    assert await safety.back_checks(1) == [
        (monday, BackFeeling.FINE),
        (thursday, BackFeeling.STIFF),
        (thursday, BackFeeling.HURTS),
    ]
    assert await safety.feelings_on(1, thursday) == [BackFeeling.STIFF, BackFeeling.HURTS]
    assert await safety.feelings_on(1, date(2026, 11, 24)) == []
    assert await safety.back_checks(2) == []


async def test_pain_is_counted_per_exercise(db: Database) -> None:
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    safety = SafetyRepo(db)
    assert await safety.add_pain(1, "deadlift", None, NOW) == 1
    assert await safety.add_pain(1, "pullup-wide", None, NOW) == 1
    assert await safety.add_pain(1, "deadlift", None, NOW) == 2


async def test_a_check_in_is_handed_out_once_when_due_and_moves_when_set_again(
    db: Database,
) -> None:
    repo, safety = Repo(db), SafetyRepo(db)
    for user in (1, 2):
        await repo.upsert_user(user, 100 + user, "Ann", NOW)
    await safety.set_checkin(1, NOW + timedelta(days=2), NOW)
    await safety.set_checkin(2, NOW + timedelta(days=1), NOW)
    await safety.set_checkin(2, NOW + timedelta(days=3), NOW)  # one per user: moved
    assert await safety.claim_due_checkins(NOW + timedelta(days=1)) == []
    assert await safety.claim_due_checkins(NOW + timedelta(days=2)) == [(1, 101)]
    assert await safety.claim_due_checkins(NOW + timedelta(days=2)) == [], "not twice"
    assert await safety.claim_due_checkins(NOW + timedelta(days=4)) == [(2, 102)]


# --- the update journal -----------------------------------------------------------------------


async def test_an_update_is_recorded_once_and_finished_without_its_body(db: Database) -> None:
    journal = JournalRepo(db)
    assert await journal.status(1) is None
    assert await journal.record(1, '{"update_id": 1}', NOW) is True
    assert await journal.record(1, '{"update_id": 1}', NOW) is False, "a redelivery"
    assert await journal.record(2, '{"update_id": 2}', NOW) is True
    assert await journal.pending() == [(1, '{"update_id": 1}'), (2, '{"update_id": 2}')]
    await journal.finish(1, True, NOW)
    await journal.finish(2, False, NOW)
    assert (await journal.status(1), await journal.status(2)) == ("done", "dropped")
    assert await journal.pending() == []
    row = await db.one("SELECT body FROM update_journal WHERE update_id = 1")
    assert row is not None and row[0] is None, "a handled update's text is not kept"
    await journal.finish(1, False, NOW)
    assert await journal.status(1) == "done", "finishing twice changes nothing"


async def test_an_update_whose_writes_committed_is_not_pending_any_more(db: Database) -> None:
    journal = JournalRepo(db)
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    await journal.record(7, "{}", NOW)
    token = CURRENT_UPDATE.set(7)
    try:
        await Repo(db).set_timezone(1, "Europe/Berlin", NOW)
    finally:
        CURRENT_UPDATE.reset(token)
    assert await journal.status(7) == "committed"
    assert await journal.pending() == [] and await journal.committed() == [(7, "{}")]
    await journal.finish(7, True, NOW)
    assert await journal.committed() == []


async def test_prune_forgets_old_handled_updates_and_keeps_pending_ones(db: Database) -> None:
    journal = JournalRepo(db)
    for update_id in (1, 2, 3):
        await journal.record(update_id, "{}", NOW)
    await journal.finish(1, True, NOW)
    await journal.finish(2, True, NOW + KEEP_DONE)
    assert await journal.prune(NOW + KEEP_DONE + timedelta(seconds=1)) == 1
    assert [await journal.status(u) for u in (1, 2, 3)] == [None, "done", "pending"]


async def test_recorded_updates_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await JournalRepo(db).record(5, '{"x": 1}', NOW)
    await db.close()
    again = await Database.open(path)
    try:
        assert await JournalRepo(again).pending() == [(5, '{"x": 1}')]
    finally:
        await again.close()


# --- reminder delivery ------------------------------------------------------------------------


async def claimed_reminder(db: Database, library: Library) -> int:
    """One user's reminder, claimed for sending; its session id."""
    repo, schedules = Repo(db), ScheduleRepo(db)
    await repo.upsert_user(1, 1, "Ann", NOW)
    profile = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    program = await repo.issue_program(1, profile, build_plan(profile, library), NOW)
    schedule = Schedule(weekdays=frozenset({0}), time=time(18), timezone="UTC")
    await schedules.save_schedule(1, schedule, Progress(), NOW)
    due = datetime(2026, 11, 23, 18, tzinfo=UTC)
    session = PlannedSession(on=due.date(), kind=DayKind.UPPER, local_time=time(18), due_utc=due)
    await schedules.replace_open_session(1, program.id, session, due + timedelta(hours=6), NOW)
    [claimed] = await schedules.claim_due(due, 10)
    return claimed.id


async def test_a_released_reminder_goes_back_in_the_queue_due_as_before(
    db: Database, library: Library
) -> None:
    session_id = await claimed_reminder(db, library)
    delivery, schedules = DeliveryRepo(db), ScheduleRepo(db)
    await delivery.attempting(session_id, NOW)
    assert await delivery.release(session_id) is True
    assert await delivery.release(session_id) is False, "only a claimed one"
    [again] = await schedules.claim_due(datetime(2026, 11, 23, 18, tzinfo=UTC), 10)
    assert again.id == session_id


async def test_at_start_up_only_claims_never_attempted_are_released(
    db: Database, library: Library
) -> None:
    session_id = await claimed_reminder(db, library)
    delivery, schedules = DeliveryRepo(db), ScheduleRepo(db)
    assert await delivery.release_unattempted() == 1
    [again] = await schedules.claim_due(datetime(2026, 11, 23, 18, tzinfo=UTC), 10)
    await delivery.attempting(again.id, NOW)
    assert await delivery.release_unattempted() == 0, "it may have left: not sent again"
    session = await schedules.session(session_id)
    assert session is not None and session.status is SessionStatus.SENDING
