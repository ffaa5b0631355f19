"""How the service is put on the network: uvicorn's settings, and a request-read timeout.

uvicorn limits idle keep-alive connections but not how long a client may take to send a
request: a client sending a byte every two seconds would hold a connection forever. The
protocol below gives every request ``read_timeout`` seconds from its first byte (or from the
connection's opening) to arrive whole, then answers 408 and closes.
"""

from __future__ import annotations

import asyncio
import functools
import json
from dataclasses import dataclass
from typing import Any, cast

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol


@dataclass(frozen=True)
class HttpLimits:
    """Connection limits of the HTTP server."""

    read_timeout: float = 10.0
    """Seconds a client has to send a whole request (headers and body)."""
    keep_alive: int = 5
    """Seconds an idle keep-alive connection stays open."""
    max_connections: int = 256
    """Open connections and running requests beyond which new requests get 503."""
    max_header_bytes: int = 16_384
    """Largest request head (request line and headers)."""
    forwarded_allow_ips: tuple[str, ...] = ()
    """Proxies whose X-Forwarded-For is believed; none by default, so nobody can pick the
    address the rate limit counts."""


def _problem(status: int, title: str, detail: str) -> bytes:
    return json.dumps({"type": "about:blank", "title": title, "status": status,
                       "detail": detail}).encode()


_TIMEOUT_BODY = _problem(408, "Request timeout", "the request was not received in time")


class ReadTimeoutProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for receiving each request."""

    read_timeout = 10.0

    def __init__(self, *args: Any, read_timeout: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if read_timeout is not None:
            self.read_timeout = read_timeout
        self._read_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._read_deadline is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._disarm()  # the request arrived whole (or the connection is done)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """A request HTTP itself cannot parse, answered as problem details too."""
        body = _problem(400, "Malformed request", msg)
        headers = [(b"content-type", b"application/problem+json"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]
        for event in (h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
                      h11.Data(data=body), h11.EndOfMessage()):
            self.transport.write(self.conn.send(event) or b"")
        self.transport.close()

    def _arm(self) -> None:
        self._disarm()
        self._read_deadline = self.loop.call_later(self.read_timeout, self._expire)

    def _disarm(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _expire(self) -> None:
        self._read_deadline = None
        if self.transport.is_closing():
            return
        if self.conn.our_state is h11.IDLE:  # nothing answered yet on this request
            self.transport.write(
                b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\n"
                b"connection: close\r\ncontent-length: " + str(len(_TIMEOUT_BODY)).encode()
                + b"\r\n\r\n" + _TIMEOUT_BODY)
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True
        self.transport.close()


def server_config(app: ASGIApp | str, host: str, port: int, limits: HttpLimits,
                  workers: int = 1) -> uvicorn.Config:
    """uvicorn's configuration for the service (the CLI's ``serve`` and the tests use it).

    ``app`` is the application, or for several ``workers`` the import string of a factory
    that makes it (``module:function``), called once in each worker process. The
    configuration is sent to each worker, so everything in it can be pickled (the protocol
    is a partial, not a class made on the fly).
    """
    protocol = functools.partial(ReadTimeoutProtocol, read_timeout=limits.read_timeout)
    factory = isinstance(app, str)
    return uvicorn.Config(
        app, factory=factory, workers=workers if factory else None, host=host, port=port,
        http=cast("type[asyncio.Protocol]", protocol), log_config=None, access_log=False,
        timeout_keep_alive=limits.keep_alive, limit_concurrency=limits.max_connections,
        h11_max_incomplete_event_size=limits.max_header_bytes,
        proxy_headers=bool(limits.forwarded_allow_ips),
        forwarded_allow_ips=list(limits.forwarded_allow_ips) or None,
        server_header=False, date_header=True)
