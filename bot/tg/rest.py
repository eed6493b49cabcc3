"""The rest timer: started after a logged set, it pings when the prescribed rest is over."""

from __future__ import annotations

from contextlib import suppress
from typing import cast

from apscheduler.jobstores.base import JobLookupError

from bot.domain.workouts import Workout
from bot.i18n import _, current_language, use_language
from bot.tg.context import App, Context
from bot.tg.render import esc


def _rest_job_name(user_id: int) -> str:
    # Also the job's id in APScheduler: found by a dict lookup, where looking a job up by name
    # wraps every job of every user (so a set logged while many others rest cost O(all)).
    return f"rest-{user_id}"


def cancel_rest(context: Context, user_id: int) -> None:
    """Cancel a running rest timer (the user logged the next set first)."""
    if context.job_queue is None:
        return
    with suppress(JobLookupError):
        context.job_queue.scheduler.remove_job(_rest_job_name(user_id))


def start_rest(context: Context, chat_id: int, user_id: int, workout: Workout, rest_s: int) -> None:
    """Ping when the prescribed rest is over (job data carries ids, never live objects)."""
    app = cast(App, context.application)  # the typed Application this context belongs to
    job_queue = app.job_queue
    if job_queue is None or rest_s <= 0:
        return
    job_queue.run_once(
        rest_over,
        when=rest_s * context.bot_data.rest_scale,
        chat_id=chat_id,
        user_id=user_id,
        name=_rest_job_name(user_id),
        # One timer per user: a new one replaces the one still running.
        job_kwargs={"id": _rest_job_name(user_id), "replace_existing": True},
        # The timer fires outside any update: it carries the language to ping in.
        data={"workout_id": workout.id, "position": workout.position, "lang": current_language()},
    )


async def rest_over(context: Context) -> None:
    """The rest timer fired: say so, if the workout is still where it was."""
    job = context.job
    assert job is not None and job.user_id is not None and job.chat_id is not None
    data: dict[str, int | str] = job.data  # type: ignore[assignment]
    over = await context.bot_data.rest.over(
        job.user_id, int(data["workout_id"]), int(data["position"])
    )
    if over is None:  # the workout moved on or ended meanwhile
        return
    with use_language(str(data.get("lang") or current_language())):
        exercise = over.exercise_id
        name = context.bot_data.library.exercises[exercise].name if exercise else None
        text = (
            _("Rest is over: next set of {name}.").format(name=esc(name))
            if name is not None
            else _("Rest is over: next set.")
        )
    await context.bot.send_message(job.chat_id, "⏱ " + text)
