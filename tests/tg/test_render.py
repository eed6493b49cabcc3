"""Rendering: HTML escaping and splitting long texts under Telegram's limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.tg.render import MAX_TEXT, esc, split_message


def test_escape_user_text() -> None:
    assert esc("<b>Ann & co</b>") == "&lt;b&gt;Ann &amp; co&lt;/b&gt;"


def test_short_text_is_one_message() -> None:
    assert split_message("hello\nworld") == ["hello\nworld"]


def test_long_text_splits_at_line_breaks() -> None:
    lines = [f"<b>line {i}</b> " + "x" * 50 for i in range(200)]
    chunks = split_message("\n".join(lines))
    assert len(chunks) > 1
    assert all(len(c) <= MAX_TEXT for c in chunks)
    assert "\n".join(chunks) == "\n".join(lines)
    assert all(c.count("<b>") == c.count("</b>") for c in chunks), "no tag is cut in half"


@given(st.lists(st.text(alphabet="ab \n", max_size=300), max_size=40), st.integers(20, 200))
def test_chunks_respect_the_limit_and_keep_every_word(parts: list[str], limit: int) -> None:
    text = "\n".join(parts)
    chunks = split_message(text, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert "".join(text.split()) == "".join("".join(chunks).split())
