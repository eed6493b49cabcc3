"""/progress charts, the weekly report (a repeating job) and its switch in /settings."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import cast

from babel.numbers import format_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ChatAction
from telegram.error import Forbidden, TelegramError

from bot.domain.accounts import Units
from bot.domain.stats import WeeklyReport
from bot.domain.weights import KG_PER_LB
from bot.i18n import N_, _, current_language, format_day, ngettext, use_language
from bot.services import progress as svc
from bot.tg import callbacks, schedule_views
from bot.tg.callbacks import ChartButton, ReportToggle
from bot.tg.context import App, Context
from bot.tg.jobs import every_tick
from bot.tg.render import esc

log = logging.getLogger(__name__)
REPORT_JOB = "weekly-reports"
_MAX_EXERCISE_BUTTONS = 12
_DAY_WORDS = {"upper": N_("upper-back day"), "lower": N_("lower and middle back day")}


def _keyboard(exercise_ids: list[str], context: Context) -> InlineKeyboardMarkup:
    names = context.bot_data.library.exercises
    rows = [
        [InlineKeyboardButton(names[e].name, callback_data=callbacks.chart(e))]
        for e in exercise_ids[:_MAX_EXERCISE_BUTTONS]
    ]
    rows.append(
        [
            InlineKeyboardButton(_("Weekly sets"), callback_data=callbacks.chart(svc.VOLUME)),
            InlineKeyboardButton(_("Weekly tonnage"), callback_data=callbacks.chart(svc.TONNAGE)),
        ]
    )
    rows.append([InlineKeyboardButton(_("Back checks"), callback_data=callbacks.chart(svc.BACK))])
    return InlineKeyboardMarkup(rows)


async def progress(update: Update, context: Context) -> None:
    """/progress: pick a chart; /progress deadlift: that exercise's chart straight away."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    wanted = " ".join(context.args or []).strip()
    if wanted:  # a chart by name is on its way: show 'sending a photo' while it is drawn
        await context.bot.send_chat_action(message.chat_id, ChatAction.UPLOAD_PHOTO)
    shown = await context.bot_data.progress.overview(user.id, wanted)
    if shown.empty:
        await message.reply_text(
            _(
                "Nothing to chart yet. Log your first session (/today) or a set like "
                "<code>deadlift 5x5 100</code>, and your progress shows up here. "
                "Coming from Strong or Hevy? /import brings your history along."
            )
        )
        return
    logged = list(shown.logged)
    if shown.chart is not None:
        await _reply_chart(message, shown.chart, shown.found[0])
        return
    if shown.wanted:
        await message.reply_text(
            _(
                "I have no logged sets of one exercise called <i>{name}</i>. Tap one of yours:"
            ).format(name=esc(shown.wanted)),
            reply_markup=_keyboard(list(shown.found) or logged, context),
        )
        return
    more = (
        "\n"
        + ngettext(
            "Your {count} most logged is here; <code>/progress name</code> shows any other.",
            "Your {count} most logged are here; <code>/progress name</code> shows any other.",
            _MAX_EXERCISE_BUTTONS,
        ).format(count=_MAX_EXERCISE_BUTTONS)
        if len(logged) > _MAX_EXERCISE_BUTTONS
        else ""
    )
    await message.reply_text(
        _("Which chart? Exercises you've logged, your weekly volume, or how your back felt:")
        + more,
        reply_markup=_keyboard(logged, context),
    )


async def on_chart(update: Update, context: Context, button: ChartButton) -> None:
    """A chart button."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    await send_chart(query.message, context, query.from_user.id, button.which)


async def send_chart(message: Message, context: Context, user_id: int, which: str) -> None:
    """Render (or reuse) a chart and send it as a photo, showing 'sending a photo' meanwhile."""
    await context.bot.send_chat_action(message.chat_id, ChatAction.UPLOAD_PHOTO)
    chart = await context.bot_data.progress.chart(user_id, which)
    if chart is None:
        text = (
            _("No back checks yet: I ask how your back is when a session starts.")
            if which == svc.BACK
            else _("Nothing logged for that chart yet. /today starts a session.")
        )
        await message.reply_text(text)
        return
    await _reply_chart(message, chart, which)


async def _reply_chart(message: Message, chart: svc.Chart, which: str) -> None:
    await message.reply_photo(
        InputFile(chart.png, filename=f"progress-{which}.png"), caption=esc(chart.caption)
    )


# --- the weekly report ----------------------------------------------------------------------


def _change(now: float, before: float, text: str, unit: str = "") -> str:
    if before <= 0:
        return text
    diff = now - before
    sign = "+" if diff >= 0 else "-"
    return _("{text} (last week {before}, {change})").format(
        text=text, before=f"{_fmt(before)}{unit}", change=f"{sign}{_fmt(abs(diff))}{unit}"
    )


def _fmt(value: float) -> str:
    # Grouped the local way: '12,345' in English, '12 345' in Russian.
    return format_decimal(round(value), format="#,##0", locale=current_language())


def report_text(report: WeeklyReport, units: Units, names: dict[str, str]) -> str:
    """The weekly report as a short message for a phone."""
    end = report.week + timedelta(days=6)
    tonnage = report.tonnage_kg / float(KG_PER_LB) if units is Units.LB else report.tonnage_kg
    before = (
        report.tonnage_before_kg / float(KG_PER_LB)
        if units is Units.LB
        else report.tonnage_before_kg
    )
    volume = _("Volume: {weight} {units}").format(weight=_fmt(tonnage), units=units.value)
    lines = [
        _("<b>Your week</b> ({start} to {end})").format(
            start=format_day(report.week), end=format_day(end)
        ),
        _("Sessions: {done} of {planned} planned").format(done=report.done, planned=report.planned)
        + (" ✅" if report.planned and report.done >= report.planned else ""),
        _change(report.sets, report.sets_before, _("Working sets: {n}").format(n=report.sets)),
        _change(tonnage, before, volume, f" {units.value}"),
    ]
    if report.records:
        lines.append(_("New records:"))
        lines += [f"• {esc(names.get(e, e))}: {esc(text)}" for e, text in report.records]
    c = report.checks
    if c.fine + c.stiff + c.hurts:
        lines.append(
            _("Back checks: {fine} fine, {stiff} a bit stiff, {hurts} hurting.").format(
                fine=c.fine, stiff=c.stiff, hurts=c.hurts
            )
        )
    if report.next_sessions:
        coming = ", ".join(
            f"{schedule_views.day_label(d)} ({_(_DAY_WORDS[k.value])})"
            for d, k in report.next_sessions
        )
        lines.append(_("Next week: {sessions}.").format(sessions=coming))
    else:
        lines.append(_("Next week: no sessions planned. /schedule sets your days."))
    lines.append("\n" + _("/progress shows your charts. Turn this report off in /settings."))
    return "\n".join(lines)


async def send_reports(app: App) -> int:
    """Take the reports that are due (their next ones planned), and send them; how many went."""
    data = app.bot_data
    sent = 0
    for due in await data.progress.take_due_reports(data.clock()):
        if not due.fresh:
            continue
        try:
            with use_language(await data.languages.for_user(due.user_id)):
                sent += await _send_report(app, due)
        except Exception:
            # One user's broken report must not cost the others in this batch theirs.
            log.exception("the weekly report of a user failed")
    return sent


async def _send_report(app: App, due: svc.DueReport) -> int:
    data = app.bot_data
    ready = await data.progress.report(due)
    if ready is None:
        return 0
    names = {k: e.name for k, e in data.library.exercises.items()}
    try:
        await app.bot.send_message(ready.chat_id, report_text(ready.report, ready.units, names))
    except Forbidden:
        log.info("a weekly report could not be delivered: the user blocked the bot")
        return 0
    except TelegramError as e:
        log.warning("a weekly report was not delivered (user %d): %s", due.user_id, e)
        return 0
    return 1


async def report_tick(context: Context) -> None:
    """The repeating job: send the weekly reports that are due."""
    await send_reports(cast(App, context.application))


def schedule_reports(app: App) -> None:
    """One repeating job sends due weekly reports (planned in SQLite, so restarts keep them)."""
    every_tick(app, report_tick, REPORT_JOB)


# --- the switch in /settings ----------------------------------------------------------------


def report_keyboard(enabled: bool) -> InlineKeyboardMarkup:
    """The weekly-report switch shown with /settings."""
    text = _("Weekly report: on · turn off") if enabled else _("Weekly report: off · turn on")
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=callbacks.report_toggle(not enabled))]]
    )


async def on_report_toggle(update: Update, context: Context, toggle: ReportToggle) -> None:
    """Turn the weekly report on or off."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    switched = await context.bot_data.progress.switch_report(query.from_user.id, toggle.enabled)
    if not switched.known:
        await query.answer(_("Send /start first."))
        return
    await query.answer(
        _("Weekly report on: it comes on Sundays at your reminder time.")
        if toggle.enabled
        else _("Weekly report off.")
    )
    try:
        await query.message.edit_reply_markup(reply_markup=report_keyboard(toggle.enabled))
    except TelegramError as e:
        log.debug("could not update the report switch: %s", e)
