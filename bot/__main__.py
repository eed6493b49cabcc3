"""Entry point: `python -m bot [run|plan|demo|backup]`; a bare `python -m bot` runs the bot."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli import plan as plan_cli
from bot.content import ContentError, load_library

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.domain.models import Library

# Each command imports what it needs when it runs: `plan` must not pay for Telegram, the
# scheduler, SQLite or matplotlib (a second's start-up for a preview that takes milliseconds),
# nor for pydantic-settings: a preview reads one setting, CONTENT_DIR (bot/cli/plan_settings.py).
_PREVIEW = ("plan", "-h", "--help")


def _settings() -> Settings | None:
    """Every setting, validated; None (after saying what is wrong) if one is bad."""
    from pydantic import ValidationError

    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors()
        )
        print(f"error: bad settings: {problems}", file=sys.stderr)
        return None


def cmd_run(settings: Settings, library: Library) -> int:
    """Start the bot in long-polling mode with the configured token."""
    import asyncio

    from telegram import Update
    from telegram.error import InvalidToken

    from bot.app import Connection, build_application
    from bot.config import TokenError, require_token
    from bot.logs import configure_logging
    from bot.storage.filesafety import StorageError

    try:
        token = require_token(settings)
    except TokenError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets=[token])
    try:
        asyncio.run(_check_database(settings.database_path))
    except StorageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    base_url, base_file_url = settings.api_urls()
    app = build_application(
        Connection(token, base_url, base_file_url, limits=settings.limits()),
        library,
        settings.database_path,
        default_timezone=settings.default_timezone,
        default_language=settings.default_language,
        reminders=settings.reminders(),
    )
    try:
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        # PTB's message quotes the token; say what to fix without it.
        print(
            "error: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather.",
            file=sys.stderr,
        )
        return 2
    except Exception:
        import logging

        # Through the redacting formatter configure_logging installed.
        logging.getLogger("bot").exception("the bot stopped on an error")
        return 1
    return 0


async def _check_database(path: Path) -> None:
    """Open, check and migrate the database before anything talks to Telegram."""
    from bot.storage.db import Database

    db = await Database.open(path)
    await db.close()


def cmd_backup(settings: Settings, target: Path) -> int:
    """Copy the database to `target` while the bot may be running."""
    from bot.storage.backup import backup
    from bot.storage.filesafety import StorageError

    try:
        size = backup(settings.database_path, target)
    except StorageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"backed up {settings.database_path} to {target} ({size:,} bytes)")
    return 0


def build_parser(library: Library) -> argparse.ArgumentParser:
    """The command line: run, plan and demo."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="BackCoach, a back-training coach for Telegram."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="start the bot (long polling); needs TELEGRAM_BOT_TOKEN")
    plan_parser = sub.add_parser("plan", help="preview the program for a set of answers")
    plan_cli.add_arguments(plan_parser, library)
    demo_parser = sub.add_parser("demo", help="chat with the bot in this terminal, offline")
    demo_parser.add_argument(
        "--db", type=Path, default=None, help="database file to use (default: a throwaway one)"
    )
    demo_parser.add_argument(
        "--lang", default="en", help="the language your Telegram app reports: en or ru (ru-RU ...)"
    )
    backup_parser = sub.add_parser(
        "backup", help="copy the database to PATH, safely, even while the bot runs"
    )
    backup_parser.add_argument("path", type=Path, help="where to write the copy")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    argv = sys.argv[1:] if argv is None else argv
    settings: Settings | None = None
    if argv[:1] and argv[0] in _PREVIEW:
        from bot.cli.plan_settings import content_dir

        folder = content_dir()
    else:
        settings = _settings()
        if settings is None:
            return 2
        folder = settings.content_dir
    try:
        library = load_library(folder) if folder else load_library()
    except ContentError as e:
        print(f"error: broken content: {e}", file=sys.stderr)
        return 2
    args = build_parser(library).parse_args(argv)
    if args.command == "plan":
        return plan_cli.run(args, library)
    if settings is None:  # not reached: `plan` and `--help` end above
        settings = _settings()
        if settings is None:
            return 2
    if args.command == "backup":
        return cmd_backup(settings, args.path)
    if args.command == "demo":
        from bot.cli import demo as demo_cli
        from bot.logs import configure_logging

        configure_logging("WARNING")
        return demo_cli.run(
            library, args.db, settings.default_timezone, args.lang, settings.default_language
        )
    return cmd_run(settings, library)


if __name__ == "__main__":
    sys.exit(main())
