"""Which user rows a use case reads: the real read happens, and is written down."""

from __future__ import annotations

import pytest

from bot.domain.accounts import User
from bot.services.bootstrap import Services


def user_reads(s: Services, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids of the user rows read from now on, in order."""
    reads: list[int] = []
    real = s.repo.get_user

    async def counted(user_id: int) -> User | None:
        reads.append(user_id)
        return await real(user_id)

    monkeypatch.setattr(s.repo, "get_user", counted)
    return reads
