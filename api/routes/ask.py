"""Answers and search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.deps import ServiceDep
from api.errors import problem_responses
from api.schemas import QUESTION_SCHEMA, AskRequest, SearchHit
from contract.answer import Answer

router = APIRouter(tags=["answers"])


@router.post("/v1/ask", response_model=Answer,
             responses=problem_responses((404, "No such document")))
def ask(body: AskRequest, service: ServiceDep, request: Request) -> Answer:
    """Answer a question with citations, verdict, units and deadline (or not_found)."""
    answer = service.ask(body.question, top_k=body.top_k, doc_id=body.doc_id)
    request.app.state.metrics.count(answer)
    return answer


@router.get("/v1/search", response_model=list[SearchHit])
def search(service: ServiceDep,
           q: Annotated[str, Query(description="The question (1–500 characters after trimming)",
                                   json_schema_extra=QUESTION_SCHEMA)],
           k: Annotated[int, Query(ge=1, le=50)] = 5) -> list[SearchHit]:
    """Ranked clauses for a question (hybrid BM25 + dense retrieval)."""
    return [SearchHit.of(rank, hit) for rank, hit in enumerate(service.search(q, k=k), start=1)]
