"""SQL for reminder delivery attempts: which claimed reminders provably never left."""

from __future__ import annotations

from datetime import datetime

from bot.storage.db import Database
from bot.storage.repo import to_text


class DeliveryRepo:
    """Marks on `sessions` around each send of a claimed reminder."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def attempting(self, session_id: int, now: datetime) -> None:
        """The request for this reminder is about to be sent."""
        await self.db.write(
            "UPDATE sessions SET attempted_at = ? WHERE id = ? AND status = 'sending'",
            (to_text(now), session_id),
        )

    async def release(self, session_id: int) -> bool:
        """A claimed reminder that did not go out returns to the queue, due as before."""
        return (
            await self.db.write(
                "UPDATE sessions SET status = 'planned', attempted_at = NULL "
                "WHERE id = ? AND status = 'sending'",
                (session_id,),
            )
            == 1
        )

    async def release_unattempted(self) -> int:
        """At start-up: claimed reminders whose send never started go back in the queue."""
        return await self.db.write(
            "UPDATE sessions SET status = 'planned' "
            "WHERE status = 'sending' AND attempted_at IS NULL"
        )
