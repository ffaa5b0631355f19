"""The corpus: documents, clauses, units, starter questions and the question rule."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServiceDep
from api.errors import problem_responses
from api.schemas import DocumentSummary, Limits, Suggestions, UnitTasks
from corpus.document import clause_record

router = APIRouter(tags=["corpus"])


@router.get("/v1/documents", response_model=list[DocumentSummary])
def documents(service: ServiceDep) -> list[DocumentSummary]:
    """Every document in the index."""
    return [DocumentSummary.of(d) for d in service.documents]


@router.get("/v1/documents/{doc_id}/clauses/{clause_id}",
            responses=problem_responses((404, "No such clause")))
def clause(doc_id: str, clause_id: str, service: ServiceDep) -> dict[str, object]:
    """One clause with its text, units, deadline and links."""
    return clause_record(service.clause(doc_id, clause_id))


@router.get("/v1/units", response_model=list[UnitTasks])
def units(service: ServiceDep) -> list[UnitTasks]:
    """Every unit with the clauses and tasks it leads or shares."""
    return [UnitTasks(name=u.name, leads=list(u.leads), shares=list(u.shares))
            for u in service.units()]


@router.get("/v1/suggestions", response_model=Suggestions)
def suggestions(service: ServiceDep) -> Suggestions:
    """Starter questions drawn from the corpus, each one the engine answers."""
    return Suggestions(questions=list(service.suggestions))


@router.get("/v1/limits", response_model=Limits)
def limits() -> Limits:
    """What a question may be (the widget and other clients read it here)."""
    return Limits()
