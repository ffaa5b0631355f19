"""The HTTP server as `policyqa serve` configures it: proxies, slow clients, connection limits."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from api.main import create_app
from api.server import HttpLimits
from engine.service import PolicyQA
from index.store import LoadedIndex
from tests.conftest import fake_service
from tests.liveserver import LiveServer


@pytest.fixture(scope="module")
def runtime(fake_index: LoadedIndex) -> PolicyQA:
    return fake_service(fake_index)


def _serve(runtime: PolicyQA, limits: HttpLimits, per_minute: int = 1000) -> LiveServer:
    return LiveServer(lambda: create_app(lambda: runtime, rate_limit_per_minute=per_minute),
                      limits=limits).start()


@pytest.fixture()
def slow_server(runtime: PolicyQA) -> Iterator[LiveServer]:
    server = _serve(runtime, HttpLimits(read_timeout=1.0))
    yield server
    server.stop()


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(runtime: PolicyQA) -> None:
    server = _serve(runtime, HttpLimits(), per_minute=2)
    try:
        statuses = [httpx.get(f"{server.base}/v1/documents",
                              headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                    for i in range(3)]
        assert statuses == [200, 200, 429]  # made-up addresses do not escape the limit
    finally:
        server.stop()
    trusting = _serve(runtime, HttpLimits(forwarded_allow_ips=("127.0.0.1",)), per_minute=2)
    try:
        statuses = [httpx.get(f"{trusting.base}/v1/documents",
                              headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
                    for i in range(3)]
        assert statuses == [200, 200, 200]  # behind a trusted proxy each client counts alone
    finally:
        trusting.stop()


def _trickle(sock: socket.socket, data: bytes, every: float, limit: float) -> bytes:
    """Send ``data`` a byte at a time until the server answers or closes; return its answer."""
    sock.settimeout(every)
    started = time.monotonic()
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except OSError:
            break
        try:
            answer = sock.recv(4096)
            return answer
        except TimeoutError:
            pass
        assert time.monotonic() - started < limit, "the server kept waiting"
    sock.settimeout(limit)
    return sock.recv(4096)


def _response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body) from a kept-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(4096)
    return head + b"\r\n\r\n" + body


def test_a_client_sending_a_byte_at_a_time_is_cut_off(slow_server: LiveServer) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"x" * 200 + b"\r\n\r\n"
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", slow_server.port)) as sock:
        answer = _trickle(sock, request, every=0.2, limit=5)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert time.monotonic() - started < 3


def test_a_kept_alive_connection_gets_the_same_deadline(slow_server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", slow_server.port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(5)
        assert _response(sock).startswith(b"HTTP/1.1 200 ")
        answer = _trickle(sock, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X: y\r\n" * 40,
                          every=0.2, limit=5)
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_prompt_client_is_not_affected(slow_server: LiveServer) -> None:
    with httpx.Client(base_url=slow_server.base) as client:
        for _ in range(3):
            assert client.post("/v1/ask", json={"question": "养老机构设立许可"}).status_code == 200
            time.sleep(0.6)  # kept alive across the deadline's length


def test_a_request_http_cannot_parse_is_problem_json(slow_server: LiveServer) -> None:
    with socket.create_connection(("127.0.0.1", slow_server.port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header Line\r\n\r\n")
        sock.settimeout(5)
        answer = b""
        while chunk := sock.recv(4096):  # until the server closes
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/problem+json" in answer.lower()
    assert b'"title": "Malformed request"' in answer
