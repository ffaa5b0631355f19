"""Adding notices over the API: upload a file (text, JSON lines, web page, Word, PDF) behind the
admin key, see how it parsed, and add it to the served index — the API twin of ``policyqa add``
and of the admin page's upload."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, File, Query, Request, UploadFile
from pydantic import BaseModel

from api.deps import AdminDep
from api.errors import problem_responses
from api.routes.admin import EditResult, add_documents
from corpus.preview import DocumentPreview, preview
from corpus.reader import MAX_FILE_BYTES, read_bytes

router = APIRouter(tags=["admin"])


class UploadResult(BaseModel):
    """How the uploaded file parsed, and what adding it did (absent for a preview)."""

    documents: list[DocumentPreview]
    result: EditResult | None = None


@router.post("/v1/admin/documents", responses=problem_responses(
    (401, "No API key"), (403, "Wrong API key"),
    (409, "Another change of the index is running"),
    (413, f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"),
    (422, "The file cannot be read as a notice (empty, encrypted, scanned, not the format its "
          "name says, no article)")))
async def upload_documents(
    request: Request, _: AdminDep, file: Annotated[UploadFile, File(
        description="A notice: .txt/.md (UTF-8 or GB18030), .jsonl, .html, .docx or .pdf "
                    "with a text layer; the file name gives the format and the doc id.")],
    preview_only: Annotated[bool, Query(alias="preview", description=(
        "Only parse and describe the file; nothing is indexed."))] = False,
) -> UploadResult:
    """Parse an uploaded notice and add it to the index (a new version of a doc id replaces
    the indexed one; a notice whose content is indexed already is not embedded again)."""
    name = (file.filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "upload"
    data = await file.read(MAX_FILE_BYTES + 1)
    documents = await anyio.to_thread.run_sync(read_bytes, data, name)
    described = [preview(d) for d in documents]
    if preview_only:
        return UploadResult(documents=described)
    return UploadResult(documents=described, result=await add_documents(request, documents))
