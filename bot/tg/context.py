"""A typed CallbackContext whose bot_data carries the app's services instead of string keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.charts import ChartCache
from bot.clock import Clock
from bot.domain.models import Library
from bot.services.export import OwnData
from bot.services.logbook import Logbook
from bot.services.logset import SetLog
from bot.services.progress import Progress
from bot.services.reminders import Reminders, ReminderSettings
from bot.services.safety import Safety
from bot.services.workouts import Workouts
from bot.storage.db import Database
from bot.storage.repo import Repo
from bot.storage.safety import SafetyRepo
from bot.storage.schedules import ScheduleRepo
from bot.storage.userdata import UserData
from bot.storage.workouts import WorkoutRepo

if TYPE_CHECKING:
    from bot.tg.journal import Journal
    from bot.tg.reminders import ReminderRunner


class BotData:
    """Long-lived services shared by every handler; build_application and post_init fill them."""

    library: Library
    clock: Clock
    db_path: Path
    default_timezone: str
    reminder_settings: ReminderSettings
    rest_scale: float  # 1.0 in production; tests shrink the rest timer
    # Set in post_init, once the database is open:
    db: Database
    repo: Repo
    schedules: ScheduleRepo
    reminders: Reminders
    runner: ReminderRunner
    workouts: WorkoutRepo
    journal: Journal
    safety: Safety  # the safety rules over stored state, asked on every path
    safety_store: SafetyRepo
    userdata: UserData  # everything about one user: export, import, delete, reports
    charts: ChartCache  # rendered charts, kept until their data changes
    progress: Progress
    own: OwnData
    training: Workouts  # the workout use cases
    setlog: SetLog  # logging sets mid-workout
    logbook: Logbook  # undo, edits, history and records


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """CallbackContext with typed bot_data."""


App = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, Any]
