"""/language: the user picks English or Russian with a button, at any point, keeping their place."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.i18n import LANGUAGE_NAMES, SUPPORTED, _, current_language, set_language
from bot.tg import callbacks, onboarding
from bot.tg.context import Context


def language_keyboard() -> InlineKeyboardMarkup:
    """One button per language, each named in itself; the current one ticked."""
    here = current_language()
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("✓ " if lang == here else "") + LANGUAGE_NAMES[lang],
                    callback_data=callbacks.language(lang),
                )
                for lang in SUPPORTED
            ]
        ]
    )


async def choose(update: Update, context: Context) -> None:
    """Offer the languages."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        _("Which language should I use?"), reply_markup=language_keyboard()
    )


async def on_choice(update: Update, context: Context, lang: str) -> None:
    """Store the choice and carry on in the new language where the user was."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and isinstance(query.message, Message)
    chat, name = query.message.chat.id, user.first_name or ""
    chosen = await context.bot_data.language_choice.choose(user.id, lang, chat, name)
    if not chosen.stored:
        await query.answer(_("That button no longer works. Send /help to see what I can do."))
        return
    set_language(lang)  # the rest of this update already speaks the new language
    await query.answer()
    await query.message.edit_text(_("Done: I'll write to you in English from now on."))
    if chosen.question is not None:
        # The set-up keeps every answer; its open question comes again in the new language.
        await onboarding.ask(query.message, chosen.question, context)
    elif chosen.in_session:
        await query.message.reply_text(
            _("Your session goes on where you left it: reply with your sets as before.")
        )
