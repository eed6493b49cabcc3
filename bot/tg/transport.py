"""The HTTP client under every Bot API call: aiohttp, in place of PTB's default httpx.

Why: at the bot's usual concurrency (several calls in flight while others queue), a
`sendMessage` through PTB's HTTPXRequest cost about 1.4 ms of CPU on the bench machine and the
same call through this class about 0.4 ms, most of the difference being httpcore's pool
bookkeeping and its pure-Python HTTP parser (aiohttp parses with llhttp, in C). Sending is most
of what the bot does, so this is most of its CPU (docs/benchmarks.md, issue #13).

What stays PTB's: building the request (`RequestData`), parsing the answer, mapping Telegram's
errors; this class only moves bytes. Bodies go out as JSON (the Bot API takes
application/json) unless a file is attached, then as multipart form data.

Errors come out as PTB's `TimedOut` and `NetworkError`, raised *from* the aiohttp error, so that
`delivery.classify` can still tell a call that never left (no connection could be had, or
opened) from one that may have reached Telegram (the connection broke or went quiet after the
request was written).
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# The words delivery.classify looks for: a request that waited for a connection in vain.
NOT_SENT = "Timed out waiting for a connection. Request was *not* sent to Telegram."
# An idle pooled connection is closed after this long (httpx's default too): Telegram may drop
# idle connections on its side, and reusing one it dropped fails after the request was written.
KEEPALIVE_SECONDS = 5.0
_JSON = {"Content-Type": "application/json"}


class AiohttpRequest(BaseRequest):
    """A `telegram.request.BaseRequest` over one aiohttp session (created in `initialize`)."""

    def __init__(
        self,
        *,
        pool_size: int = 1,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self._pool_size = max(1, pool_size)
        # Telegram's certificate is checked against certifi's CA bundle, as httpx did: it does
        # not depend on what the host has installed.
        self._tls = tls
        self._connect = connect_timeout
        self._read = read_timeout
        self._write = write_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        # One ClientTimeout per distinct set of timeouts (a handful), not one per call.
        self._timeouts: dict[tuple[float | None, ...], aiohttp.ClientTimeout] = {}

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds getUpdates' long-poll time to it)."""
        return self._read

    async def initialize(self) -> None:
        """Open the session inside the running event loop (again after a shutdown)."""
        if self._session is None or self._session.closed:
            if self._tls is None:
                self._tls = ssl.create_default_context(cafile=certifi.where())
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, keepalive_timeout=KEEPALIVE_SECONDS, ssl=self._tls
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                timeout=aiohttp.ClientTimeout(total=None),
                trust_env=False,
            )

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one call; return the status code and the raw body."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data is not None and request_data.contains_files
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, files)
        data: bytes | aiohttp.FormData | None = None
        headers = None
        if request_data is not None:
            if files:
                data = _form(request_data)
            else:
                data, headers = request_data.json_payload, _JSON
        try:
            async with session.request(
                method, url, data=data, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:
            # No pooled connection came free, or none could be opened, in time.
            raise TimedOut(NOT_SENT) from err
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # The class name says what broke even when the message is empty.
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err

    def _timeout(
        self,
        read: ODVInput[float],
        write: ODVInput[float],
        connect: ODVInput[float],
        pool: ODVInput[float],
        files: bool,
    ) -> aiohttp.ClientTimeout:
        """aiohttp's timeouts for PTB's four; cached per distinct combination."""
        r = self._read if isinstance(read, DefaultValue) else read
        c = self._connect if isinstance(connect, DefaultValue) else connect
        p = self._pool if isinstance(pool, DefaultValue) else pool
        if isinstance(write, DefaultValue):
            w = self._media_write if files else self._write
        else:
            w = write
        key = (r, w, c, p, float(files))
        cached = self._timeouts.get(key)
        if cached is None:
            # aiohttp has no write timeout; an upload's whole call gets its write and read time.
            total = w + r if files and w is not None and r is not None else None
            acquire = None if p is None or c is None else p + c
            cached = aiohttp.ClientTimeout(
                total=total, connect=acquire, sock_connect=c, sock_read=r
            )
            self._timeouts[key] = cached
        return cached


def _form(request_data: RequestData) -> aiohttp.FormData:
    """Multipart form data: every parameter as a field, every file as a part."""
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form


class UpdatesRequest(AiohttpRequest):
    """The getUpdates connection: each fetched batch, as Telegram sent it, goes to `on_fetch`
    before PTB parses it (the update journal records it there, bot/tg/journal.py)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_fetch: Callable[[list[dict[str, Any]]], Awaitable[None]] | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Fetch, hand a non-empty batch on, then give the answer to PTB as it came.

        PTB parses the body again (its `post` is final): a few microseconds per update.
        """
        status, body = await super().do_request(*args, **kwargs)
        if self.on_fetch is not None and status == 200:
            try:
                batch = json.loads(body).get("result")
            except (ValueError, AttributeError):
                batch = None  # PTB reports what is wrong with the answer
            if isinstance(batch, list) and batch:
                await self.on_fetch(batch)
        return status, body
