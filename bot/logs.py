"""Logging set-up for the entry point: one format, quiet HTTP clients, secrets redacted."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "[REDACTED]"


class RedactingFormatter(logging.Formatter):
    """Replaces every secret in the final text, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        """Format as usual, then blank out the secrets."""
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text


def configure_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Send logs to stderr with secrets redacted; keep httpx's per-request lines out."""
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets)
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and the URL carries the token.
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # At DEBUG, PTB prints whole updates and requests (message texts, health answers) and
    # aiosqlite prints SQL parameters. Those never reach the log, at any level: our own DEBUG
    # lines carry update ids and timings instead.
    for chatty in TEXT_LEAKING_LOGGERS:
        logger = logging.getLogger(chatty)
        logger.setLevel(max(logger.getEffectiveLevel(), logging.INFO))


# Loggers whose DEBUG lines carry user texts or SQL parameters.
TEXT_LEAKING_LOGGERS = ("telegram", "aiosqlite")
