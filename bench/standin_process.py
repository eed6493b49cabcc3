"""The Bot API stand-in in a child process, driven over a line protocol on its stdin and stdout.

Benchmarks run the stand-in in its own process so that its work (parsing, flood control,
acting as thousands of users) does not compete with the bot's event loop, as Telegram's would
not. The parent sends one JSON object per line and reads one JSON object per line back:

- {"cmd": "stats"}: what the stand-in received (sent messages, chats, duplicates, 429s, ...).
- {"cmd": "users", "ids": [...]}: make these users known.
- {"cmd": "drive", ...}: act as users and time the bot's answers here, in the child, so the
  parent's clock and pipes are not part of the figure (see `drive`).
- {"cmd": "answers"}: how many answering calls the bot has made so far.
- {"cmd": "quit"} or end of input: stop.

    python -m bench.standin_process [--limits disabled|real]   (started by StandInProcess)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from standin import FloodLimits, StandIn

ROOT = Path(__file__).resolve().parent.parent
JSON = dict[str, Any]
# Bot API calls that answer a user; getUpdates, getMe and the command menu are not answers.
ANSWERS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "answerCallbackQuery",
        "deleteMessage",
    }
)


@dataclass(frozen=True)
class Urls:
    """Where the stand-in listens."""

    base: str
    file: str


class StandInProcess:
    """A StandIn in a child process (``async with StandInProcess() as s``)."""

    def __init__(self, limits: str = "disabled") -> None:
        self.limits = limits
        self.proc: asyncio.subprocess.Process | None = None
        self.urls = Urls("", "")

    async def __aenter__(self) -> StandInProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.standin_process", "--limits", self.limits, cwd=ROOT,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            first = await asyncio.wait_for(self._line(), 30)
        except BaseException:
            await self._stop()
            raise
        self.urls = Urls(first["base_url"], first["base_file_url"])
        return self

    async def _line(self) -> JSON:
        assert self.proc is not None and self.proc.stdout is not None
        raw = await self.proc.stdout.readline()
        if not raw:
            raise RuntimeError("the stand-in process exited")
        result: JSON = json.loads(raw)
        if "error" in result:
            raise RuntimeError(f"stand-in process: {result['error']}")
        return result

    async def ask(self, request: JSON, timeout: float = 600) -> JSON:
        """Send one command and return the child's answer."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(request).encode() + b"\n")
        await self.proc.stdin.drain()
        return await asyncio.wait_for(self._line(), timeout)

    async def stats(self) -> JSON:
        """What the stand-in has received so far (see `summary`)."""
        return await self.ask({"cmd": "stats"}, timeout=60)

    async def _stop(self) -> None:
        proc = self.proc
        if proc is None:
            return
        self.proc = None
        try:
            if proc.stdin is not None and not proc.stdin.is_closing():
                proc.stdin.write(b'{"cmd": "quit"}\n')
                proc.stdin.close()
            await asyncio.wait_for(proc.wait(), 15)
        except (TimeoutError, OSError):
            proc.kill()
            await proc.wait()

    async def __aexit__(self, *exc: object) -> None:
        await self._stop()


# --- the child --------------------------------------------------------------------------


def summary(s: StandIn) -> JSON:
    """Messages the bot sent: how many, to how many chats, doubles, 429s, the busiest second."""
    sent = s.sent_log
    times = sorted(t for t, _, _ in sent)
    per_chat = Counter(chat for _, chat, _ in sent)
    max_1s, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - 1.0:
            lo += 1
        max_1s = max(max_1s, hi - lo + 1)
    return {
        "sent": len(sent),
        "chats": len(per_chat),
        "duplicates": sum(n - 1 for n in per_chat.values()),
        "flood_429": s.flood_429_count,
        "first": times[0] if times else None,
        "last": times[-1] if times else None,
        "max_in_1s": max_1s,
        "requests": s.stats()["requests"],
    }


def answers(s: StandIn) -> int:
    """Bot API calls so far that answer a user."""
    return sum(n for method, n in s.requests.items() if method in ANSWERS)


def act(s: StandIn, user: int, kind: str, text: str) -> None:
    """One update from a user: a text, a /command, or a tap on the button labelled `text`."""
    if kind == "text":
        s.send_text(user, text)
    elif kind == "command":
        s.send_command(user, text)
    elif kind == "press":
        for message in reversed(s.messages(user)):
            labels = [b.text for row in message.buttons for b in row]
            if text in labels:
                s.press_button(user, message.message_id, text)
                return
        raise LookupError(f"user {user} has no button {text!r}")
    else:
        raise ValueError(f"unknown kind {kind!r}")


async def drive(s: StandIn, r: JSON) -> JSON:
    """Each of r["users"] sends one update of r["kind"] at once; time until all are answered.

    r["per_update"]: how many answering calls one update gets (a calibration run measures it);
    None: wait until the bot has been quiet for r["quiet"] seconds and report what came.
    The clock stops when the last expected answer arrives, and the answer comes back at once
    (so the parent can read its CPU clock); {"cmd": "answers"} a little later shows whether
    anything more came (more would mean the calibration was wrong).
    """
    users: list[int] = r["users"]
    before, rejected = answers(s), len(s.rejected)
    t0 = time.perf_counter()
    for user in users:
        act(s, user, r["kind"], r["text"])
    per_update = r.get("per_update")
    quiet = float(r.get("quiet", 0.5))
    if per_update is None:
        seen, last = answers(s), time.perf_counter()
        while time.perf_counter() - last < quiet:
            await asyncio.sleep(0.05)
            if answers(s) != seen:
                seen, last = answers(s), time.perf_counter()
        return {"answers": seen - before, "rejected": s.rejected[rejected:]}
    target = before + per_update * len(users)
    await s.wait_for(lambda: answers(s) >= target, timeout=float(r.get("timeout", 300)),
                     what=f"{target - before} answers")  # fmt: skip
    return {
        "seconds": time.perf_counter() - t0,
        "answers": answers(s) - before,
        "expected": target - before,
        "total": answers(s),
        "rejected": s.rejected[rejected:],
    }


async def handle(s: StandIn, request: JSON) -> JSON:
    """Answer one command from the parent."""
    cmd = request.get("cmd")
    if cmd == "stats":
        return summary(s)
    if cmd == "answers":
        return {"total": answers(s), "rejected": len(s.rejected)}
    if cmd == "users":
        for uid in request["ids"]:
            s.user(int(uid))
        return {"ok": True}
    if cmd == "drive":
        return await drive(s, request)
    raise ValueError(f"unknown command {cmd!r}")


async def serve(limits: str) -> None:
    """Run a stand-in; answer commands on stdin until 'quit' or the end of input."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    transport, _ = await loop.connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    flood = FloodLimits.disabled() if limits == "disabled" else FloodLimits()
    try:
        async with StandIn(limits=flood) as s:
            print(json.dumps({"base_url": s.base_url, "base_file_url": s.base_file_url}),
                  flush=True)  # fmt: skip
            while line := (await reader.readline()).decode().strip():
                request: JSON = json.loads(line)
                if request.get("cmd") == "quit":
                    break
                try:
                    answer = await handle(s, request)
                except (LookupError, ValueError, TimeoutError) as error:
                    answer = {"error": f"{type(error).__name__}: {error}"}
                print(json.dumps(answer, default=str), flush=True)
    finally:
        transport.close()


def main(argv: list[str] | None = None) -> None:
    """Child entry point."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--limits", choices=("disabled", "real"), default="disabled")
    a = p.parse_args(argv)
    asyncio.run(serve(a.limits))


if __name__ == "__main__":
    main()
