"""`python -m bot plan` imports only what a preview needs: no Telegram, scheduler, SQLite or
pydantic-settings; it reads its one setting, CONTENT_DIR, as the settings do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.plan_settings import content_dir
from bot.config import Settings
from bot.content import DEFAULT_CONTENT_DIR

ROOT = Path(__file__).resolve().parent.parent
# What `run` and `demo` need and `plan` does not; each costs a noticeable part of a second.
HEAVY = ("telegram", "apscheduler", "aiosqlite", "matplotlib", "tornado", "httpx", "aiohttp")


def imported_by(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Every module a real `python -m bot ...` process imported, read from -X importtime."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", *args],
        cwd=ROOT,
        env=env,
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


# Kept out of `plan` by import hygiene, each a noticeable part of its start-up: pydantic-settings
# (and the asyncio it imports), the settings module, the set-log parser and the user models.
LIGHT = ("pydantic_settings", "bot.config", "bot.domain.setlog", "bot.domain.accounts", "asyncio")


def test_plan_imports_neither_settings_nor_the_set_log_parser() -> None:
    modules = imported_by("plan", "--pullups", "5", "--days", "mon,thu")
    assert "bot.cli.plan" in modules, "the check sees imports"
    kept = sorted(m for m in modules if m in LIGHT or m.split(".")[0] in LIGHT)
    assert not kept, f"plan imported {kept}"


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k.lower() not in ("content_dir", "log_level")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def edited_content(tmp_path: Path) -> Path:
    """A copy of content/ whose warm-up has another name, so its use shows in the output."""
    folder = tmp_path / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, folder)
    exercises = folder / "exercises.toml"
    text = exercises.read_text(encoding="utf-8")
    assert 'name = "Easy cardio"' in text
    exercises.write_text(text.replace('name = "Easy cardio"', 'name = "Edited cardio"'), "utf-8")
    return folder


@pytest.mark.parametrize("how", ["environment", "lowercase environment", ".env"])
def test_plan_previews_the_content_dir_setting(
    tmp_path: Path, edited_content: Path, how: str
) -> None:
    env = {}
    if how == "environment":
        env["CONTENT_DIR"] = str(edited_content)
    elif how == "lowercase environment":
        env["content_dir"] = str(edited_content)
    else:
        (tmp_path / ".env").write_text(f'CONTENT_DIR="{edited_content}"\n', encoding="utf-8")
    done = _run(["plan", "--pullups", "5"], tmp_path, **env)
    assert done.returncode == 0, done.stderr
    assert "Edited cardio" in done.stdout


def test_plan_says_which_content_file_is_broken(tmp_path: Path) -> None:
    done = _run(["plan"], tmp_path, CONTENT_DIR=str(tmp_path / "nowhere"))
    assert done.returncode == 2
    assert "broken content" in done.stderr and "exercises.toml" in done.stderr


def test_a_bad_setting_stops_the_bot_but_not_a_preview(tmp_path: Path) -> None:
    """A preview uses no setting but CONTENT_DIR; the commands that use them still check all."""
    preview = _run(["plan"], tmp_path, LOG_LEVEL="LOUD")
    assert preview.returncode == 0 and "Screening: clear" in preview.stdout
    backup = _run(["backup", str(tmp_path / "copy.sqlite3")], tmp_path, LOG_LEVEL="LOUD")
    assert backup.returncode == 2 and "bad settings: LOG_LEVEL" in backup.stderr


@pytest.mark.parametrize(
    ("environment", "env_file"),
    [
        ({}, None),
        ({"CONTENT_DIR": "/from/env"}, None),
        ({"Content_Dir": "/mixed/case"}, None),
        ({}, 'CONTENT_DIR="/from/file"\n'),
        ({}, "export content_dir=/exported  # a comment\nLOG_LEVEL=INFO\n"),
        ({"CONTENT_DIR": "/env/wins"}, "CONTENT_DIR=/file/loses\n"),
        ({}, "CONTENT_DIR=\n"),
        ({}, "CONTENT_DIR\n"),
        ({}, "OTHER=1\n"),
    ],
)
def test_plan_reads_content_dir_as_the_settings_do(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    environment: dict[str, str],
    env_file: str | None,
) -> None:
    for key in list(os.environ):
        if key.lower() in {name.lower() for name in Settings.model_fields}:
            monkeypatch.delenv(key)
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    if env_file is not None:
        (tmp_path / ".env").write_text(env_file, encoding="utf-8")
    assert content_dir() == Settings().content_dir
