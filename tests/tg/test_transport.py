"""The aiohttp transport against small servers on 127.0.0.1: what reaches the server, and what a
failed call means for a reminder (delivery.classify): never sent, so retry; or perhaps
delivered, so never send it twice."""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import pytest
import trustme
from telegram import InputFile
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.tg.delivery import Outcome, classify
from bot.tg.transport import AiohttpRequest, UpdatesRequest

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = b'{"ok":true,"result":true}'


async def read_request(reader: asyncio.StreamReader) -> tuple[dict[str, str], bytes]:
    """One HTTP/1.1 request: its headers (lower-case names) and its body."""
    head = await reader.readuntil(b"\r\n\r\n")
    headers = {}
    for line in head.decode().split("\r\n")[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return headers, body


def answer(body: bytes) -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


def recording(seen: list[tuple[dict[str, str], bytes]]) -> Serve:
    """A server's handler that keeps each request and answers it with success."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await read_request(reader))
        writer.write(answer(OK))
        await writer.drain()
        writer.close()

    return serve


def replying(*responses: bytes) -> Serve:
    """A server's handler that answers each request on a connection with the next response."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for response in responses:
            await read_request(reader)
            writer.write(response)
            await writer.drain()
        writer.close()

    return serve


@asynccontextmanager
async def server(serve: Serve) -> AsyncIterator[str]:
    """A server on a free loopback port; yields its base URL."""
    srv = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = srv.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.close()
        await asyncio.wait_for(srv.wait_closed(), 5)


@asynccontextmanager
async def transport(kind: type[AiohttpRequest] = AiohttpRequest, **kw: Any) -> AsyncIterator[Any]:
    settings: dict[str, Any] = dict(read_timeout=0.5, connect_timeout=0.5, pool_timeout=0.3)
    request = kind(**(settings | kw))
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


def data(**params: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in params.items()])


async def failure(call: Awaitable[object]) -> TelegramError:
    with pytest.raises(TelegramError) as info:
        await call
    return info.value


async def test_a_call_goes_out_as_json_and_its_answer_comes_back_as_sent() -> None:
    seen: list[tuple[dict[str, str], bytes]] = []
    serve = recording(seen)
    async with server(serve) as base, transport() as request:
        markup = {"inline_keyboard": [[{"text": "Fine", "callback_data": "b:fine"}]]}
        result = await request.post(
            f"{base}/bot1:x/sendMessage", data(chat_id=5, text="Привет", reply_markup=markup)
        )
    assert result is True
    headers, body = seen[0]
    assert headers["content-type"] == "application/json"
    # PTB's JSON payload carries every value as text, as form fields would (Telegram reads both).
    sent = json.loads(body)
    assert sent["chat_id"] == "5" and sent["text"] == "Привет"
    assert json.loads(sent["reply_markup"]) == markup


async def test_a_file_goes_out_as_multipart_with_its_name_and_type() -> None:
    seen: list[tuple[dict[str, str], bytes]] = []
    serve = recording(seen)
    upload = InputFile(b"date,sets\n2026-12-01,5\n", filename="backcoach.csv")
    async with server(serve) as base, transport() as request:
        await request.post(f"{base}/bot1:x/sendDocument", data(chat_id=5, document=upload))
    headers, body = seen[0]
    assert headers["content-type"].startswith("multipart/form-data")
    assert b'name="chat_id"' in body and b"\r\n5\r\n" in body
    assert b'filename="backcoach.csv"' in body and b"2026-12-01,5" in body


async def test_a_server_that_cannot_be_reached_means_the_call_never_left() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with transport() as request:
        error = await failure(request.post(f"http://127.0.0.1:{port}/bot1:x/sendMessage", data()))
    assert isinstance(error, NetworkError)
    assert classify(error) is Outcome.RETRY


async def test_a_connection_closed_after_the_request_was_read_may_have_delivered_it() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)  # the whole request arrived...
        writer.close()  # ...and no answer came back

    async with server(serve) as base, transport() as request:
        error = await failure(request.post(f"{base}/bot1:x/sendMessage", data(chat_id=1)))
    assert isinstance(error, NetworkError) and not isinstance(error, TimedOut)
    assert classify(error) is Outcome.AMBIGUOUS, "it may have arrived: never sent twice"


async def test_no_answer_in_time_may_have_delivered_it_and_no_free_connection_did_not() -> None:
    arrived = 0
    release = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal arrived
        await read_request(reader)
        arrived += 1
        await release.wait()  # hangs until the test ends
        writer.close()

    async with server(serve) as base, transport(pool_size=1, read_timeout=2.0) as request:
        url = f"{base}/bot1:x/sendMessage"
        hanging = asyncio.ensure_future(request.post(url, data(chat_id=1)))
        await asyncio.sleep(0.1)
        # The one connection is busy: the second call waits for it in vain and never leaves.
        queued = await failure(request.post(url, data(chat_id=2)))
        assert isinstance(queued, TimedOut) and classify(queued) is Outcome.RETRY
        late = await failure(hanging)  # the first one's answer never came (read timeout)
        assert isinstance(late, TimedOut) and classify(late) is Outcome.AMBIGUOUS
        release.set()
    assert arrived == 1


async def test_the_updates_connection_hands_a_batch_over_before_returning_it() -> None:
    batch = [{"update_id": 1, "message": {"text": "hi"}}, {"update_id": 2}]
    refusal = b'{"ok":false,"error_code":409,"description":"Conflict"}'
    serve = replying(
        answer(json.dumps({"ok": True, "result": batch}).encode()),
        answer(b'{"ok":true,"result":[]}'),
        answer(refusal).replace(b"200 OK", b"409 Conflict"),
    )
    handed: list[list[dict[str, Any]]] = []

    async def on_fetch(fetched: list[dict[str, Any]]) -> None:
        handed.append(fetched)

    async with server(serve) as base, transport(UpdatesRequest) as request:
        request.on_fetch = on_fetch
        url = f"{base}/bot1:x/getUpdates"
        assert await request.post(url, data(offset=0)) == batch
        assert handed == [batch]
        assert await request.post(url, data(offset=3)) == []
        await failure(request.post(url, data(offset=3)))
    assert handed == [batch], "neither an empty answer nor a refusal is handed over"


@asynccontextmanager
async def tls_server(ca: trustme.CA) -> AsyncIterator[str]:
    """An HTTPS server on 127.0.0.1 with a certificate from `ca`, answering every call."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with suppress(ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            await read_request(reader)
            writer.write(answer(OK))
            await writer.drain()
        writer.close()

    srv = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    try:
        yield f"https://127.0.0.1:{srv.sockets[0].getsockname()[1]}"
    finally:
        srv.close()
        await asyncio.wait_for(srv.wait_closed(), 5)


async def test_telegram_is_reached_over_tls_and_an_untrusted_certificate_is_refused() -> None:
    """As against api.telegram.org: the certificate is checked; a server that cannot prove who
    it is gets nothing, and the call counts as never sent."""
    ca = trustme.CA()
    trusting = ssl.create_default_context()
    ca.configure_trust(trusting)
    async with tls_server(ca) as base:
        async with transport(tls=trusting) as request:
            assert await request.post(f"{base}/bot1:x/sendMessage", data(chat_id=1)) is True
        async with transport() as request:  # certifi's bundle: this made-up CA is not in it
            error = await failure(request.post(f"{base}/bot1:x/sendMessage", data(chat_id=1)))
    assert isinstance(error, NetworkError) and "Certificate" in str(error)
    assert classify(error) is Outcome.RETRY
