"""Wiring: builds the Application, registers handlers in one ordered list, sets the menu."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from telegram import Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import (
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.clock import Clock, system_clock
from bot.content_locale import localized
from bot.domain.models import Library
from bot.i18n import SUPPORTED, _, catalog, use_language
from bot.services import bootstrap as services
from bot.services.reminders import ReminderSettings
from bot.storage.db import Database
from bot.tg import (
    basic,
    language,
    logbook,
    logfix,
    onboarding,
    owndata,
    program,
    progress,
    reminders,
    router,
    workouts,
)
from bot.tg.commands import menu
from bot.tg.context import App, BotData, Context
from bot.tg.errors import on_error
from bot.tg.journal import Journal, JournalQueue
from bot.tg.processor import SLOW_DOWN, PerUserProcessor
from bot.tg.ratelimit import Limits, PacedRateLimiter
from bot.tg.reminders import ReminderRunner, schedule_job
from bot.tg.safety import schedule_checkins
from bot.tg.transport import AiohttpRequest, UpdatesRequest

log = logging.getLogger(__name__)
R = TypeVar("R", bound=AiohttpRequest)


@dataclass(frozen=True)
class Connection:
    """Where the Bot API lives and how patient to be with it."""

    token: str
    base_url: str
    base_file_url: str
    # Seconds for connect/read on ordinary calls; tests against a local stand-in use less.
    timeout: float = 10.0
    limits: Limits = field(default_factory=Limits)


async def _not_private(update: Update, context: Context) -> None:
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        await basic.group_chat(update, context)


def handlers() -> list[tuple[int, BaseHandler[Any, Context, Any]]]:
    """Every handler, with its group, in the order PTB should try them."""
    return [
        (-1, TypeHandler(Update, _not_private)),
        # An edit replaces what its message logged; it must never reach the handlers below.
        (0, MessageHandler(filters.UpdateType.EDITED_MESSAGE, logfix.on_edited)),
        (0, CommandHandler("start", onboarding.start)),
        (0, CommandHandler("settings", onboarding.settings)),
        (0, CommandHandler("cancel", onboarding.cancel)),
        (0, CommandHandler("program", program.show_program)),
        (0, CommandHandler("exercises", program.show_library)),
        (0, CommandHandler("today", workouts.today)),
        (0, CommandHandler("history", logbook.history)),
        (0, CommandHandler("records", logfix.records)),
        (0, CommandHandler("undo", logfix.undo)),
        (0, CommandHandler("units", logbook.units)),
        (0, CommandHandler("progress", progress.progress)),
        (0, CommandHandler("export", owndata.export)),
        (0, CommandHandler("import", owndata.import_help)),
        (0, CommandHandler("calendar", owndata.calendar_file)),
        (0, CommandHandler("delete", owndata.delete)),
        (0, CommandHandler("schedule", onboarding.schedule)),
        (0, CommandHandler("pause", reminders.pause)),
        (0, CommandHandler("resume", reminders.resume)),
        (0, CommandHandler("language", language.choose)),
        (0, CommandHandler("help", basic.help_command)),
        (0, MessageHandler(filters.COMMAND, basic.unknown_command)),
        (0, CallbackQueryHandler(router.on_callback)),
        (0, MessageHandler(filters.TEXT & ~filters.COMMAND, router.on_text)),
        (0, MessageHandler(filters.Document.ALL, owndata.on_document)),
        (0, MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, router.on_other)),
    ]


async def _post_init(app: App) -> None:
    data = app.bot_data
    # Every service is built once, here, and held on the typed BotData.
    built = services.build(
        await Database.open(data.db_path),
        data.library,
        data.clock,
        data.reminder_settings,
        data.default_timezone,
        data.default_language,
    )
    data.db = built.db
    data.repo = built.repo
    data.schedules = built.schedules
    data.workouts = built.workouts
    data.safety_store = built.safety_store
    data.userdata = built.userdata
    data.reminders = built.reminders
    data.safety = built.safety
    data.onboarding = built.onboarding
    data.back_checks = built.back_checks
    data.chats = built.chats
    data.failures = built.failures
    data.journal = Journal(built.journal, data.clock)
    data.languages = built.languages
    data.language_choice = built.language_choice
    data.rest = built.rest
    data.today = built.today
    await data.languages.preload_recent()  # a restart costs no lookup per known user
    data.runner = ReminderRunner(app)
    data.charts = built.charts
    data.progress = built.progress
    data.own = built.own
    data.training = built.sessions
    data.setlog = built.setlog
    data.logbook = built.logbook
    data.freelog = built.freelog
    data.logfixes = built.logfixes
    await _open_journal(app)
    interrupted = await data.reminders.recover(data.clock())
    if interrupted:
        log.warning(
            "%d reminder(s) were being sent during a crash; not sending them again", interrupted
        )
    await data.reminders.repair(data.clock())
    schedule_job(app)
    schedule_checkins(app)
    progress.schedule_reports(app)
    me = await app.bot.get_me()
    await _set_menus(app)
    log.info("bot @%s is up", me.username)


async def _set_menus(app: App) -> None:
    """The command menu in each language, and the default language's for everyone else."""
    with use_language(app.bot_data.default_language):
        await app.bot.set_my_commands(menu())
    for lang in SUPPORTED:
        with use_language(lang):
            await app.bot.set_my_commands(menu(), language_code=lang)


async def _language_of(app: App, update: Update) -> str:
    """The language to answer an update in."""
    user = update.effective_user
    if user is None:
        return app.bot_data.default_language
    return await app.bot_data.languages.for_update(user.id, user.language_code)


async def _open_journal(app: App) -> None:
    """Connect the update queue and the processor to the journal; queue what a crash left."""
    data = app.bot_data
    await data.journal.repo.prune(data.clock())
    queue = app.update_queue
    processor = app.update_processor
    assert isinstance(queue, JournalQueue) and isinstance(processor, PerUserProcessor)
    queue.journal = data.journal
    processor.on_finished = data.journal.finish
    processor.exempt = data.journal.is_replay
    await queue.replay(app.bot)


async def _slow_down(app: App, update: Update) -> None:
    """The one reply to a user whose backlog is full."""
    if update.effective_chat is not None:
        with use_language(await _language_of(app, update)):
            await app.bot.send_message(update.effective_chat.id, _(SLOW_DOWN))


async def _post_shutdown(app: App) -> None:
    charts = getattr(app.bot_data, "progress", None)
    if charts is not None:
        charts.close()
    db = getattr(app.bot_data, "db", None)
    if db is not None:
        await db.close()
    log.info("bot stopped")


def _transport(kind: type[R], conn: Connection, pool_size: int) -> R:
    t = conn.timeout
    return kind(
        pool_size=pool_size, connect_timeout=t, read_timeout=t, write_timeout=t, pool_timeout=t
    )


def build_application(
    conn: Connection,
    library: Library,
    db_path: Path,
    clock: Clock = system_clock,
    *,
    default_timezone: str = "UTC",
    default_language: str = "en",
    reminders: ReminderSettings | None = None,
    rest_scale: float = 1.0,
    max_backlog: int = 20,
    processor: PerUserProcessor | None = None,
) -> App:
    """Build the Application with HTML defaults, a retrying rate limiter and all handlers."""
    context_types = ContextTypes(context=Context, bot_data=BotData)
    # A processor may be passed in (benchmarks compare against one update at a time).
    processor = processor or PerUserProcessor(max_backlog=max_backlog)
    # Each fetched batch is recorded in the journal, from Telegram's own JSON, before PTB parses
    # it and queues its updates (bot/tg/journal.py).
    queue = JournalQueue()
    updates = _transport(UpdatesRequest, conn, 1)
    updates.on_fetch = queue.record_fetched
    builder = (
        ApplicationBuilder()
        .token(conn.token)
        .base_url(conn.base_url)
        .base_file_url(conn.base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(PacedRateLimiter(conn.limits))
        .context_types(context_types)
        # aiohttp under every call, a third of httpx's CPU per call (bot/tg/transport.py); no
        # more connections than the limiter lets requests fly at once (see ratelimit.py).
        .request(_transport(AiohttpRequest, conn, conn.limits.in_flight))
        .get_updates_request(updates)
        .concurrent_updates(processor)
        .update_queue(queue)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    app: App = builder.build()  # type: ignore[assignment]

    async def notify(update: Update) -> None:
        await _slow_down(app, update)

    async def language_of(update: Update) -> str:
        return await _language_of(app, update)

    processor.notify = notify
    processor.language = language_of
    processor.default_language = default_language
    # Texts follow each user's language; ids, numbers and rules are the same in all of them.
    app.bot_data.library = localized(library)
    for lang in SUPPORTED:
        catalog(lang)  # compiled now, so no handler (nor the pure core) ever reads a .po file
    app.bot_data.db_path = db_path
    app.bot_data.clock = clock
    app.bot_data.default_timezone = default_timezone
    app.bot_data.default_language = default_language
    app.bot_data.reminder_settings = reminders or ReminderSettings()
    app.bot_data.rest_scale = rest_scale
    for group, handler in handlers():
        app.add_handler(handler, group=group)
    app.add_error_handler(on_error)
    return app


@asynccontextmanager
async def running(app: App, poll_timeout: int = 1) -> AsyncIterator[App]:
    """Run the app with long polling inside the current event loop (demo and tests).

    run_polling() owns the loop and the signals, so `python -m bot run` uses it; embedded
    runs use this, with the same start-up and shutdown hooks.
    """
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(
            poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
