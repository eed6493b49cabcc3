"""The set-log path's Telegram modules reach storage only through the use cases."""

from __future__ import annotations

import ast
from pathlib import Path

TG = Path(__file__).resolve().parents[2] / "bot" / "tg"
SET_LOG_PATH = (
    *("workouts", "workout_views", "target_views", "logbook", "logfix", "logsource"),
    *("progress", "owndata"),
)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_set_log_handlers_import_nothing_from_storage() -> None:
    for name in SET_LOG_PATH:
        path = TG / f"{name}.py"
        bad = sorted(
            m for m in _imports(path) if m == "bot.storage" or m.startswith("bot.storage.")
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
