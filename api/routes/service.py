"""Liveness, readiness and metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import ServiceDep

router = APIRouter(tags=["service"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(service: ServiceDep) -> dict[str, object]:
    """The model and index are loaded; reports the index manifest."""
    return {"status": "ready", "manifest": service.manifest.model_dump(exclude={"files"})}


@router.get("/metrics", response_class=PlainTextResponse)
def metrics(request: Request) -> Response:
    """Prometheus metrics: requests, latencies, refusals (with several workers, every
    worker's summed)."""
    metrics = request.app.state.metrics
    metrics.observe_log(getattr(request.app.state, "log", None))
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
