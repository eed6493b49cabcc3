"""The bot's commands, in menu order, with the one-line descriptions users see."""

from __future__ import annotations

from telegram import BotCommand

COMMANDS: list[tuple[str, str]] = [
    ("start", "Start, or pick up where you left off"),
    ("today", "Today's session, or when the next one is"),
    ("history", "Your log; /history deadlift for one exercise"),
    ("records", "Your personal records"),
    ("undo", "Take back the last set you logged"),
    ("progress", "Charts of your lifts, volume and back"),
    ("units", "Log weights in kg or lb"),
    ("program", "Show your back program"),
    ("exercises", "The exercise library, with technique"),
    ("schedule", "Your training days and reminders"),
    ("pause", "Pause reminders"),
    ("resume", "Resume reminders"),
    ("settings", "Answer the questions again; weekly report"),
    ("export", "Your log as CSV, and all your data"),
    ("import", "Bring your history from Strong or Hevy"),
    ("calendar", "Your next sessions as a calendar file"),
    ("delete", "Delete everything I store about you"),
    ("cancel", "Stop the set-up in progress"),
    ("help", "What I can do"),
]


def menu() -> list[BotCommand]:
    """The command menu for setMyCommands."""
    return [BotCommand(name, description) for name, description in COMMANDS]


def help_lines() -> list[str]:
    """One line per command for /help."""
    return [f"/{name} - {description}" for name, description in COMMANDS]
