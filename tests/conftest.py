"""Shared fixtures: the real content library, loaded once."""

from __future__ import annotations

import pytest

from bot.content import load_library
from bot.domain.models import Library


@pytest.fixture(scope="session")
def library() -> Library:
    """The project's content library."""
    return load_library()
