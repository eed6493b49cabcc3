"""Routes buttons, text and other messages to the feature that is waiting for them."""

from __future__ import annotations

from telegram import Message, Update

from bot.i18n import _
from bot.services.freelog import Elsewhere, InWorkout, Route
from bot.tg import (
    backcheck,
    basic,
    callbacks,
    language,
    logbook,
    logfix,
    onboarding,
    owndata,
    program,
    progress,
    reminders,
    safety,
    workouts,
)
from bot.tg.context import Context
from bot.tg.logsource import source_of
from bot.tg.send import drop_keyboard


async def on_callback(update: Update, context: Context) -> None:
    """Decode a button press and hand it to its feature; anything else gets a polite answer."""
    query = update.callback_query
    assert query is not None
    decoded = callbacks.decode(query.data)
    if not isinstance(query.message, Message) or decoded is None:
        await query.answer(_("That button no longer works. Send /help to see what I can do."))
        return
    if isinstance(decoded, callbacks.LanguageChoice):
        await language.on_choice(update, context, decoded.lang)
        return
    if isinstance(decoded, callbacks.ChartButton):
        await progress.on_chart(update, context, decoded)
        return
    if isinstance(decoded, callbacks.ImportAnswer):
        await owndata.on_import_answer(update, context, decoded)
        return
    if isinstance(decoded, callbacks.DeleteAnswer):
        await owndata.on_delete_answer(update, context, decoded)
        return
    if isinstance(decoded, callbacks.ReportToggle):
        await progress.on_report_toggle(update, context, decoded)
        return
    if isinstance(decoded, callbacks.TechniqueButton):
        found = await program.show_technique(query.message, decoded.exercise_id, context)
        await query.answer(None if found else _("That exercise is no longer in the library."))
        return
    if isinstance(decoded, callbacks.ReminderButton):
        await reminders.on_button(update, context, decoded)
        return
    if isinstance(decoded, callbacks.WorkoutButton):
        if decoded.action == "hurt":
            await backcheck.on_pain(update, context, decoded)
        elif decoded.action == "pain-swap":
            await backcheck.on_pain_swap(update, context, decoded)
        else:
            await workouts.on_button(update, context, decoded)
        return
    if isinstance(decoded, callbacks.LogPick):
        await logbook.on_log_pick(update, context, decoded)
        return
    if isinstance(decoded, callbacks.TrainNow):
        await workouts.train_now(update, context)
        return
    if isinstance(decoded, callbacks.StartWeight):
        await logfix.on_start_weight(update, context, decoded)
        return
    if isinstance(decoded, callbacks.WeightAnswer):
        await logfix.on_weight_answer(update, context, decoded)
        return
    if isinstance(decoded, callbacks.EditLine):
        await logfix.on_edit_button(update, context, decoded)
        return
    if isinstance(decoded, callbacks.BackCheck):
        await backcheck.on_back_check(update, context, decoded)
        return
    if isinstance(decoded, callbacks.ExcludeExercise):
        await safety.on_exclude(update, context, decoded)
        return
    if isinstance(decoded, callbacks.ScheduleChange):
        await query.answer()
        await onboarding.change_schedule(update, context)
        return
    if isinstance(decoded, callbacks.OnboardingButton):
        await onboarding.on_button(update, context, decoded.nonce, decoded.event)
        return
    await query.answer()
    user_id = query.from_user.id
    if isinstance(decoded, callbacks.Why):
        await safety.on_why(query.message, context, user_id)
    elif isinstance(decoded, callbacks.CheckIn):
        await drop_keyboard(query.message)
        await safety.on_checkin_request(query.message, context, user_id)
    else:
        await drop_keyboard(query.message)
        await safety.on_cleared(query.message, context, user_id)


async def on_text(update: Update, context: Context) -> None:
    """Free text: one use case reads the user's state once and logs it, or says where it goes."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None and message.text is not None
    data = context.bot_data
    source = source_of(update)
    typed = await data.freelog.typed(
        user.id, message.text, source, logbook.reminder_session(message)
    )
    if isinstance(typed, InWorkout):  # sets for the workout in progress, already saved
        await workouts.show_typed(update, context, typed.result)
        return
    if not isinstance(typed, Elsewhere):
        await logbook.show_typed(update, context, typed)
        return
    if typed.route is Route.ONBOARDING:
        reply = await onboarding.answer_typed(context, user.id, message.text)
        if reply.answers is not None:  # a set-up is in progress: the text was its answer
            await onboarding.on_text(update, context, reply)
        else:  # the set-up's state could not be read and was dropped
            await basic.unexpected_input(update, context)
    elif typed.route is Route.UNDO:
        await logfix.undo(update, context)
    elif typed.route is Route.RETYPE:
        await logfix.on_retype(update, context, typed.state)
    elif typed.route is Route.WEIGHT_IN_WORKOUT:
        assert typed.weight_kg is not None
        await logfix.weight_in_workout(message, context, user.id, typed.state, typed.weight_kg)
    else:
        result = await data.logfixes.in_workout(user.id, message.text, source, typed.drop_question)
        await workouts.show_typed(update, context, result)


async def on_other(update: Update, context: Context) -> None:
    """Stickers, photos, voice and the like."""
    user = update.effective_user
    assert user is not None
    question = await context.bot_data.onboarding.open_question(user.id)
    if question is not None:
        await onboarding.on_other(update, context, question)
        return
    active = await context.bot_data.safety.active(user.id)
    if active is not None:
        await workouts.on_other(update, context, active)
        return
    await basic.unexpected_input(update, context)
