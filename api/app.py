"""The HTTP service: the answer engine over FastAPI, versioned under /v1.

Bad input is a problem-details JSON (422 for validation, 413 for oversized bodies, 429 with
Retry-After past the per-client rate), never an HTML traceback. The model and index load once in
the lifespan; answering runs in the thread pool, off the event loop.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.schemas import (
    MAX_QUESTION,
    QUESTION_PATTERN,
    AskRequest,
    DocumentSummary,
    Problem,
    SearchHit,
    Suggestions,
    UnitTasks,
    clause_view,
)
from api.widget import router as widget_router
from policyqa.contract import Answer
from policyqa.errors import IndexUnavailable, InputError, PolicyQAError
from policyqa.ratelimit import RateLimiter, retry_after
from policyqa.runtime import Runtime

logger = logging.getLogger(__name__)

PROBLEM = "application/problem+json"
UNLIMITED_PATHS = ("/healthz", "/readyz", "/metrics")


def _problem_responses(*codes: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for problem-details responses."""
    schema = Problem.model_json_schema()
    return {code: {"description": title, "content": {PROBLEM: {"schema": schema}}}
            for code, title in codes}


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None
            ) -> JSONResponse:
    """A problem-details response."""
    body = Problem(title=title, status=status, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, before anything parses them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_big = problem(413, "Request body too large",
                          f"request bodies are limited to {self.limit} bytes")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await too_big(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLarge:
            await too_big(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def create_app(load: Callable[[], Runtime], *, cors_origins: list[str] | None = None,
               rate_limit_per_minute: int = 120, max_body_bytes: int = 16_384,
               rebuild: Callable[[], Runtime] | None = None, admin_key: str | None = None
               ) -> FastAPI:
    """The API; ``load`` builds the runtime (model, index, engine) once, in the lifespan.

    ``rebuild`` (with ``admin_key``) re-parses the corpus and builds a new index for
    ``POST /v1/admin/reindex``; requests keep being served by the old runtime until the new one
    is ready, and a failed rebuild leaves the old one in place.
    """
    registry = CollectorRegistry()
    requests = Counter("policyqa_requests_total", "HTTP requests", ["path", "status"],
                       registry=registry)
    latency = Histogram("policyqa_request_seconds", "HTTP request latency", ["path"],
                        registry=registry)
    refusals = Counter("policyqa_refusals_total", "Questions answered not_found",
                       registry=registry)
    limiter = RateLimiter(rate_limit_per_minute)
    reindexing = threading.Lock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = await anyio.to_thread.run_sync(load)
        await anyio.to_thread.run_sync(lambda: app.state.runtime.suggestions)  # asked once now
        logger.info("ready: %s", app.state.runtime.index.manifest.counts)
        yield

    app = FastAPI(
        title="policyqa", version="1", lifespan=lifespan, responses=_problem_responses(
            (413, "Request body too large"), (422, "Invalid request"), (429, "Rate limited"),
            (500, "Internal error"), (503, "Index unavailable")),
        description="Cited answers from Chinese government policy notices. Every answer quotes "
                    "the clause it rests on, names the responsible units and the deadline, or "
                    "says `not_found`.")
    app.add_middleware(BodyLimit, limit=max_body_bytes)
    app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins or []),
                       allow_methods=["GET", "POST"], allow_headers=["Content-Type"],
                       expose_headers=["Retry-After", "X-Request-ID"])

    def runtime(request: Request) -> Runtime:
        state: Runtime | None = getattr(request.app.state, "runtime", None)
        if state is None:
            raise IndexUnavailable("the service is still loading the model and index")
        return state

    @app.middleware("http")
    async def observe(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        started = time.perf_counter()
        client = request.client.host if request.client else "unknown"
        wait = 0.0 if request.url.path in UNLIMITED_PATHS else limiter.check(client)
        if wait:
            response: Response = problem(429, "Too many requests",
                                         "the per-client rate limit was reached; retry later",
                                         headers={"Retry-After": retry_after(wait)})
        else:
            response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        elapsed = time.perf_counter() - started
        requests.labels(path=path, status=str(response.status_code)).inc()
        latency.labels(path=path).observe(elapsed)
        response.headers["X-Request-ID"] = request_id
        logger.info("%s %s %s", request.method, request.url.path, response.status_code,
                    extra={"request_id": request_id, "status": response.status_code,
                           "ms": round(elapsed * 1000, 1), "client": client})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}"
                            for e in exc.errors())
        return problem(422, "Invalid request", details)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), str(exc.detail))

    @app.exception_handler(PolicyQAError)
    async def known_error(request: Request, exc: PolicyQAError) -> JSONResponse:
        if isinstance(exc, IndexUnavailable):
            return problem(503, "Index unavailable", str(exc))
        if isinstance(exc, InputError):
            return problem(422, "Invalid request", str(exc))
        return problem(500, "Internal error", "the request could not be served")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unhandled error on %s", request.url.path)
        return problem(500, "Internal error", "the request could not be served")

    @app.post("/v1/ask", response_model=Answer, tags=["answers"],
              responses=_problem_responses((404, "No such document")))
    def ask(body: AskRequest, request: Request) -> Answer:
        """Answer a question with citations, verdict, units and deadline (or not_found)."""
        state = runtime(request)
        if body.doc_id and body.doc_id not in {d.doc_id for d in state.index.documents}:
            raise HTTPException(404, f"no document {body.doc_id!r}")
        answer = state.answerer.ask(body.question, top_k=body.top_k, doc_id=body.doc_id)
        if answer.status == "not_found":
            refusals.inc()
        return answer

    @app.get("/v1/search", response_model=list[SearchHit], tags=["answers"])
    def search(request: Request,
               q: str = Query(min_length=1, max_length=MAX_QUESTION, pattern=QUESTION_PATTERN,
                              description="The question"),
               k: int = Query(default=5, ge=1, le=50)) -> list[SearchHit]:
        """Ranked clauses for a question (hybrid BM25 + dense retrieval)."""
        if not q.strip():
            raise InputError("the query is empty")
        hits = runtime(request).retriever.search(q.strip(), k=k)
        return [SearchHit(rank=i, doc_id=h.clause.doc_id, clause_id=h.clause.clause_id,
                          label=h.clause.label, score=h.score, ranks=dict(h.ranks),
                          sentences=[h.clause.sentences[s].text for s in h.sentences])
                for i, h in enumerate(hits, start=1)]

    @app.get("/v1/documents", response_model=list[DocumentSummary], tags=["corpus"])
    def documents(request: Request) -> list[DocumentSummary]:
        """Every document in the index."""
        return [DocumentSummary(doc_id=d.doc_id, title=d.title, number=d.number, issuer=d.issuer,
                                published=str(d.published) if d.published else None,
                                signed=str(d.signed) if d.signed else None,
                                clauses=len(d.clauses))
                for d in runtime(request).index.documents]

    @app.get("/v1/documents/{doc_id}/clauses/{clause_id}", tags=["corpus"],
             responses=_problem_responses((404, "No such clause")))
    def clause(doc_id: str, clause_id: str, request: Request) -> dict[str, object]:
        """One clause with its text, units, deadline and links."""
        for document in runtime(request).index.documents:
            if document.doc_id == doc_id:
                try:
                    return clause_view(document.clause(clause_id))
                except KeyError:
                    break
        raise HTTPException(404, f"no clause {clause_id!r} in document {doc_id!r}")

    @app.get("/v1/units", response_model=list[UnitTasks], tags=["corpus"])
    def units(request: Request) -> list[UnitTasks]:
        """Every unit with the clauses and tasks it leads or shares."""
        table: dict[str, UnitTasks] = {}
        for c in runtime(request).index.clauses:
            for unit in c.units:
                entry = table.setdefault(unit.name, UnitTasks(name=unit.name, leads=[], shares=[]))
                (entry.leads if unit.lead else entry.shares).append(f"{c.doc_id}:{c.clause_id}")
        return sorted(table.values(), key=lambda u: u.name)

    def reindex(request: Request) -> dict[str, object]:
        """Rebuild the index from the corpus and swap it in; the old one serves meanwhile."""
        assert rebuild is not None and admin_key
        given = request.headers.get("x-api-key")
        if not given:
            raise HTTPException(401, "an X-API-Key header is required")
        if not hmac.compare_digest(given.encode(), admin_key.encode()):
            raise HTTPException(403, "the API key is not valid")
        if not reindexing.acquire(blocking=False):
            raise HTTPException(409, "a reindex is already running")
        try:
            fresh = rebuild()
        except Exception as exc:
            logger.exception("reindex failed; the previous index stays in service")
            raise HTTPException(500, f"reindex failed, the previous index is still served: "
                                     f"{type(exc).__name__}") from exc
        finally:
            reindexing.release()
        request.app.state.runtime = fresh  # one assignment: requests see the old or the new
        return {"status": "reindexed", "counts": fresh.index.manifest.counts}

    if rebuild is not None and admin_key:  # without a key the admin endpoint does not exist
        app.post("/v1/admin/reindex", tags=["admin"], responses=_problem_responses(
            (401, "No API key"), (403, "Wrong API key"), (409, "A reindex is already running"),
        ))(reindex)

    @app.get("/v1/suggestions", response_model=Suggestions, tags=["corpus"])
    def suggestions(request: Request) -> Suggestions:
        """Starter questions drawn from the corpus, each one the engine answers."""
        return Suggestions(questions=list(runtime(request).suggestions))

    app.include_router(widget_router)

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["service"])
    def readyz(request: Request) -> dict[str, object]:
        """The model and index are loaded; reports the index manifest."""
        manifest = runtime(request).index.manifest
        return {"status": "ready", "manifest": manifest.model_dump(exclude={"files"})}

    @app.get("/metrics", response_class=PlainTextResponse, tags=["service"])
    def metrics() -> Response:
        """Prometheus metrics: requests, latencies, refusals."""
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
