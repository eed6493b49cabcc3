"""The set-log path's Telegram modules reach storage only through the use cases."""

from __future__ import annotations

from pathlib import Path

from tests.test_architecture import imported_modules

TG = Path(__file__).resolve().parents[2] / "bot" / "tg"
SET_LOG_PATH = (
    *("workouts", "workout_views", "target_views", "logbook", "logfix", "logsource", "rest"),
    *("progress", "owndata"),
)


def test_the_set_log_handlers_import_nothing_from_storage() -> None:
    for name in SET_LOG_PATH:
        path = TG / f"{name}.py"
        bad = sorted(
            m for m in imported_modules(path) if m == "bot.storage" or m.startswith("bot.storage.")
        )
        assert not bad, f"bot/tg/{name}.py imports {bad}"


def test_no_module_of_the_set_log_path_passes_400_lines() -> None:
    root = TG.parent
    files = [
        *(TG / f"{n}.py" for n in SET_LOG_PATH),
        *(root / "services" / f"{n}.py" for n in ("workouts", "logset", "summary", "cards")),
        *(root / "services" / f"{n}.py" for n in ("logbook", "logged", "targets", "progress")),
        *(root / "domain" / f"{n}.py" for n in ("setlog", "setrender", "logged", "setlex")),
        root / "storage" / "logstate.py",
    ]
    for path in files:
        lines = len(path.read_text().splitlines())
        assert lines <= 400, f"{path.relative_to(root.parent)} has {lines} lines"
