"""Invariants of an import over real SQLite files: for any answers and any imported history, the
targets it sets are for allowed program exercises only and never jump past the imported weights."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.charts import ChartCache
from bot.content import load_library
from bot.domain import safety
from bot.domain.accounts import Units
from bot.domain.logfile import ExportSet, strong_csv
from bot.domain.models import Goal, Level, Profile, SetKind
from bot.domain.programs import build_plan
from bot.domain.progression import step_kg
from bot.domain.setlog import MAX_WEIGHT_KG
from bot.services.export import OwnData
from bot.services.languages import Languages
from bot.services.reminders import Reminders, ReminderSettings
from bot.storage.db import Database
from bot.storage.languages import LanguageRepo
from bot.storage.repo import Repo
from bot.storage.schedules import ScheduleRepo
from bot.storage.userdata import UserData
from bot.storage.workouts import WorkoutRepo

LIBRARY = load_library()
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
TRAINABLE = sorted(e.id for e in LIBRARY.exercises.values() if e.day is not None)
CONDITIONS = sorted(c for c, cond in LIBRARY.conditions.items() if cond.outcome.value == "restrict")

history = st.lists(
    st.tuples(
        st.sampled_from(TRAINABLE),
        st.sampled_from([SetKind.WORKING, SetKind.WORKING, SetKind.WARMUP, SetKind.MAX]),
        st.integers(1, 30),
        st.one_of(st.none(), st.integers(1, 200).map(lambda w: w * 1.25)),
        st.integers(0, 60),
    ),
    min_size=1,
    max_size=40,
)
answers = st.builds(
    Profile,
    goal=st.sampled_from(list(Goal)),
    level=st.sampled_from(list(Level)),
    pullups=st.integers(0, 20),
    conditions=st.frozensets(st.sampled_from(CONDITIONS), max_size=2),
)


async def _run(
    path: Path,
    profile: Profile,
    units: Units,
    sets: list[tuple[str, SetKind, int, float | None, int]],
) -> None:
    db = await Database.open(path)
    try:
        repo = Repo(db)
        await repo.upsert_user(1, 1, "Ann", NOW)
        await repo.set_units(1, units, NOW)
        program = await repo.issue_program(1, profile, build_plan(profile, LIBRARY), NOW)
        schedules, workouts = ScheduleRepo(db), WorkoutRepo(db)
        own = OwnData(
            repo,
            UserData(db),
            workouts,
            schedules,
            Reminders(repo, schedules, ReminderSettings()),
            LIBRARY,
            lambda: NOW,
            "Europe/Berlin",
            ChartCache(),
            Languages(LanguageRepo(db), "en"),
        )
        rows = [
            ExportSet(
                datetime(2026, 9, 1, 18, 0) + timedelta(days=day),  # noqa: DTZ001 - local
                "Imported",
                None,
                LIBRARY.exercises[ex].name,
                kind,
                "" if weight is None else f"{weight:g}",
                reps,
            )
            for ex, kind, reps, weight, day in sets
        ]
        preview = await own.preview(1, strong_csv(rows).encode())
        assert await own.confirm(1) == preview.sets
        in_program = {p.exercise.id for d in program.plan.days for p in d.exercises}
        heaviest: dict[str, float] = {}
        for ex, _, _, weight, _ in sets:
            if weight is not None:
                kg = weight * 0.45359237 if units is Units.LB else weight
                heaviest[ex] = max(heaviest.get(ex, 0.0), kg)
        for ex in TRAINABLE:
            target = await workouts.target(1, ex)
            if target is None:
                continue
            exercise = LIBRARY.exercises[ex]
            assert ex in in_program, f"{ex}: a target for an exercise outside the program"
            assert safety.check_exercise(exercise, profile, LIBRARY).allowed, f"{ex} ruled out"
            assert target.reps_min >= 1
            assert target.reps_max is None or target.reps_max >= target.reps_min
            if target.weight_kg is not None:
                ceiling = heaviest.get(ex, 0.0) + step_kg(exercise, units) + 1e-6
                assert 0 <= target.weight_kg <= min(ceiling, MAX_WEIGHT_KG), (ex, target)
    finally:
        await db.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=answers, units=st.sampled_from(list(Units)), sets=history)
def test_imported_history_sets_only_safe_bounded_targets(
    profile: Profile, units: Units, sets: list[tuple[str, SetKind, int, float | None, int]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(_run(Path(tmp) / "bot.sqlite3", profile, units, sets))
