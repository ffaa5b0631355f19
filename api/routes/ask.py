"""Answers (in conversations: follow-ups read against the previous answer) and search."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request

from api.deps import LogDep, ServiceDep
from api.errors import problem_responses
from api.schemas import QUESTION_SCHEMA, AskRequest, AskResponse, SearchHit
from engine.followup import ContextStore
from usage.record import asked_from

router = APIRouter(tags=["answers"])


@router.post("/v1/ask", response_model=AskResponse,
             responses=problem_responses((404, "No such document")))
def ask(body: AskRequest, service: ServiceDep, log: LogDep, request: Request) -> AskResponse:
    """Answer a question with citations, verdict, units and deadline (or not_found); with the
    ``conversation_id`` of a previous response, a follow-up (谁牵头, 什么时候完成, 那福州呢) is
    read against that conversation's previous answer."""
    started, at = time.perf_counter(), datetime.now(UTC)
    contexts: ContextStore = request.app.state.contexts
    conversation = body.conversation_id or uuid.uuid4().hex
    context = contexts.get(conversation) if body.conversation_id else None
    turn = service.follow_up(body.question, context, top_k=body.top_k, doc_id=body.doc_id)
    contexts.put(conversation, turn.context)
    request.app.state.metrics.count(turn.answer)
    answer_id = uuid.uuid4().hex
    # Queued for the log's own thread: neither its time nor its failure reaches the answer.
    log.record(asked_from(turn.answer, answer_id=answer_id, at=at, channel=body.channel,
                          user=None, latency_ms=(time.perf_counter() - started) * 1000,
                          follow_up=turn.follow_up))
    request.app.state.metrics.observe_log(log)
    return AskResponse(**dict(turn.answer), answer_id=answer_id,
                       conversation_id=conversation, follow_up=turn.follow_up)


@router.get("/v1/search", response_model=list[SearchHit])
def search(service: ServiceDep,
           q: Annotated[str, Query(description="The question (1–500 characters after trimming)",
                                   json_schema_extra=QUESTION_SCHEMA)],
           k: Annotated[int, Query(ge=1, le=50)] = 5) -> list[SearchHit]:
    """Ranked clauses for a question (hybrid BM25 + dense retrieval)."""
    return [SearchHit.of(rank, hit) for rank, hit in enumerate(service.search(q, k=k), start=1)]
