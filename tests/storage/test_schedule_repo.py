"""ScheduleRepo on real SQLite files: schedules, planned sessions, claiming and closing them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from bot.domain.calendar import PlannedSession, Progress, Schedule
from bot.domain.models import DayKind, Goal, Level, Library, Profile
from bot.domain.programs import build_plan
from bot.domain.sessions import PauseReason, SessionStatus
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.schedules import SavedSchedule, ScheduleRepo

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday
SCHEDULE = Schedule(weekdays=frozenset({0, 3}), time=time(18, 0), timezone="Europe/Berlin")


def planned(on: date, kind: DayKind = DayKind.UPPER) -> PlannedSession:
    """A session at 18:00 Berlin (17:00 UTC in winter) on `on`."""
    return PlannedSession(
        on=on, kind=kind, local_time=time(18, 0), due_utc=datetime.combine(on, time(17), UTC)
    )


async def user_with_program(db: Database, library: Library, user_id: int = 1) -> int:
    """A user with a program; its id."""
    repo = Repo(db)
    await repo.upsert_user(user_id, 100 + user_id, "Ann", NOW)
    profile = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    return (await repo.issue_program(user_id, profile, build_plan(profile, library), NOW)).id


async def with_session(
    db: Database, library: Library, user_id: int, on: date = date(2026, 11, 23)
) -> int:
    """A user with a program, a schedule and one planned session on `on`; the session's id."""
    program = await user_with_program(db, library, user_id)
    schedules = ScheduleRepo(db)
    await schedules.save_schedule(user_id, SCHEDULE, Progress(), NOW)
    end = datetime.combine(on + timedelta(days=1), time(0), UTC)
    session = await schedules.replace_open_session(user_id, program, planned(on), end, NOW)
    assert session is not None
    return session.id


async def test_a_schedule_is_none_until_saved_and_then_comes_back_named(db: Database) -> None:
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    schedules = ScheduleRepo(db)
    assert await schedules.schedule(1) is None
    assert await schedules.set_paused(1, PauseReason.USER, NOW) is False, "nothing to pause"
    progress = Progress(last_done_on=date(2026, 11, 20), next_kind=DayKind.LOWER)
    await schedules.save_schedule(1, SCHEDULE, progress, NOW)
    assert await schedules.schedule(1) == SavedSchedule(SCHEDULE, progress, None)
    assert await schedules.set_paused(1, PauseReason.MEDICAL, NOW) is True
    saved = await schedules.schedule(1)
    assert saved is not None and saved.paused is PauseReason.MEDICAL


async def test_a_new_schedule_ends_a_users_pause_but_not_a_medical_one(db: Database) -> None:
    await Repo(db).upsert_user(1, 1, "Ann", NOW)
    schedules = ScheduleRepo(db)
    await schedules.save_schedule(1, SCHEDULE, Progress(), NOW)
    await schedules.set_paused(1, PauseReason.USER, NOW)
    await schedules.save_schedule(1, SCHEDULE, Progress(), NOW)
    assert (await schedules.schedule(1)) == SavedSchedule(SCHEDULE, Progress(), None)
    await schedules.set_paused(1, PauseReason.MEDICAL, NOW)
    await schedules.save_schedule(1, SCHEDULE, Progress(), NOW)
    saved = await schedules.schedule(1)
    assert saved is not None and saved.paused is PauseReason.MEDICAL


async def test_replacing_the_open_session_closes_the_old_one_as_told(
    db: Database, library: Library
) -> None:
    first = await with_session(db, library, 1)
    schedules = ScheduleRepo(db)
    opened = await schedules.open_session(1)
    assert opened is not None and opened.id == first and opened.chat_id == 101
    assert opened.status is SessionStatus.PLANNED and opened.due_at == datetime(
        2026, 11, 23, 17, tzinfo=UTC
    )
    progress = Progress(last_done_on=date(2026, 11, 23), next_kind=DayKind.LOWER)
    thursday = date(2026, 11, 26)
    second = await schedules.replace_open_session(
        1,
        opened.program_id,
        planned(thursday, DayKind.LOWER),
        datetime(2026, 11, 27, tzinfo=UTC),
        NOW,
        close_as=SessionStatus.DONE,
        progress=(SCHEDULE, progress),
    )
    assert second is not None and (second.on, second.kind) == (thursday, DayKind.LOWER)
    old = await schedules.session(first)
    assert old is not None and old.status is SessionStatus.DONE
    assert [s.id for s in await schedules.history(1)] == [second.id, first]
    saved = await schedules.schedule(1)
    assert saved is not None and saved.progress == progress
    # Nothing to plan: the open one is closed and none is opened.
    assert await schedules.replace_open_session(1, opened.program_id, None, None, NOW) is None
    assert await schedules.open_session(1) is None
    assert await schedules.session(9999) is None


async def test_finish_setup_stores_program_timezone_schedule_and_session_together(
    db: Database, library: Library
) -> None:
    repo, schedules = Repo(db), ScheduleRepo(db)
    await repo.upsert_user(1, 1, "Ann", NOW)
    await repo.save_conversation(1, "onboarding", {"step": "confirm"}, NOW)
    profile = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    monday = date(2026, 11, 23)
    first = await schedules.finish_setup(
        1,
        NOW,
        issue=(profile, build_plan(profile, library)),
        timezone="Europe/Berlin",
        schedule=(SCHEDULE, Progress()),
        planned=(planned(monday), datetime(2026, 11, 23, 23, tzinfo=UTC)),
    )
    issued, session = first.issued, first.session
    assert issued is not None and issued.version == 1
    assert session is not None and session.program_id == issued.id and session.on == monday
    assert await repo.load_conversation(1) is None
    user = await repo.get_user(1)
    assert user is not None and user.timezone == "Europe/Berlin"
    assert await schedules.schedule(1) == SavedSchedule(SCHEDULE, Progress(), None)
    # Again without a new program: the session is planned from the current one.
    second = await schedules.finish_setup(
        1,
        NOW,
        issue=None,
        timezone=None,
        schedule=None,
        planned=(planned(date(2026, 11, 26)), datetime(2026, 11, 26, 23, tzinfo=UTC)),
    )
    assert second.issued is None, "the current program is kept"
    assert second.session is not None and second.session.program_id == issued.id
    old = await schedules.session(session.id)
    assert old is not None and old.status is SessionStatus.CANCELLED


async def test_claiming_takes_due_reminders_once_oldest_first_and_skips_paused_users(
    db: Database, library: Library
) -> None:
    ids = [await with_session(db, library, user) for user in (1, 2, 3)]
    schedules = ScheduleRepo(db)
    await schedules.set_paused(3, PauseReason.USER, NOW)
    before_due = datetime(2026, 11, 23, 16, 59, tzinfo=UTC)
    assert await schedules.claim_due(before_due, 10) == []
    due = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    [first] = await schedules.claim_due(due, 1)
    [second] = await schedules.claim_due(due, 10)
    assert [first.id, second.id] == ids[:2] and second.status is SessionStatus.SENDING
    assert await schedules.claim_due(due, 10) == [], "never handed out twice"
    assert await schedules.count_by_status() == {"sending": 2, "planned": 1}
    # Marking moves only from the expected status.
    assert await schedules.mark(ids[0], SessionStatus.REMINDED, due, only_if=SessionStatus.SENDING)
    assert not await schedules.mark(ids[0], SessionStatus.DONE, due, only_if=SessionStatus.SENDING)
    # A crash with a claim outstanding: counted as sent.
    assert await schedules.recover_interrupted(due) == 1
    assert await schedules.count_by_status() == {"reminded": 2, "planned": 1}


async def test_a_snoozed_reminder_comes_due_again_later(db: Database, library: Library) -> None:
    session_id = await with_session(db, library, 1)
    schedules = ScheduleRepo(db)
    due = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    await schedules.claim_due(due, 10)
    assert not await schedules.snooze(session_id, due + timedelta(minutes=30)), "not reminded"
    await schedules.mark(session_id, SessionStatus.REMINDED, due, only_if=SessionStatus.SENDING)
    assert await schedules.snooze(session_id, due + timedelta(minutes=30))
    assert await schedules.claim_due(due + timedelta(minutes=29), 10) == []
    [again] = await schedules.claim_due(due + timedelta(minutes=30), 10)
    assert again.id == session_id


async def test_expiry_marks_missed_sessions_and_their_users_to_plan_again(
    db: Database, library: Library
) -> None:
    for user in (1, 2):
        await with_session(db, library, user)
    schedules = ScheduleRepo(db)
    due = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
    for session in await schedules.claim_due(due, 10):
        if session.user_id == 1:
            await schedules.mark(
                session.id, SessionStatus.REMINDED, due, only_if=SessionStatus.SENDING
            )
    assert await schedules.expire_all(datetime(2026, 11, 23, 23, 59, tzinfo=UTC)) == 0
    assert await schedules.expire_all(datetime(2026, 11, 24, 0, 0, tzinfo=UTC)) == 1
    assert await schedules.needing_plan(10) == [1]
    await schedules.planned_nothing(1)
    assert await schedules.needing_plan(10) == []
    # At start-up: a user with a schedule and a program but no open session is marked.
    assert await schedules.mark_unplanned() == 1
    assert await schedules.needing_plan(10) == [1]


async def test_what_was_saved_survives_a_reopen(tmp_path: Path, library: Library) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    session_id = await with_session(db, library, 1)
    await ScheduleRepo(db).set_paused(1, PauseReason.BLOCKED, NOW)
    await db.close()
    again = await Database.open(path)
    try:
        schedules = ScheduleRepo(again)
        saved = await schedules.schedule(1)
        assert saved == SavedSchedule(SCHEDULE, Progress(), PauseReason.BLOCKED)
        opened = await schedules.open_session(1)
        assert opened is not None and opened.id == session_id
    finally:
        await again.close()
