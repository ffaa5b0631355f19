"""Administration behind the API key: rebuild the index, list its documents, remove one, set
one's status; and :func:`add_documents` for a route that uploads notices.

Every change of the index takes the same lock: a second one while one runs gets 409. A change
publishes a new index version, and the service over it replaces the old one with one
assignment, so each request is answered by the old index or the new one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import anyio
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from api.deps import AdminDep, ServiceDep
from api.errors import problem_responses
from contract.errors import PolicyQAError
from corpus.document import Document, Level, Status
from engine.service import PolicyQA, release_memory
from index.edit import EditReport

logger = logging.getLogger(__name__)

router = APIRouter(tags=["admin"])

_KEY = ((401, "No API key"), (403, "Wrong API key"))
_BUSY = (409, "Another change of the index is running")


class IndexEditor(Protocol):
    """Edits of the served index (``app.state.editor``; see ``policyqa.runtime.ServiceEditor``):
    each returns the service to answer from afterwards, and what was done."""

    def add(self, current: PolicyQA, documents: Sequence[Document]
            ) -> tuple[PolicyQA, EditReport]: ...

    def remove(self, current: PolicyQA, doc_id: str) -> tuple[PolicyQA, EditReport]: ...

    def set_status(self, current: PolicyQA, doc_id: str, status: Status
                   ) -> tuple[PolicyQA, EditReport]: ...


class IndexedDocument(BaseModel):
    """A document of the served index."""

    doc_id: str
    title: str
    number: str | None
    issuer: str | None
    published: dt.date | None
    level: Level | None
    region: str | None
    status: Status
    source: str
    clauses: int


class StatusChange(BaseModel):
    """A document's new status."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "废止"}]})

    status: Status = Field(description="现行 (in force), 废止 (repealed) or 已修订 (amended).")


class ChangeRecord(BaseModel):
    """What a change did to one document."""

    doc_id: str
    action: str = Field(description="added, replaced, unchanged, duplicate, removed or status.")
    detail: str = ""


class EditResult(BaseModel):
    """A finished change of the index."""

    status: str = Field(description="changed, or unchanged when nothing needed doing.")
    changes: list[ChangeRecord]
    counts: dict[str, int]
    seconds: float
    embedded: int = Field(description="Passages the model encoded.")


@router.post("/v1/admin/reindex", responses=problem_responses(
    *_KEY, (409, "A reindex is already running")))
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


@router.get("/v1/admin/documents", responses=problem_responses(*_KEY))
def documents(service: ServiceDep, _: AdminDep) -> list[IndexedDocument]:
    """Every document of the served index, in index order, with its status."""
    return [IndexedDocument(
        doc_id=d.doc_id, title=d.title, number=d.number, issuer=d.issuer, published=d.published,
        level=d.level, region=d.region, status=d.status, source=d.source,
        clauses=len(d.clauses)) for d in service.documents]


@router.delete("/v1/admin/documents/{doc_id}", responses=problem_responses(
    *_KEY, (404, "No such document"),
    (409, "Another change of the index is running, or this is its only document")))
async def remove_document(doc_id: str, request: Request, service: ServiceDep,
                          _: AdminDep) -> EditResult:
    """Remove a document; the others are not embedded again. An index keeps one document at
    least."""
    if [d.doc_id for d in service.documents] == [doc_id]:
        raise HTTPException(409, f"{doc_id} is the index's only document; an index cannot be "
                                 "empty")
    return await edit_index(request, lambda editor, current: editor.remove(current, doc_id))


@router.put("/v1/admin/documents/{doc_id}/status", responses=problem_responses(
    *_KEY, (404, "No such document"), _BUSY))
async def set_status(doc_id: str, change: StatusChange, request: Request,
                     _: AdminDep) -> EditResult:
    """Set a document's status; nothing is embedded again."""
    return await edit_index(
        request, lambda editor, current: editor.set_status(current, doc_id, change.status))


async def add_documents(request: Request, documents: Sequence[Document]) -> EditResult:
    """Add parsed documents to the served index (or replace the indexed versions of the same
    ids), for a route behind :data:`~api.deps.AdminDep` that uploads notices: the same lock and
    swap as every change, and 409 while another runs."""
    return await edit_index(request, lambda editor, current: editor.add(current, documents))


Edit = Callable[[IndexEditor, PolicyQA], tuple[PolicyQA, EditReport]]


async def edit_index(request: Request, edit: Edit) -> EditResult:
    """Run ``edit`` off the event loop under the index lock, then swap its service in.

    The project's errors (a document that does not exist, a damaged index) pass through to
    their problem responses; anything else is a 500 that leaves the served index as it was.
    """
    state = request.app.state
    editor: IndexEditor | None = getattr(state, "editor", None)
    if editor is None:
        raise HTTPException(404, "editing documents is not enabled on this server")
    if not state.reindexing.acquire(blocking=False):
        raise HTTPException(409, "another change of the index is running")
    try:
        current: PolicyQA = state.service
        fresh, report = await anyio.to_thread.run_sync(edit, editor, current)
        if fresh is not current:
            await anyio.to_thread.run_sync(lambda: fresh.suggestions)  # computed before serving
            state.service = fresh  # one assignment: each request sees the old or the new one
    except PolicyQAError:
        raise
    except Exception as exc:
        logger.exception("changing the index failed; the previous index stays in service")
        raise HTTPException(500, f"the change failed, the previous index is still served: "
                                 f"{type(exc).__name__}") from exc
    finally:
        state.reindexing.release()
    if fresh is not current:
        del current, fresh
        await anyio.to_thread.run_sync(release_memory)
    embedded = report.embedding.encoded if report.embedding else 0
    return EditResult(
        status="changed" if report.published else "unchanged",
        changes=[ChangeRecord(doc_id=c.doc_id, action=c.action, detail=c.detail)
                 for c in report.changes],
        counts=dict(report.manifest.counts), seconds=round(report.seconds, 3),
        embedded=embedded)
