"""A fault-injecting HTTP proxy on 127.0.0.1, between the bot and the stand-in.

Each request from the bot is read whole, then either forwarded to the stand-in (on a fresh
connection) or answered with a fault: a 500, a 502, a long 429, a 403, a reset, a hang, or,
during an outage, refused connections. Faults apply to chosen Bot API methods only, for a
number of requests or until cleared, so a test can break sendMessage while users keep logging.
The proxy records whether each faulted request was forwarded, so a test knows what reached
the stand-in.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import struct
from collections import Counter
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_LOOPBACK = "127.0.0.1"
_MAX_HEADER = 64 * 1024
FAULTS = ("500", "502", "429", "403", "reset", "hang", "outage")


@dataclass
class Fault:
    """What to do to matching requests."""

    kind: str  # one of FAULTS
    methods: frozenset[str] = frozenset({"sendMessage"})  # empty: every method
    count: int | None = None  # how many requests to fault; None: until cleared
    retry_after: int = 30  # for 429

    def matches(self, method: str) -> bool:
        """Whether this fault applies to a Bot API method."""
        return not self.methods or method in self.methods


@dataclass
class FaultStats:
    """What the proxy did, per fault kind."""

    forwarded: int = 0
    faulted: Counter[str] = field(default_factory=Counter)


class FaultProxy:
    """Use as ``async with FaultProxy(upstream_port) as proxy``; point the bot at proxy.port."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = 0
        self.fault: Fault | None = None
        self.stats = FaultStats()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._hung: list[asyncio.StreamWriter] = []
        self._open: set[asyncio.StreamWriter] = set()
        self._started = False

    @property
    def base_url(self) -> str:
        """The bot's base_url through the proxy."""
        return f"http://{_LOOPBACK}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The bot's base_file_url through the proxy."""
        return f"http://{_LOOPBACK}:{self.port}/file/bot"

    async def inject(self, fault: Fault | None) -> None:
        """Start faulting matching requests (None: heal).

        An outage stops listening (new connections are refused) and drops open ones.
        """
        self.fault = fault
        for writer in self._hung:  # a healed proxy lets hung connections go
            writer.close()
        self._hung.clear()
        if fault is not None and fault.kind == "outage":
            await self._close_listener()
            for writer in list(self._open):
                _reset(writer)
            self.stats.faulted["outage"] += 1
        elif self._server is None and self._started:
            await self.start()

    async def start(self) -> FaultProxy:
        """Listen on a free loopback port (the same one again after an outage)."""
        self._server = await asyncio.start_server(
            self._serve, _LOOPBACK, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._started = True
        return self

    async def _close_listener(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def stop(self) -> None:
        """Close the listener and every connection."""
        self._started = False
        await self.inject(None)
        await self._close_listener()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def __aenter__(self) -> FaultProxy:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._open.add(writer)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                head, body, method = request
                fault = self.fault
                if fault is not None and fault.matches(method) and fault.kind != "outage":
                    if not await self._apply(fault, writer):
                        return
                    continue
                await self._forward(head, body, writer)
                self.stats.forwarded += 1
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._open.discard(writer)
            self._tasks.discard(task)
            with contextlib.suppress(Exception):
                writer.close()

    def _take(self, kind: str) -> None:
        """Count a faulted request; a counted fault heals itself when used up."""
        self.stats.faulted[kind] += 1
        fault = self.fault
        if fault is not None and fault.count is not None:
            fault.count -= 1
            if fault.count <= 0:
                self.fault = None

    async def _apply(self, fault: Fault, writer: asyncio.StreamWriter) -> bool:
        """Answer with the fault; False if the connection is gone afterwards."""
        self._take(fault.kind)
        if fault.kind == "reset":
            _reset(writer)
            return False
        if fault.kind == "hang":
            self._hung.append(writer)
            await asyncio.Event().wait()  # until cancelled at stop or closed by inject()
            return False
        status, payload = _fault_answer(fault)
        writer.write(_response(status, payload))
        await writer.drain()
        return True

    async def _forward(self, head: bytes, body: bytes, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(_LOOPBACK, self.upstream_port)
        try:
            up_writer.write(_close_connection(head) + body)
            await up_writer.drain()
            answer = await up_reader.read()  # until the stand-in closes
        finally:
            up_writer.close()
        writer.write(_keep_alive(answer))
        await writer.drain()


def _fault_answer(fault: Fault) -> tuple[int, bytes]:
    if fault.kind == "502":
        return 502, b"<html><body>502 Bad Gateway</body></html>"
    if fault.kind == "429":
        return 429, json.dumps(
            {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {fault.retry_after}",
                "parameters": {"retry_after": fault.retry_after},
            }
        ).encode()
    if fault.kind == "403":
        return 403, json.dumps(
            {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
        ).encode()
    return 500, json.dumps(
        {"ok": False, "error_code": 500, "description": "Internal Server Error"}
    ).encode()


def _response(status: int, payload: bytes) -> bytes:
    reason = {500: "Internal Server Error", 502: "Bad Gateway", 429: "Too Many Requests"}.get(
        status, "Forbidden"
    )
    kind = "text/html" if payload.startswith(b"<") else "application/json"
    head = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n"
    )
    return head.encode() + payload


def _reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    if sock is not None:
        # SO_LINGER 0: close() sends RST instead of FIN, as a dropped connection does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes, str] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    except asyncio.LimitOverrunError:
        return None
    if len(head) > _MAX_HEADER:
        return None
    lines = head.decode("latin-1").split("\r\n")
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = await reader.readexactly(length) if length else b""
    path = lines[0].split(" ")[1] if len(lines[0].split(" ")) > 1 else ""
    method = path.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    return head, body, method


def _close_connection(head: bytes) -> bytes:
    lines = head.decode("latin-1").split("\r\n")
    kept = [line for line in lines if not line.lower().startswith("connection:") and line]
    return ("\r\n".join(kept) + "\r\nConnection: close\r\n\r\n").encode("latin-1")


def _keep_alive(answer: bytes) -> bytes:
    """The upstream answer with its Connection header saying the client's connection stays."""
    head, sep, body = answer.partition(b"\r\n\r\n")
    lines = [
        line
        for line in head.decode("latin-1").split("\r\n")
        if not line.lower().startswith("connection:")
    ]
    return ("\r\n".join([*lines, "Connection: keep-alive"])).encode("latin-1") + sep + body
