"""The HTTP service: the answer engine over FastAPI, versioned under /v1.

``create_app`` assembles it: the service (model, index, engine) loads once in the lifespan and
answering runs in the thread pool, off the event loop. Around the routes sit, outermost first,
CORS and the guard (request id, rate limit, access log, metrics, 500s, every error as problem
details) — see :mod:`api.middleware`; each route has FastAPI's request-body limit. Every error is a problem-details JSON (:mod:`api.errors`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import anyio
from fastapi import FastAPI
from starlette.middleware import Middleware

from api.errors import install, problem_responses
from api.middleware import Guard, Metrics, ProblemCORS, cors_options
from api.reload import Follow, IndexWatcher, Slot
from api.routes import (
    admin,
    admin_page,
    ask,
    corpus,
    docs,
    feedback,
    reports,
    service,
    uploads,
    widget,
)
from api.routes.admin import IndexEditor
from api.staging import Staging
from corpus.reader import MAX_FILE_BYTES
from engine.followup import Contexts, ContextStore
from engine.ratelimit import Limiter, RateLimiter
from engine.service import PolicyQA
from usage.log import QuestionLog

logger = logging.getLogger(__name__)

UNLIMITED_PATHS = ("/healthz", "/readyz", "/metrics", "/widget.js", "/v1/limits", "/docs",
                   "/docs/assets/")
"""Probes, scrapes and static assets, never rate-limited (a portal page loads the widget script
on every view, and many citizens may share one office's address); a trailing slash covers the
folder."""


def create_app(load: Callable[[], PolicyQA], *, cors_origins: list[str] | None = None,
               rate_limit_per_minute: int = 120, max_body_bytes: int = 16_384,
               rebuild: Callable[[PolicyQA], PolicyQA] | None = None,
               admin_key: str | None = None, editor: IndexEditor | None = None,
               limiter: Limiter | None = None, metrics_dir: Path | None = None,
               follow: Follow | None = None, worker: str | None = None,
               follow_up_seconds: float = 600.0,
               question_log: Callable[[], QuestionLog] | None = None,
               contexts: ContextStore | None = None,
               report_timezone: str = "Asia/Shanghai") -> FastAPI:
    """The API; ``load`` gives the service once, in the lifespan.

    ``rebuild`` (with ``admin_key``) makes a new service from the current one for
    ``POST /v1/admin/reindex``; without both the endpoint does not exist. ``editor`` (with
    ``admin_key``) adds, removes and marks documents of the served index for the admin API
    and the admin page; without it they answer that editing is not enabled.

    For one of several worker processes: ``limiter`` counts clients in a store the workers
    share (in-process, ``rate_limit_per_minute`` per client, without it); ``metrics_dir`` is
    the folder where every worker's metrics are kept and summed; ``follow`` makes the worker
    swap in an index another worker published (:mod:`api.reload`); ``worker`` is the token
    sent as ``X-Worker``.

    ``follow_up_seconds``: how long a conversation's last answer is kept for follow-up
    questions (``conversation_id`` of ``POST /v1/ask``; 0: not at all). The contexts live on
    ``app.state``, not on the service, so that they survive an index reload; each worker keeps
    its own, unless ``contexts`` keeps them where every worker sees them (Redis).

    ``question_log`` opens the question log (:mod:`usage.log`) in the lifespan, in the process
    that serves (its writer is a thread), and it is closed, its queue written, at shutdown; the
    answers and ratings are kept there and the reports read it. Without it nothing is kept and
    ratings are accepted and dropped. ``report_timezone`` (an IANA name) is where the usage
    report's days begin at midnight.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        watcher = None if follow is None else IndexWatcher(follow, Slot(
            get=lambda: getattr(app.state, "service", None),
            put=lambda service: setattr(app.state, "service", service)))
        marker = None if watcher is None else await anyio.to_thread.run_sync(watcher.mark)
        if question_log is not None:
            app.state.log = await anyio.to_thread.run_sync(question_log)
            app.state.database = getattr(app.state.log, "engine", None)
        app.state.service = await anyio.to_thread.run_sync(load)
        await anyio.to_thread.run_sync(lambda: app.state.service.suggestions)  # asked once now
        logger.info("ready: %s", app.state.service.manifest.counts)
        if watcher is not None:
            watcher.installed(app.state.service, marker)
            watcher.start()
        try:
            yield
        finally:
            if watcher is not None:
                await anyio.to_thread.run_sync(watcher.stop)
            if question_log is not None:
                await anyio.to_thread.run_sync(app.state.log.close)

    metrics = Metrics(metrics_dir)
    app = FastAPI(
        title="policyqa", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
        responses=problem_responses(
            (400, "Malformed request"), (413, "Request body too large"), (422, "Invalid request"),
            (429, "Rate limited"), (500, "Internal error"), (503, "Index unavailable")),
        description="Cited answers from Chinese government policy notices. Every answer quotes "
                    "the clause it rests on, names the responsible units and the deadline, or "
                    "says `not_found`.",
        middleware=[  # outermost first
            Middleware(ProblemCORS, **cors_options(cors_origins or [])),
            # A given limiter asks a store outside the process: off the event loop.
            Middleware(Guard, limiter=limiter or RateLimiter(rate_limit_per_minute),
                       metrics=metrics, unlimited=UNLIMITED_PATHS, offload=limiter is not None,
                       worker=worker),
        ])
    app.state.metrics = metrics
    app.state.contexts = contexts if contexts is not None else Contexts(follow_up_seconds)
    app.state.admin_key = admin_key
    app.state.report_timezone = ZoneInfo(report_timezone)
    app.state.rebuild = rebuild
    app.state.editor = editor
    app.state.reindexing = threading.Lock()
    install(app)
    # FastAPI's own body limit, on every route (inside CORS and the guard, which turns its plain
    # 413 into problem details).
    for router in (ask.router, feedback.router, corpus.router, service.router, widget.router,
                   docs.router):
        app.include_router(router, max_body_size=max_body_bytes)
    if rebuild is not None and admin_key:
        app.include_router(admin.router, max_body_size=max_body_bytes)
    if admin_key:
        app.include_router(reports.router, max_body_size=max_body_bytes)
        # Uploads may be as large as a notice file may be (plus the form around it).
        app.state.staging = Staging()
        for router in (admin_page.router, uploads.router):
            app.include_router(router, max_body_size=MAX_FILE_BYTES + 65_536)
    return app
