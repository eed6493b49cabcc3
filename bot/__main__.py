"""Entry point: `python -m bot [run|plan|demo]`."""

from __future__ import annotations

import argparse
import sys

from bot.cli import plan as plan_cli
from bot.content import ContentError, load_library


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    try:
        library = load_library()
    except ContentError as e:
        print(f"error: broken content: {e}", file=sys.stderr)
        return 2
    parser = argparse.ArgumentParser(prog="python -m bot", description="BackCoach")
    sub = parser.add_subparsers(dest="command")
    plan_parser = sub.add_parser("plan", help="preview the program for a set of answers")
    plan_cli.add_arguments(plan_parser, library)
    args = parser.parse_args(argv)
    if args.command == "plan":
        return plan_cli.run(args, library)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
