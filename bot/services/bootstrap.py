"""The composition root of the use cases: storage and services built once, over one database."""

from __future__ import annotations

from dataclasses import dataclass

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
from bot.storage.journal import JournalRepo
from bot.storage.languages import LanguageRepo
from bot.storage.repo import Repo
from bot.storage.safety import SafetyRepo
from bot.storage.schedules import ScheduleRepo
from bot.storage.userdata import UserData
from bot.storage.workouts import WorkoutRepo


@dataclass(frozen=True)
class Services:
    """Every repository and use case of the rest of the shell, wired together once."""

    db: Database
    repo: Repo
    schedules: ScheduleRepo
    workouts: WorkoutRepo
    safety_store: SafetyRepo
    userdata: UserData
    journal: JournalRepo
    reminders: Reminders
    safety: Safety
    onboarding: OnboardingService
    sessions: Workouts  # the workout use cases
    setlog: SetLog
    logbook: Logbook
    charts: ChartCache  # rendered charts, kept until their data changes
    progress: Progress
    own: OwnData
    back_checks: BackChecks
    chats: Chats
    failures: Failures
    freelog: FreeLog  # logging outside a workout, and where free text goes
    logfixes: LogFixes  # undo, 'Edit', first weights, asked-for weights
    languages: Languages
    language_choice: LanguageChoice  # the /language button
    rest: RestTimer  # the rest timer's ping
    today: TodayCase  # /today


def build(
    db: Database,
    library: Library,
    clock: Clock,
    settings: ReminderSettings | None = None,
    default_timezone: str = "UTC",
    default_language: str = "en",
) -> Services:
    """Build the repositories and the use cases over an open database."""
    repo, schedules, workouts = Repo(db), ScheduleRepo(db), WorkoutRepo(db)
    safety_store, userdata = SafetyRepo(db), UserData(db)
    reminders = Reminders(repo, schedules, settings or ReminderSettings())
    safety = Safety(
        repo, schedules, workouts, safety_store, reminders, library, clock, default_timezone
    )
    languages = Languages(LanguageRepo(db), default_language)
    onboarding = OnboardingService(
        repo, userdata, safety, reminders, library, clock, default_timezone, languages=languages
    )
    sessions = Workouts(repo, schedules, workouts, reminders, library, clock, default_timezone)
    charts = ChartCache()
    setlog = SetLog(sessions)
    return Services(
        db=db,
        repo=repo,
        schedules=schedules,
        workouts=workouts,
        safety_store=safety_store,
        userdata=userdata,
        journal=JournalRepo(db),
        reminders=reminders,
        safety=safety,
        onboarding=onboarding,
        sessions=sessions,
        setlog=setlog,
        logbook=Logbook(sessions),
        charts=charts,
        progress=Progress(
            repo,
            userdata,
            safety_store,
            schedules,
            reminders,
            library,
            clock,
            default_timezone,
            charts,
        ),
        own=OwnData(
            repo,
            userdata,
            workouts,
            schedules,
            reminders,
            library,
            clock,
            default_timezone,
            charts,
            languages,
        ),
        back_checks=BackChecks(safety, sessions),
        chats=Chats(repo, clock),
        failures=Failures(db, repo, library),
        freelog=FreeLog(db, library, clock),
        logfixes=LogFixes(db, repo, safety, sessions, setlog),
        languages=languages,
        language_choice=LanguageChoice(db, languages, onboarding, workouts, clock),
        rest=RestTimer(workouts),
        today=TodayCase(safety),
    )
