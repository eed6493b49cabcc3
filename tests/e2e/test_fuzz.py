"""Fuzz the real Application: thousands of random updates across every conversation state.

Users tap real buttons (which walks them through onboarding, reminders and workouts), forge
callbacks, type long texts with HTML specials, send every message kind, edit messages, and
talk in groups and channels. The bot must never raise, never send a message Telegram would
reject, answer every tap, and let every user out of any state with /cancel, /today and /start.
BACKCOACH_FUZZ_UPDATES=10000 runs the long version; the seed is printed on failure.
"""

from __future__ import annotations

import logging
import os
import random
import string
from datetime import timedelta
from typing import Any

import pytest

from bot.i18n import _, use_language
from bot.tg.errors import SORRY
from bot.tg.processor import PerUserProcessor
from standin import DEFAULT_GROUP_ID
from standin.records import PendingCallback
from tests.e2e.conftest import Harness

UPDATES = int(os.environ.get("BACKCOACH_FUZZ_UPDATES", "2000"))
SEED = int(os.environ.get("BACKCOACH_FUZZ_SEED", "20261203"))
USERS = list(range(3001, 3016))
CHANNEL = -1009999

COMMANDS = [
    "/start",
    "/cancel",
    "/today",
    "/help",
    "/settings",
    "/program",
    "/exercises",
    "/schedule",
    "/pause",
    "/resume",
    "/history",
    "/units",
    "/units lb",
    "/units kg",
    "/units stone",
    "/start extra args",
    "/nosuchcommand",
    "/today@backcoach_test_bot",
    "/language",
]
TEXTS = [
    "4x10 50",
    "10 10 9 8 @ 52,5",
    "bw x 8",
    "+10 x 6",
    "max 5",
    "deadlift 5x5 100",
    "row 3x10 60",
    "done",
    "18:00",
    "7",
    "Berlin",
    "Europe/Moscow",
    "11:00",
    "hello coach",
    "<b>bold</b> & <i>",
    "&amp; &lt; <script>",
    "0",
    "-5",
    "999999999999",
    "x" * 10,
    "🏋️‍♀️💪",
    "   spaced   ",
    "ok",
    "yes",
    "next",
    "+",
    "Mon Thu",
]


def random_text(rng: random.Random) -> str:
    """A text a user (or a bot) might type: known phrases, long junk, HTML specials."""
    pick = rng.random()
    if pick < 0.55:
        return rng.choice(TEXTS)
    if pick < 0.75:
        alphabet = string.printable + "<>&\"'éü€🏋️ж中"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 300))).strip() or "."
    if pick < 0.9:
        return ("<b>&" + "ab<>&c" * 700)[: rng.choice([4096, 4000, 1000])]
    return rng.choice(TEXTS) + " " + "".join(rng.choices("<>&;\"'", k=rng.randint(1, 40)))


def forged_data(rng: random.Random) -> str:
    """Callback data no keyboard of ours produced (or an old, foreign or tampered one)."""
    parts = ["ob", "rm", "wk", "lg", "sc", "ex", "x", "", "9999999", "-1", "start", "é"]
    data = ":".join(rng.choice(parts) for _ in range(rng.randint(1, 6)))
    if rng.random() < 0.2:
        data = "".join(rng.choices(string.printable, k=rng.randint(1, 64)))
    return data.encode()[:64].decode("utf-8", "ignore") or "x"


class Fuzzer:
    """Pushes one random update per user per round into the stand-in."""

    def __init__(self, h: Harness, rng: random.Random) -> None:
        self.h, self.rng = h, rng
        self.queries: list[str] = []
        self.kinds: dict[str, int] = {}

    def count(self, kind: str) -> None:
        self.kinds[kind] = self.kinds.get(kind, 0) + 1

    def one(self, user: int) -> None:
        """Push one random update from this user."""
        rng, s = self.rng, self.h.standin
        roll = rng.random()
        if roll < 0.38 and self._press_real(user):
            return
        if roll < 0.52:
            self.count("command")
            s.send_command(user, rng.choice(COMMANDS))
        elif roll < 0.68:
            self.count("text")
            s.send_text(user, random_text(rng))
        elif roll < 0.74:
            self.count("forged callback")
            self._forged(user)
        elif roll < 0.78:
            self.count("sticker/photo")
            if rng.random() < 0.5:
                s.send_sticker(user)
            else:
                s.send_photo(user, caption=rng.choice([None, "4x10 50", "<b>"]))
        elif roll < 0.84:
            self.count("other kind")
            kind = rng.choice(OTHER_KINDS)
            if "document" in kind:  # a file really sent has a file_id the bot can fetch (/import)
                s.send_document(user, b"not a training log\n", "log.txt", "text/plain")
            else:
                self._raw_message(user, kind)
        elif roll < 0.90:
            self.count("edit")
            self._edit(user)
        elif roll < 0.95:
            self.count("group")
            if rng.random() < 0.6:
                s.send_text(user, random_text(rng), chat_type="group", chat_id=DEFAULT_GROUP_ID)
            else:
                self._press_group(user)
        elif roll < 0.97:
            self.count("channel")
            s.push_update(
                rng.choice(["channel_post", "edited_channel_post"]),
                {
                    "message_id": rng.randint(1, 10_000),
                    "date": 1_700_000_000,
                    "chat": {"id": CHANNEL, "type": "channel", "title": "Gym news"},
                    "text": random_text(rng),
                    **({"edit_date": 1_700_000_100} if rng.random() < 0.5 else {}),
                },
            )
        else:
            self.count("reply")
            msgs = s.messages(user)
            if msgs:
                s.send_text(
                    user, rng.choice(TEXTS), reply_to_message_id=rng.choice(msgs).message_id
                )
            else:
                s.send_text(user, "hi")

    def _press_real(self, user: int) -> bool:
        msgs = [m for m in self.h.standin.messages(user) if m.buttons][-4:]
        if not msgs:
            return False
        # Mostly the newest keyboard; sometimes an older, stale one.
        msg = msgs[-1] if self.rng.random() < 0.8 else self.rng.choice(msgs)
        buttons = [b for row in msg.buttons for b in row if b.callback_data]
        if not buttons:
            return False
        self.count("button")
        button = self.rng.choice(buttons)
        self.queries.append(
            self.h.standin.press_button(user, msg.message_id, button.callback_data or "")
        )
        return True

    def _forged(self, user: int) -> None:
        s = self.h.standin
        msgs = s.messages(user)
        query_id = f"f{len(self.queries)}-{user}"
        payload: dict[str, Any] = {
            "id": query_id,
            "from": s.user(user).to_api(),
            "chat_instance": "1",
            "data": forged_data(self.rng),
        }
        chat, message_id = user, 0
        if msgs:
            target = self.rng.choice(msgs)
            payload["message"] = s.message_api(target)
            message_id = target.message_id
        s.add_callback(query_id, PendingCallback(user, chat, message_id, payload["data"]))
        s.push_update("callback_query", payload)
        self.queries.append(query_id)

    def _press_group(self, user: int) -> None:
        s = self.h.standin
        group = [m for m in s.messages(DEFAULT_GROUP_ID)]
        query_id = f"g{len(self.queries)}-{user}"
        payload: dict[str, Any] = {
            "id": query_id,
            "from": s.user(user).to_api(),
            "chat_instance": "2",
            "data": forged_data(self.rng),
        }
        message_id = 0
        if group:
            payload["message"] = s.message_api(group[-1])
            message_id = group[-1].message_id
        s.add_callback(
            query_id, PendingCallback(user, DEFAULT_GROUP_ID, message_id, payload["data"])
        )
        s.push_update("callback_query", payload)
        self.queries.append(query_id)

    def _raw_message(self, user: int, content: dict[str, Any]) -> None:
        s = self.h.standin
        chat = s.user_chat(user, "private", None)
        s.push_update(
            "message",
            {
                "message_id": s.next_message_id(chat.id),
                "from": s.user(user).to_api(),
                "chat": chat.to_api(),
                "date": 1_700_000_000,
                **content,
            },
        )

    def _edit(self, user: int) -> None:
        s = self.h.standin
        chat = s.user_chat(user, "private", None)
        s.push_update(
            "edited_message",
            {
                "message_id": max(1, s.next_message_id(chat.id) - self.rng.randint(1, 5)),
                "from": s.user(user).to_api(),
                "chat": chat.to_api(),
                "date": 1_700_000_000,
                "edit_date": 1_700_000_050,
                "text": random_text(self.rng),
            },
        )


OTHER_KINDS: list[dict[str, Any]] = [
    {"location": {"latitude": 52.52, "longitude": 13.40}},
    {"contact": {"phone_number": "+4915112345678", "first_name": "Ana"}},
    {"dice": {"emoji": "🎲", "value": 3}},
    {"voice": {"file_id": "v1", "file_unique_id": "v1u", "duration": 2}},
    {"document": {"file_id": "d1", "file_unique_id": "d1u", "file_name": "log.txt"}},
    {"video_note": {"file_id": "n1", "file_unique_id": "n1u", "length": 1, "duration": 1}},
    {"new_chat_members": [{"id": 5, "is_bot": False, "first_name": "Bo"}]},
    {
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "forward_origin": {"type": "hidden_user", "sender_user_name": "X", "date": 1},
    },
]


@pytest.fixture
def rest_scale() -> float:
    """Rest timers of a few hundredths of a second, so they fire during the run."""
    return 0.001


def _sorry() -> list[str]:
    """The apology the error handler sends, in both languages."""
    with use_language("ru"):
        return [SORRY, _(SORRY)]


async def test_random_updates_never_break_the_bot(
    harness: Harness, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = harness
    rng = random.Random(SEED)
    caplog.set_level(logging.WARNING)
    h.standin.group(DEFAULT_GROUP_ID)
    for user in USERS:
        h.standin.user(user, language_code="ru-RU" if user % 3 == 0 else "en")  # a third in Russian
    fuzz = Fuzzer(h, rng)
    journal = h.app.bot_data.journal
    pushed: dict[int, dict[str, Any]] = {}  # every update sent, by id
    push = h.standin.push_update

    def recording(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = push(kind, payload)
        pushed[update["update_id"]] = update
        return update

    monkeypatch.setattr(h.standin, "push_update", recording)
    sent = 0
    rounds = 0
    while sent < UPDATES:
        for user in rng.sample(USERS, k=rng.randint(len(USERS) // 2, len(USERS))):
            fuzz.one(user)
            sent += 1
        rounds += 1
        await h.standin.wait_for(
            lambda: h.standin.pending_updates == 0 and journal.outstanding == 0,
            timeout=30,
            what=f"round {rounds} (seed {SEED}) to be handled",
        )
        if rounds % 15 == 0:  # time passes: reminders come due, days end
            h.clock.now += timedelta(hours=rng.randint(1, 40))
            await h.app.bot_data.runner.tick()

    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, f"seed {SEED}: {[(r.getMessage(), r.exc_info) for r in errors][:5]}"
    said = [m.plain_text or "" for chat in h.standin.chats() for m in h.standin.messages(chat)]
    assert not [t for t in said if any(s in t for s in _sorry())], f"seed {SEED}: apologised"
    # An edit to the same text is refused by Telegram and changes nothing for the user; the
    # onboarding code tolerates it on purpose (re-pressed buttons), so it is not counted.
    rejected = [r for r in h.standin.rejected if "message is not modified" not in r[2]]
    assert not rejected, f"seed {SEED}: Telegram would reject {rejected[:5]}"
    unanswered = [q for q in fuzz.queries if h.standin.callback_answer(q) is None]
    assert not unanswered, f"seed {SEED}: {len(unanswered)} taps never answered"
    assert {"button", "command", "text", "edit", "group", "channel", "forged callback"} <= set(
        fuzz.kinds
    ), fuzz.kinds
    # One commit per update: the journal marks an update committed with its first write, so a
    # second commit could be cut off by a crash and never redone.
    processor = h.app.update_processor
    assert isinstance(processor, PerUserProcessor)
    twice = [pushed[u] for u in processor.split if u is not None]
    assert not twice, f"seed {SEED}: updates that committed more than once: {twice[:5]}"

    # Whatever state each user is in, these always get them an answer.
    for user in USERS:
        for command in ("/cancel", "/today", "/start"):
            before = len(h.standin.messages(user))
            h.standin.send_command(user, command)

            def answered(u: int = user, b: int = before) -> bool:
                return len(h.standin.messages(u)) > b

            await h.standin.wait_for(
                answered,
                timeout=10,
                what=f"user {user} to get an answer to {command}",
            )
            text = h.standin.messages(user)[before].plain_text or ""
            assert not any(s in text for s in _sorry())
