"""Repeating jobs that read their work from the database on every tick."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from bot.tg.context import App, Context


def every_tick(
    app: App, callback: Callable[[Context], Coroutine[Any, Any, None]], name: str
) -> None:
    """Run `callback` every reminder tick, replacing any earlier job of the same name."""
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    app.job_queue.run_repeating(
        callback,
        interval=app.bot_data.reminder_settings.tick_seconds,
        first=0,
        name=name,
        # Never drop a late run: a late tick just finds more work in the database.
        job_kwargs={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
    )
