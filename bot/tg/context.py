"""A typed CallbackContext whose bot_data carries the app's services instead of string keys.

This module and bot/app.py are the wiring: the only parts of bot/tg/ that know bot/storage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from telegram.ext import Application, CallbackContext, ExtBot

from bot.charts import ChartCache
from bot.clock import Clock
from bot.domain.models import Library
from bot.services.backcheck import BackChecks
from bot.services.chats import Chats
from bot.services.export import OwnData
from bot.services.failures import Failures
from bot.services.freelog import FreeLog
from bot.services.language_choice import LanguageChoice
from bot.services.languages import Languages
from bot.services.logbook import Logbook
from bot.services.logfix import LogFixes
from bot.services.logset import SetLog
from bot.services.onboarding import OnboardingService
from bot.services.progress import Progress
from bot.services.reminders import Reminders, ReminderSettings
from bot.services.rest import RestTimer
from bot.services.safety import Safety
from bot.services.today import TodayCase
from bot.services.workouts import Workouts
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.safety import SafetyRepo
from bot.storage.schedules import ScheduleRepo
from bot.storage.userdata import UserData
from bot.storage.workouts import WorkoutRepo
from bot.tg.journal import Journal


class Runner(Protocol):
    """The reminder sender as the rest of the shell sees it (tg/reminders.py's ReminderRunner);
    a protocol, so this module need not import the feature modules that import it."""

    sent: int
    retried: int  # sends that failed before Telegram could accept them
    ambiguous: int  # sends that may have arrived; counted as delivered

    async def tick(self) -> int:
        """Send everything that is due now; how many went out."""
        ...


class BotData:
    """Long-lived services shared by every handler; build_application and post_init fill them."""

    library: Library
    clock: Clock
    db_path: Path
    default_timezone: str
    default_language: str  # for users whose Telegram language the bot does not speak
    reminder_settings: ReminderSettings
    rest_scale: float  # 1.0 in production; tests shrink the rest timer
    # Set in post_init, once the database is open; each built once (bot/services/bootstrap.py):
    db: Database
    repo: Repo
    languages: Languages
    schedules: ScheduleRepo
    reminders: Reminders
    runner: Runner
    workouts: WorkoutRepo
    journal: Journal
    safety: Safety  # the safety rules over stored state, asked on every path
    safety_store: SafetyRepo
    userdata: UserData  # everything about one user: export, import, delete, reports
    onboarding: OnboardingService  # the set-up questions, /start, /settings, /schedule
    back_checks: BackChecks  # the check before a session, and the start it allows
    chats: Chats  # group chats
    failures: Failures  # what a failed update saved
    charts: ChartCache  # rendered charts, kept until their data changes
    progress: Progress
    own: OwnData
    training: Workouts  # the workout use cases
    setlog: SetLog  # logging sets mid-workout
    logbook: Logbook  # undo, edits, history and records
    freelog: FreeLog  # logging outside a workout, and where free text goes
    logfixes: LogFixes  # undo, 'Edit', first weights, asked-for weights
    language_choice: LanguageChoice  # the /language button
    rest: RestTimer  # the rest timer's ping
    today: TodayCase  # /today


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with typed bot_data."""


App = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, Any]
