"""Administration behind the API key: rebuild the index and swap it in."""

from __future__ import annotations

import logging

import anyio
from fastapi import APIRouter, Request
from starlette.exceptions import HTTPException

from api.deps import AdminDep
from api.errors import problem_responses
from engine.service import PolicyQA, release_memory

logger = logging.getLogger(__name__)

router = APIRouter(tags=["admin"])


@router.post("/v1/admin/reindex", responses=problem_responses(
    (401, "No API key"), (403, "Wrong API key"), (409, "A reindex is already running")))
async def reindex(request: Request, _: AdminDep) -> dict[str, object]:
    """Rebuild the index from the corpus and swap it in; the old one serves meanwhile.

    The rebuild reuses the loaded embedding model; the old index is let go as soon as the
    requests still using it finish.
    """
    state = request.app.state
    if not state.reindexing.acquire(blocking=False):
        raise HTTPException(409, "a reindex is already running")
    try:
        current: PolicyQA = state.service
        fresh: PolicyQA = await anyio.to_thread.run_sync(state.rebuild, current)
        await anyio.to_thread.run_sync(lambda: fresh.suggestions)  # computed before serving
    except Exception as exc:
        logger.exception("reindex failed; the previous index stays in service")
        raise HTTPException(500, f"reindex failed, the previous index is still served: "
                                 f"{type(exc).__name__}") from exc
    finally:
        state.reindexing.release()
    state.service = fresh  # one assignment: each request sees the old or the new service
    del current
    await anyio.to_thread.run_sync(release_memory)
    return {"status": "reindexed", "counts": fresh.manifest.counts}
