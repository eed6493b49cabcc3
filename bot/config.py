"""Typed settings from the environment and .env: the only place that reads env vars."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.calendar import check_timezone

if TYPE_CHECKING:
    # Imported when asked for: `python -m bot plan` reads settings and must not load Telegram.
    from bot.services.reminders import ReminderSettings
    from bot.tg.ratelimit import Limits

TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILES = "https://api.telegram.org/file/bot"
# The shape BotFather hands out: a numeric bot id, a colon, and a 35-character secret.
TOKEN_RE = re.compile(r"^\d{5,15}:[A-Za-z0-9_-]{30,50}$")


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = ""
    database_path: Path = Path("data/backcoach.sqlite3")
    log_level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR|CRITICAL)$")
    default_timezone: str = "UTC"
    content_dir: Path | None = None
    # Pace of everything the bot sends, all chats together (Telegram allows 30/s).
    send_rate_per_second: float = Field(default=28.0, gt=0, le=30)
    # A reminder missed while the bot was down is still sent if at most this late.
    reminder_late_limit_minutes: int = Field(default=120, ge=0, le=24 * 60)
    reminder_tick_seconds: float = Field(default=10.0, ge=1, le=300)

    def limits(self) -> Limits:
        """The sending pace for the rate limiter."""
        from bot.tg.ratelimit import Limits

        return Limits(per_second=self.send_rate_per_second)

    def reminders(self) -> ReminderSettings:
        """How reminders are claimed and when a late one counts as missed."""
        from bot.services.reminders import ReminderSettings

        return ReminderSettings(
            tick_seconds=self.reminder_tick_seconds,
            batch=max(1, int(self.send_rate_per_second)),
            late_limit=timedelta(minutes=self.reminder_late_limit_minutes),
        )

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def api_urls(self) -> tuple[str, str]:
        """PTB's base_url and base_file_url, for Telegram or a custom Bot API server."""
        base = self.telegram_api_base_url.strip().rstrip("/")
        if not base:
            return TELEGRAM_API, TELEGRAM_FILES
        if base.endswith("/bot"):
            return base, base[: -len("/bot")] + "/file/bot"
        return base + "/bot", base + "/file/bot"


class TokenError(ValueError):
    """The bot token is missing or malformed; the message says what to set."""


def require_token(settings: Settings) -> str:
    """The token, checked for shape; never echoes it back."""
    secret = settings.telegram_bot_token
    if secret is None or not secret.get_secret_value().strip():
        raise TokenError(
            "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in the environment "
            "or in .env (see .env.example), or try `python -m bot demo` to run offline."
        )
    token = secret.get_secret_value().strip()
    if not TOKEN_RE.match(token):
        raise TokenError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (expected "
            "'<digits>:<35 letters, digits, - or _>', as @BotFather gives it)."
        )
    return token
