"""Dependencies point inward: the pure core imports no I/O, no Telegram and no clock."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "bot" / "domain"
FORBIDDEN = (
    *("telegram", "aiosqlite", "sqlite3", "apscheduler", "httpx", "tornado", "os", "time"),
    *("matplotlib", "icalendar", "bot.charts"),  # drawing and file formats stay at the edge
    *("bot.tg", "bot.storage", "bot.services", "bot.app", "bot.config"),
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_nothing_from_the_shell() -> None:
    files = sorted(DOMAIN.rglob("*.py"))
    assert files
    for path in files:
        for name in imported_modules(path):
            bad = [f for f in FORBIDDEN if name == f or name.startswith(f + ".")]
            assert not bad, f"{path.name} imports {name}"


def test_domain_never_reads_the_clock() -> None:
    for path in sorted(DOMAIN.rglob("*.py")):
        text = path.read_text()
        for call in ("datetime.now(", "datetime.utcnow(", "date.today(", "time.time("):
            assert call not in text, f"{path.name} reads the clock via {call}"
