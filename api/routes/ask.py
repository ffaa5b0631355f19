"""Answers and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.exceptions import HTTPException

from api.deps import RuntimeDep
from api.errors import problem_responses
from api.schemas import QUESTION_SCHEMA, AskRequest, SearchHit
from policyqa.contract import Answer, checked_question

router = APIRouter(tags=["answers"])


@router.post("/v1/ask", response_model=Answer,
             responses=problem_responses((404, "No such document")))
def ask(body: AskRequest, runtime: RuntimeDep, request: Request) -> Answer:
    """Answer a question with citations, verdict, units and deadline (or not_found)."""
    if body.doc_id and body.doc_id not in {d.doc_id for d in runtime.index.documents}:
        raise HTTPException(404, f"no document {body.doc_id!r}")
    answer = runtime.answerer.ask(body.question, top_k=body.top_k, doc_id=body.doc_id)
    if answer.status == "not_found":
        request.app.state.metrics.refusals.inc()
    return answer


@router.get("/v1/search", response_model=list[SearchHit])
def search(runtime: RuntimeDep,
           q: Annotated[str, Query(description="The question (1–500 characters after trimming)",
                                   json_schema_extra=QUESTION_SCHEMA)],
           k: Annotated[int, Query(ge=1, le=50)] = 5) -> list[SearchHit]:
    """Ranked clauses for a question (hybrid BM25 + dense retrieval)."""
    hits = runtime.retriever.search(checked_question(q), k=k)
    return [SearchHit(rank=i, doc_id=h.clause.doc_id, clause_id=h.clause.clause_id,
                      label=h.clause.label, score=h.score, ranks=dict(h.ranks),
                      sentences=[h.clause.sentences[s].text for s in h.sentences])
            for i, h in enumerate(hits, start=1)]
