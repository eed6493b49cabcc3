"""`python -m bot plan` imports only what a preview needs: no Telegram, scheduler or SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What `run` and `demo` need and `plan` does not; each costs a noticeable part of a second.
HEAVY = ("telegram", "apscheduler", "aiosqlite", "matplotlib", "tornado", "httpx")


def imported_by(*args: str) -> set[str]:
    """Every module a real `python -m bot ...` process imported, read from -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout, "the command printed its answer"
    return {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_plan_does_not_import_telegram_or_the_scheduler() -> None:
    modules = imported_by("plan", "--pullups", "5", "--days", "mon,thu")
    assert "bot.cli.plan" in modules and "bot.content" in modules, "the check sees imports"
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert not heavy, f"plan imported {heavy[:5]}"


def test_help_lists_every_command_without_loading_them() -> None:
    modules = imported_by("--help")
    assert "telegram" not in modules and "bot.cli.demo" not in modules
