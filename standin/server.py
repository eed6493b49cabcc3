"""Local stand-in for the Telegram Bot API: a tornado server on 127.0.0.1.

Point python-telegram-bot at it with ``Bot(token, base_url=standin.base_url,
base_file_url=standin.base_file_url)``; drive fake users and read back what the bot did
through the Python API (same event loop).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import tornado.httputil
import tornado.netutil
import tornado.web
from tornado.httpserver import HTTPServer

from standin.api import BotApi
from standin.control import StandInControl
from standin.errors import ApiError
from standin.limits import FloodLimits
from standin.messages import MAX_UPLOAD_BYTES
from standin.params import Params, Upload

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123456:STANDIN-test-token"
_LOOPBACK = "127.0.0.1"
_TOKEN_IN_PATH = re.compile(r"^(/(?:file/)?bot)[^/]*")
# How long stop() lets in-flight calls (woken long polls) finish before closing sockets.
_DRAIN_SECONDS = 1.0


def redact(path: str) -> str:
    """Return a request path with the bot token replaced, safe to log."""
    return _TOKEN_IN_PATH.sub(r"\1<token>", path)


class _BaseHandler(tornado.web.RequestHandler):
    """Shared plumbing: JSON replies and logging that never shows the token."""

    standin: StandIn

    def initialize(self, standin: StandIn) -> None:
        self.standin = standin
        self.connection_closed = False

    def on_connection_close(self) -> None:
        self.connection_closed = True
        # Wake the long poll this connection may be waiting in, so it stops at once.
        self.standin.notify()

    def reply(self, status: int, body: Any) -> None:
        """Write a JSON body unless the client has already gone."""
        if self.connection_closed:
            return
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, ensure_ascii=False))

    def log_exception(
        self,
        typ: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        logger.error(
            "stand-in: error handling %s %s",
            self.request.method,
            redact(self.request.path),
            exc_info=(typ, value, tb) if typ is not None and value is not None else None,
        )


class BotApiHandler(_BaseHandler):
    """Serves /bot<token>/<method> for GET and POST, any of the three encodings."""

    async def get(self, token: str, method: str) -> None:
        await self._handle(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._handle(token, method)

    async def _handle(self, token: str, method: str) -> None:
        if token != self.standin.token:
            self.reply(401, ApiError(401, "Unauthorized").to_api())
            return
        self.standin.enter_call()
        try:
            params = self._params()
            result = await self.standin.api.call(method, params, lambda: self.connection_closed)
        except ApiError as error:
            logger.debug("stand-in: %s -> %s %s", method, error.error_code, error.description)
            self.standin.rejected.append((method, error.error_code, error.description))
            self.reply(error.error_code, error.to_api())
        else:
            self.reply(200, {"ok": True, "result": result})
        finally:
            self.standin.leave_call()

    def _params(self) -> Params:
        request = self.request
        content_type = request.headers.get("Content-Type", "")
        params = Params()
        for name, values in request.query_arguments.items():
            params.values[name] = values[-1].decode("utf-8", "replace")
        if content_type.startswith("application/json"):
            try:
                body = json.loads(request.body or b"{}")
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON object") from None
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON object expected")
            params.values.update(body)
            return params
        # tornado already parsed urlencoded and multipart bodies into these two mappings.
        for name, values in request.body_arguments.items():
            params.values[name] = values[-1].decode("utf-8", "replace")
        for name, files in request.files.items():
            part = files[-1]
            params.files[name] = Upload(part.filename, part.content_type, part.body)
        return params


class FileHandler(_BaseHandler):
    """Serves /file/bot<token>/<file_path> for files announced by getFile."""

    async def get(self, token: str, file_path: str) -> None:
        if token != self.standin.token:
            self.reply(401, ApiError(401, "Unauthorized").to_api())
            return
        stored = self.standin.get_file(file_path.rsplit("/", 1)[-1])
        if stored is None or stored.data is None or stored.file_path != file_path:
            self.reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self.set_header("Content-Type", stored.mime_type or "application/octet-stream")
        self.finish(stored.data)


class StandIn(StandInControl):
    """The stand-in server; see the module docstring. Use as ``async with StandIn() as s``."""

    def __init__(
        self,
        host: str = _LOOPBACK,
        port: int = 0,
        token: str = DEFAULT_TOKEN,
        *,
        limits: FloodLimits | None = None,
        bot_username: str = "backcoach_test_bot",
        bot_first_name: str = "BackCoach",
        strict_chats: bool = False,
        first_update_id: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if host != _LOOPBACK:
            raise ValueError("the stand-in only listens on 127.0.0.1")
        super().__init__(
            token=token,
            bot_username=bot_username,
            bot_first_name=bot_first_name,
            limits=limits or FloodLimits(),
            strict_chats=strict_chats,
            clock=clock,
            first_update_id=first_update_id,
        )
        self.host = host
        self.port = port
        self.api = BotApi(self)
        self._server: HTTPServer | None = None
        self._inflight = 0
        # Every call the stand-in refused: (method, error code, description), for tests.
        self.rejected: list[tuple[str, int, str]] = []
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def base_url(self) -> str:
        """Return the value for Bot(base_url=...)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the value for Bot(base_file_url=...)."""
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def limits(self) -> FloodLimits:
        """Return the flood limits in force."""
        return self.flood.limits

    def set_limits(self, limits: FloodLimits) -> None:
        """Switch flood limits and forget send history (429 counters are kept)."""
        self.flood.reset(limits)

    def enter_call(self) -> None:
        """Count a Bot API call in flight (stop() waits for these)."""
        self._inflight += 1
        self._idle.clear()

    def leave_call(self) -> None:
        """Mark a Bot API call finished."""
        self._inflight -= 1
        if self._inflight == 0:
            self._idle.set()

    async def start(self) -> StandIn:
        """Bind 127.0.0.1:port (0 picks a free port) and start serving."""
        if self._server is not None:
            return self
        sockets = tornado.netutil.bind_sockets(self.port, address=_LOOPBACK, family=socket.AF_INET)
        self.port = sockets[0].getsockname()[1]
        app = tornado.web.Application(
            [
                (r"/bot([^/]*)/([^/]*)", BotApiHandler, {"standin": self}),
                (r"/file/bot([^/]*)/(.+)", FileHandler, {"standin": self}),
            ],
            log_function=_log_request,
        )
        self.closing = False
        self._server = HTTPServer(app, max_body_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        self._server.add_sockets(sockets)
        logger.info("stand-in Bot API listening on %s:%s", self.host, self.port)
        return self

    async def stop(self) -> None:
        """Answer pending long polls, then close the listener and every connection."""
        server = self._server
        if server is None:
            return
        self._server = None
        self.closing = True
        self.notify()
        server.stop()
        try:
            await asyncio.wait_for(self._idle.wait(), _DRAIN_SECONDS)
        except TimeoutError:
            logger.warning("stand-in: %s call(s) still running at stop", self._inflight)
        await server.close_all_connections()
        logger.info("stand-in Bot API stopped")

    async def __aenter__(self) -> StandIn:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Access log at debug level, with the token cut out of the path."""
    request = handler.request
    logger.debug(
        "%s %s %s %.1fms",
        handler.get_status(),
        request.method,
        redact(request.path),
        1000.0 * request.request_time(),
    )
