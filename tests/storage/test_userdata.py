"""UserData and the rest of Repo on real SQLite files: all of one user's data, read, imported,
counted and deleted; the weekly report's switch and schedule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.domain import workouts as wk
from bot.domain.accounts import Units
from bot.domain.calendar import PlannedSession, Progress, Schedule
from bot.domain.models import DayKind, Goal, Level, Library, Profile, SetKind
from bot.domain.programs import build_plan
from bot.domain.setlog import LoggedSet
from bot.domain.targets import SetAim
from bot.domain.workouts import WorkoutStatus
from bot.storage.db import Database
from bot.storage.repo import Conversation, Repo
from bot.storage.schedules import ScheduleRepo
from bot.storage.userdata import ImportedSet, SessionCount, UserData
from bot.storage.workouts import NewSet, Source, WorkoutRepo

NOW = datetime(2026, 11, 23, 17, 5, tzinfo=UTC)  # a Monday
MONDAY = date(2026, 11, 23)
SCHEDULE = Schedule(weekdays=frozenset({0, 3}), time=time(18), timezone="UTC")


async def trained(db: Database, library: Library, user_id: int) -> None:
    """A user with a program, a schedule, a planned session and one workout with 2 sets."""
    repo, schedules, workouts = Repo(db), ScheduleRepo(db), WorkoutRepo(db)
    await repo.upsert_user(user_id, user_id, "Ann", NOW)
    profile = Profile(goal=Goal.WIDTH, level=Level.BEGINNER, pullups=2)
    plan = build_plan(profile, library)
    program = await repo.issue_program(user_id, profile, plan, NOW)
    await schedules.save_schedule(user_id, SCHEDULE, Progress(), NOW)
    due = datetime.combine(MONDAY, time(18), UTC)
    session = PlannedSession(on=MONDAY, kind=DayKind.UPPER, local_time=time(18), due_utc=due)
    await schedules.replace_open_session(user_id, program.id, session, due, NOW)
    workout = await workouts.create(
        user_id, program.id, None, DayKind.UPPER, MONDAY, wk.items_from_day(plan.days[0]), NOW
    )
    sets = [NewSet("deadlift", SetKind.WORKING, LoggedSet(reps=5, weight_kg=100.0), SetAim())]
    await workouts.save(workout, NOW, sets * 2, Source(update_id=user_id))


async def two_users(db: Database, library: Library) -> UserData:
    """Users 1 and 2, trained; UserData over them."""
    for user in (1, 2):
        await trained(db, library, user)
    return UserData(db)


async def test_users_and_their_settings(db: Database) -> None:
    repo = Repo(db)
    assert await repo.get_user(1) is None
    user = await repo.upsert_user(1, 10, "Ann", NOW)
    assert (user.chat_id, user.first_name, user.units, user.timezone) == (10, "Ann", Units.KG, None)
    again = await repo.upsert_user(1, 11, "Anna", NOW + timedelta(days=1))
    assert (again.chat_id, again.first_name, again.created_at) == (11, "Anna", NOW)
    await repo.set_units(1, Units.LB, NOW)
    await repo.set_timezone(1, "Asia/Tokyo", NOW)
    stored = await repo.get_user(1)
    assert stored is not None and (stored.units, stored.timezone) == (Units.LB, "Asia/Tokyo")
    assert await repo.current_program(1) is None and await repo.program_versions(1) == []
    assert await repo.load_conversation(1) is None
    await repo.save_conversation(1, "onboarding", {"step": "goal"}, NOW)
    await repo.save_conversation(1, "log", {"sets": "5x5"}, NOW)
    assert await repo.load_conversation(1) == Conversation("log", {"sets": "5x5"}), "replaced"


async def test_sets_come_with_their_workout_and_sessions_are_counted_per_week(
    db: Database, library: Library
) -> None:
    await trained(db, library, 1)
    data = UserData(db)
    sets = await data.sets(1)
    assert [(s.exercise_id, s.set.reps, s.workout_on, s.workout_kind) for s in sets] == [
        ("deadlift", 5, MONDAY, DayKind.UPPER)
    ] * 2
    assert sets[0].workout_ended is None, "still going"
    assert await data.sets(2) == []
    sunday = MONDAY + timedelta(days=6)
    assert await data.sessions_in(1, MONDAY, sunday) == SessionCount(0, 1), "active: not done"
    workout = await WorkoutRepo(db).active(1)
    assert workout is not None
    await WorkoutRepo(db).save(workout.model_copy(update={"status": WorkoutStatus.FINISHED}), NOW)
    assert await data.sessions_in(1, MONDAY, sunday) == SessionCount(1, 1)
    next_week = sunday + timedelta(days=1)
    assert await data.sessions_in(1, next_week, next_week + timedelta(days=6)) == SessionCount(0, 0)


async def test_an_import_is_one_transaction_and_counts_show_every_table(
    db: Database, library: Library
) -> None:
    await trained(db, library, 1)
    data = UserData(db)
    done = NOW - timedelta(days=30)
    imported = [
        ImportedSet("deadlift", SetKind.WORKING, LoggedSet(reps=5, weight_kg=90.0), done, "Pull A"),
        ImportedSet("pullup-wide", SetKind.WORKING, LoggedSet(reps=8), done, "Pull A"),
    ]
    import_id = await data.import_sets(1, "strong", imported, NOW)
    assert import_id > 0
    sets = await data.sets(1)
    assert [s.workout_name for s in sets[:2]] == ["Pull A", "Pull A"], "oldest first"
    counts = await data.counts(1)
    assert counts["set_logs"] == 4 and counts["imports"] == 1 and counts["users"] == 1
    assert counts["programs"] == 1 and counts["sessions"] == 1 and counts["workouts"] == 1
    dump = await data.dump(1)
    assert len(dump["set_logs"]) == 4 and dump["users"][0]["first_name"] == "Ann"
    assert isinstance(dump["workouts"][0]["items"], list), "JSON columns come decoded"


async def test_deleting_a_user_removes_every_row_and_leaves_others(
    db: Database, library: Library
) -> None:
    data = await two_users(db, library)
    before = await data.counts(1)
    assert before["set_logs"] == 2 and before["sessions"] == 1
    assert await data.delete(1) > 0
    assert await data.counts(1) == {}
    assert await data.counts(2) != {} and len(await data.sets(2)) == 2
    assert await data.delete(1) == 0


async def test_the_weekly_report_is_on_by_default_planned_and_claimed_once(
    db: Database, library: Library
) -> None:
    data = await two_users(db, library)
    assert await data.report_enabled(1) is True
    await data.set_report_enabled(2, False, NOW)
    assert await data.report_enabled(2) is False
    assert await data.unplanned_reports(NOW) == [1], "users with a schedule, report on"
    await data.plan_report(1, 1_000)
    await data.plan_report(2, 1_000)  # off: not planned
    assert await data.unplanned_reports(NOW) == []
    assert await data.claim_due_reports(999) == []
    assert await data.claim_due_reports(1_000) == [(1, 1_000)]
    assert await data.claim_due_reports(1_000) == [], "never handed out twice"
    assert await data.unplanned_reports(NOW) == [1], "to plan again after a report went out"
