"""The bot's commands, in menu order, with the one-line descriptions users see."""

from __future__ import annotations

from telegram import BotCommand

from bot.i18n import N_, _

COMMANDS: list[tuple[str, str]] = [
    ("start", N_("Start, or pick up where you left off")),
    ("today", N_("Today's session, or when the next one is")),
    ("history", N_("Your log; /history deadlift for one exercise")),
    ("records", N_("Your personal records")),
    ("undo", N_("Take back the last set you logged")),
    ("progress", N_("Charts of your lifts, volume and back")),
    ("units", N_("Log weights in kg or lb")),
    ("program", N_("Show your back program")),
    ("exercises", N_("The exercise library, with technique")),
    ("schedule", N_("Your training days and reminders")),
    ("pause", N_("Pause reminders")),
    ("resume", N_("Resume reminders")),
    ("settings", N_("Answer the questions again; weekly report")),
    ("export", N_("Your log as CSV, and all your data")),
    ("import", N_("Bring your history from Strong or Hevy")),
    ("calendar", N_("Your next sessions as a calendar file")),
    ("delete", N_("Delete everything I store about you")),
    ("cancel", N_("Stop the set-up in progress")),
    ("language", N_("Language: English or Russian")),
    ("help", N_("What I can do")),
]


def menu() -> list[BotCommand]:
    """The command menu for setMyCommands, in the current language."""
    return [BotCommand(name, _(description)) for name, description in COMMANDS]


def help_lines() -> list[str]:
    """One line per command for /help, in the current language."""
    return [f"/{name} - {_(description)}" for name, description in COMMANDS]
