"""Settings: token checks, API URLs, timezone validation and log redaction."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from bot.config import TELEGRAM_API, Settings, TokenError, require_token
from bot.logs import RedactingFormatter

GOOD = "123456789:AAF" + "q" * 32


def settings(**kw: Any) -> Settings:
    return Settings(_env_file=None, **kw)


def test_missing_token_says_what_to_set() -> None:
    with pytest.raises(TokenError, match="TELEGRAM_BOT_TOKEN is not set"):
        require_token(settings())


def test_malformed_token_is_refused_without_echoing_it() -> None:
    with pytest.raises(TokenError) as err:
        require_token(settings(telegram_bot_token=SecretStr("12:secret-bits")))
    assert "secret-bits" not in str(err.value)


def test_good_token_passes_and_is_hidden_in_repr() -> None:
    s = settings(telegram_bot_token=SecretStr(GOOD))
    assert require_token(s) == GOOD
    assert GOOD not in repr(s) and GOOD not in str(s.model_dump())


def test_api_urls_default_to_telegram_and_accept_a_local_server() -> None:
    assert settings().api_urls()[0] == TELEGRAM_API
    assert settings(telegram_api_base_url="http://127.0.0.1:8081/").api_urls() == (
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/file/bot",
    )


def test_unknown_timezone_is_refused() -> None:
    with pytest.raises(ValidationError, match="IANA"):
        settings(default_timezone="Mars/Olympus")


def test_redacting_formatter_hides_the_token_in_messages_and_tracebacks() -> None:
    fmt = RedactingFormatter("%(message)s", [GOOD])
    try:
        raise RuntimeError(f"request to /bot{GOOD}/getMe failed")
    except RuntimeError as e:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "token %s", (GOOD,), (type(e), e, e.__traceback__)
        )
    text = fmt.format(record)
    assert GOOD not in text and "[REDACTED]" in text and "Traceback" in text


def test_pace_and_reminder_settings_are_configurable() -> None:
    s = settings(send_rate_per_second=20, reminder_late_limit_minutes=30, reminder_tick_seconds=5)
    assert s.limits().per_second == 20
    reminders = s.reminders()
    assert reminders.late_limit.total_seconds() == 1800 and reminders.tick_seconds == 5
    with pytest.raises(ValidationError):
        settings(send_rate_per_second=45)  # over Telegram's 30/s
