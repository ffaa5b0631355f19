"""The API assembled from the settings, in one process or in several worker processes.

``policyqa serve --workers N`` (or ``POLICYQA_WORKERS``) with N > 1 runs uvicorn's supervisor:
it binds the socket once, checks what every worker needs (Redis, the index, the model), and
starts N processes that each import :data:`APP` — :func:`app`, which reads the settings and
builds the API; each worker loads the model and the index in its lifespan. The supervisor
passes what the command line decided to the workers through their environment (the index
folder, the number of workers, and ``PROMETHEUS_MULTIPROC_DIR``, a fresh folder where every
worker keeps its metrics so that ``/metrics`` sums them).

What the workers share: the rate limits, through Redis when ``POLICYQA_REDIS_URL`` is set
(:mod:`engine.sharedlimit`; otherwise each worker counts in its own memory); the metrics; and
the index, which a reindex in any worker publishes once and every worker follows
(:mod:`api.reload`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr

from contract.errors import ConfigurationError
from corpus.reader import read_documents
from engine.ratelimit import Limiter
from engine.service import PolicyQA, release_memory
from policyqa.logs import configure_logging, hide
from policyqa.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from api.reload import Follow
    from api.server import HttpLimits

logger = logging.getLogger(__name__)

APP = "policyqa.workers:app"
"""The factory each worker process imports and calls."""

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
"""prometheus_client's folder for the metrics of several processes."""


def assemble(settings: Settings, index_dir: Path, load: Callable[[], PolicyQA], *,
             limiter: Limiter | None = None, metrics_dir: Path | None = None,
             follow: Follow | None = None, worker: str | None = None) -> FastAPI:
    """The API over the settings (in the one process, or in each worker)."""
    from api.main import create_app
    from policyqa.runtime import ServiceEditor, rebuild, store_mirror
    from usage.log import QuestionLog, open_log

    mirror = store_mirror(settings)

    def rebuild_index(current: PolicyQA) -> PolicyQA:
        return rebuild(current, read_documents(settings.corpus), index_dir, settings.index_type,
                       mirror)

    def question_log() -> QuestionLog:
        return open_log(settings.database_url.get_secret_value(), enabled=settings.log_questions,
                        retention_days=settings.log_retention_days)

    contexts = None
    if settings.redis_url is not None:  # several workers (or hosts): one conversation, one context
        from engine.sharedcontexts import SharedContexts

        contexts = SharedContexts.connect(settings.redis_url.get_secret_value(),
                                          settings.follow_up_seconds)
    key = settings.admin_api_key.get_secret_value() if settings.admin_api_key else None
    return create_app(load, cors_origins=settings.cors_origins,
                      rate_limit_per_minute=settings.rate_limit_per_minute,
                      max_body_bytes=settings.max_body_bytes, rebuild=rebuild_index,
                      admin_key=key, editor=ServiceEditor(index_dir, mirror), limiter=limiter,
                      metrics_dir=metrics_dir, follow=follow, worker=worker,
                      follow_up_seconds=settings.follow_up_seconds, question_log=question_log,
                      contexts=contexts, report_timezone=settings.report_timezone)


def shared_limiter(settings: Settings) -> Limiter | None:
    """The rate limiter over Redis when ``POLICYQA_REDIS_URL`` is set (checked now: a Redis that
    does not answer is a ConfigurationError); None for the in-process default."""
    if settings.redis_url is None:
        return None
    from engine.sharedlimit import SharedRateLimiter

    return SharedRateLimiter.connect(settings.redis_url.get_secret_value(),
                                     settings.rate_limit_per_minute)


def app() -> FastAPI:
    """The API of one worker process, from the settings in its environment (uvicorn calls
    this in each worker)."""
    from api.reload import Follow
    from index.versions import current
    from policyqa import runtime

    settings = Settings()
    hide(*(value.get_secret_value() for value in vars(settings).values()
           if isinstance(value, SecretStr)))
    configure_logging(settings.log_level, settings.log_format)
    index_dir = settings.index_dir
    folder = os.environ.get(MULTIPROC_ENV)
    follow = Follow(marker=lambda: current(index_dir),
                    reopen=lambda service: runtime.reopen(service, index_dir),
                    served=lambda service: service.index.folder)
    return assemble(
        settings, index_dir, lambda: runtime.open_service(settings, index_dir, serving=True),
        limiter=shared_limiter(settings), metrics_dir=Path(folder) if folder else None,
        follow=follow, worker=secrets.token_hex(4))


def run(settings: Settings, index_dir: Path, host: str, port: int, workers: int,
        limits: HttpLimits) -> int:
    """Serve with ``workers`` processes until interrupted; the exit code of ``serve``."""
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    from api.server import server_config
    from index.store import verify
    from policyqa import runtime

    verify(index_dir)  # a damaged index is said once, here, not by every worker
    runtime.check_store(settings, index_dir)  # so is a store that cannot serve it
    model = runtime.open_encoder(settings)  # built (once) if missing, before N workers need it
    del model
    release_memory()
    if settings.redis_url is None:
        logger.warning("%d workers without POLICYQA_REDIS_URL: each counts its clients' "
                       "requests in its own memory, so a client may make up to %d times "
                       "POLICYQA_RATE_LIMIT_PER_MINUTE", workers, workers)
    os.environ["POLICYQA_INDEX_DIR"] = str(index_dir.absolute())
    os.environ["POLICYQA_WORKERS"] = str(workers)
    with metrics_folder():
        config = server_config(APP, host, port, limits, workers=workers)
        supervisor = Multiprocess(config, sockets=[config.bind_socket()])
        supervisor.run()
    if any(process.exitcode == STARTUP_FAILURE for process in supervisor.processes):
        raise ConfigurationError("a worker could not start; its log above says why")
    return 0


@contextlib.contextmanager
def metrics_folder() -> Iterator[Path]:
    """``PROMETHEUS_MULTIPROC_DIR`` for the workers, emptied now: the one given in the
    environment, or a fresh temporary folder removed at the end."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        folder = Path(given)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):  # values of an earlier run would be added in
            stale.unlink()
        yield folder
        return
    folder = Path(tempfile.mkdtemp(prefix="policyqa-metrics-"))
    os.environ[MULTIPROC_ENV] = str(folder)
    try:
        yield folder
    finally:
        del os.environ[MULTIPROC_ENV]
        shutil.rmtree(folder, ignore_errors=True)
