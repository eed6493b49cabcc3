"""The one setting `python -m bot plan` (and `--help`) reads: CONTENT_DIR.

Read the way `bot.config.Settings` reads it (pydantic-settings: the environment first, the name
in any case, then `.env` in the working directory, parsed by python-dotenv), but without
importing pydantic-settings, which was about 45 ms of a preview's start-up. A preview uses no
other setting, so it no longer stops on one it does not use (a bad LOG_LEVEL, say).
tests/test_cli_startup.py checks that both readers agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_FILE = Path(".env")  # as Settings.model_config's env_file
_NAME = "content_dir"


def _last(items: Mapping[str, str | None]) -> tuple[bool, str | None]:
    """(found, value) of the setting; names compare case-insensitively, the last one wins."""
    found, value = False, None
    for key, raw in items.items():
        if key.lower() == _NAME:
            found, value = True, raw
    return found, value


def content_dir(environ: Mapping[str, str] | None = None, env_file: Path = ENV_FILE) -> Path | None:
    """The content folder to load, or None for the bundled content/."""
    found, value = _last(os.environ if environ is None else environ)
    if not found and (env_file.is_file() or env_file.is_fifo()):
        from dotenv import dotenv_values

        found, value = _last(dotenv_values(env_file, encoding="utf-8"))
    return None if value is None else Path(value)
