"""The HTTP layers around the routes, outermost first: CORS, then the guard.

CORS is outermost so that every response to an allowed origin carries its headers — a 429, a
413 and a 500 included — and a preflight is answered before the rate limiter sees it. The guard
gives each request an id, applies the per-client rate limit, logs and counts the response, and
turns an unexpected exception into a problem-details 500 *inside* CORS (Starlette's own error
middleware sits outside every user middleware, where CORS cannot reach).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from pathlib import Path
from typing import Any

import anyio
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM, TITLES, problem
from api.schemas import Problem
from contract.answer import Answer
from engine.ratelimit import Limiter, LimitUnavailable, retry_after

logger = logging.getLogger(__name__)

# A caller's X-Request-ID is kept only when it is a short token: anything else could flood
# the log or forge its fields, and gets a fresh id instead.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id(headers: Headers) -> str:
    """The caller's request id when it is a safe short token, else a new one."""
    given = headers.get("x-request-id", "")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]


class ProblemCORS(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered as problem details, not plain text."""

    def preflight_response(self, request_headers: Headers) -> Response:
        """The preflight answer; a refusal keeps its CORS headers and says what was refused."""
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        headers = {k: v for k, v in response.headers.items()
                   if k.lower() not in ("content-type", "content-length")}
        return problem(response.status_code, "CORS preflight refused",
                       bytes(response.body).decode("utf-8", "replace"), headers=headers)


LOG_OUTCOMES = ("written", "dropped", "failed", "rejected")


class Metrics:
    """The service's Prometheus metrics, in a registry of its own.

    With several worker processes, ``multiprocess_dir`` is prometheus_client's
    ``PROMETHEUS_MULTIPROC_DIR`` (set before anything imported prometheus_client, so that every
    worker writes its values there): :meth:`exposition` then sums every worker's.
    """

    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        self.registry = CollectorRegistry()
        self.multiprocess_dir = multiprocess_dir
        self.requests = Counter("policyqa_requests_total", "HTTP requests", ["path", "status"],
                                registry=self.registry)
        self.latency = Histogram("policyqa_request_seconds", "HTTP request latency", ["path"],
                                 registry=self.registry)
        self.refusals = Counter("policyqa_refusals_total", "Questions answered not_found",
                                registry=self.registry)
        self.limits_unavailable = Counter(
            "policyqa_ratelimit_unavailable_total",
            "Requests refused with 503 because the shared rate limits could not be reached",
            registry=self.registry)
        self.log_rows = Gauge(
            "policyqa_question_log_rows",
            "Question log rows since the process started, by outcome: written, dropped (queue "
            "full), failed (the database refused or was down), rejected (a rating whose answer "
            "was not there)", ["outcome"], registry=self.registry, multiprocess_mode="livesum")
        self.log_writer_alive = Gauge(
            "policyqa_question_log_writer_alive",
            "1 while the question log's writer thread runs (or the log has none), 0 once it has "
            "stopped: nothing more is written", registry=self.registry,
            multiprocess_mode="livemin")

    def exposition(self) -> bytes:
        """The metrics in Prometheus's text format: this process's, or with several workers
        every worker's summed (those of workers that have exited included)."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        from prometheus_client.multiprocess import MultiProcessCollector

        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]
        return generate_latest(registry)

    def observe_log(self, log: object) -> None:
        """Copy the question log's counters (:class:`usage.writer.DatabaseLog`; a log without
        them counts nothing)."""
        for outcome in LOG_OUTCOMES:
            self.log_rows.labels(outcome).set(getattr(log, outcome, 0))
        self.log_writer_alive.set(1 if getattr(log, "alive", True) else 0)

    def count(self, answer: Answer) -> None:
        """Count an answer (refusals are watched: a rising share means the notices miss
        something people ask)."""
        if answer.status == "not_found":
            self.refusals.inc()


class Guard:
    """Request id, rate limit, access log, metrics, and a problem for any unexpected error.

    ``offload`` runs the limiter's check in a worker thread (a limiter that asks a network
    store must not hold up the event loop). A limiter that cannot count (LimitUnavailable)
    gets the request refused with 503, counted and logged: never let through unlimited.
    ``worker`` (with several worker processes) is sent as ``X-Worker`` on every response: a
    random token of the process, so that a client or a test can tell the workers apart
    without learning anything about the host.
    """

    def __init__(self, app: ASGIApp, *, limiter: Limiter, metrics: Metrics,
                 unlimited: tuple[str, ...] = (), offload: bool = False,
                 worker: str | None = None) -> None:
        self.app = app
        self.limiter = limiter
        self.metrics = metrics
        self.unlimited = unlimited
        self.offload = offload
        self.worker = worker

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id(Headers(scope=scope))
        client = scope["client"][0] if scope.get("client") else "unknown"
        status = 500
        response_started = False

        held: list[Message] = []  # an error response that is not problem details yet

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status, response_started = message["status"], True
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = rid
                if self.worker:
                    headers["X-Worker"] = self.worker
                kind = headers.get("content-type", "")
                if status >= 400 and "json" not in kind and "text/html" not in kind:
                    # Starlette's plain-text errors (a 413 from the limit); a page's own error
                    # page (the admin page) stays HTML.
                    held.append(message)
                    return
            if held:
                held.append(message)
                if not message.get("more_body", False):
                    await _as_problem(held, send)
                return
            await send(message)

        path = scope["path"]
        unlimited = any(path == u or (u.endswith("/") and path.startswith(u))
                        for u in self.unlimited)
        wait, counted = 0.0, True
        if not unlimited and self.limiter.enabled:
            try:
                wait = await anyio.to_thread.run_sync(self.limiter.check, client) \
                    if self.offload else self.limiter.check(client)
            except LimitUnavailable:
                counted = False
                self.metrics.limits_unavailable.inc()
        try:
            if not counted:
                await problem(503, "Rate limit unavailable",
                              "the request could not be counted against the rate limit; "
                              "retry later", headers={"Retry-After": "1"}
                              )(scope, receive, send_with_id)
            elif wait:
                await problem(429, "Too many requests",
                              "the per-client rate limit was reached; retry later",
                              headers={"Retry-After": retry_after(wait)}
                              )(scope, receive, send_with_id)
            else:
                await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error on %s", scope["path"], extra={"request_id": rid})
            if response_started:
                raise  # the status line is out; the server closes the connection
            await problem(500, "Internal error", "the request could not be served"
                          )(scope, receive, send_with_id)
        elapsed = time.perf_counter() - started
        route = getattr(scope.get("route"), "path", "unmatched")
        self.metrics.requests.labels(path=route, status=str(status)).inc()
        self.metrics.latency.labels(path=route).observe(elapsed)
        logger.info("%s %s %s", scope["method"], scope["path"], status,
                    extra={"request_id": rid, "status": status, "ms": round(elapsed * 1000, 1),
                           "client": client})


async def _as_problem(messages: list[Message], send: Send) -> None:
    """Send a held plain-text error response as problem details, its headers kept."""
    start = messages[0]
    detail = b"".join(m.get("body", b"") for m in messages[1:]).decode("utf-8", "replace")
    status: int = start["status"]
    title = TITLES.get(status, detail or "Error")
    body = Problem(title=title, status=status, detail=detail or title).model_dump_json().encode()
    headers = MutableHeaders(raw=[(k, v) for k, v in start.get("headers", [])
                                  if k.lower() not in (b"content-type", b"content-length")])
    headers["Content-Type"] = PROBLEM
    headers["Content-Length"] = str(len(body))
    await send({"type": "http.response.start", "status": status, "headers": headers.raw})
    await send({"type": "http.response.body", "body": body, "more_body": False})


def cors_options(origins: list[str]) -> dict[str, Any]:
    """The CORS settings of the service for the allowed ``origins``."""
    return {"allow_origins": list(origins), "allow_methods": ["GET", "POST"],
            "allow_headers": ["Content-Type", "X-Request-ID"],
            "expose_headers": ["Retry-After", "X-Request-ID"]}
