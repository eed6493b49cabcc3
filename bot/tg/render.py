"""Pure rendering helpers: HTML escaping and splitting under Telegram's message limit."""

from __future__ import annotations

import html
import re

from telegram.constants import MessageLimit

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096


def esc(text: object) -> str:
    """Escape any text for HTML parse mode."""
    return html.escape(str(text), quote=False)


def split_message(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split HTML text into chunks under the limit, at paragraph or line breaks.

    Chunks break only between lines, so tags opened and closed on one line stay balanced.
    A single line longer than the limit is cut at a space (the caller keeps such lines plain).
    """
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            head, line = line[:cut], line[cut:].lstrip(" ")
            if current:
                chunks.append(current)
                current = ""
            chunks.append(head)
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        chunks.append(current)
    return [c for c in chunks if c.strip()]


def plain_length(html_text: str) -> int:
    """How many characters the user sees: tags removed, entities counted once."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", html_text)))
