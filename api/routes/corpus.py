"""The corpus: documents, clauses, units and starter questions."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.exceptions import HTTPException

from api.deps import RuntimeDep
from api.errors import problem_responses
from api.schemas import DocumentSummary, Suggestions, UnitTasks, clause_view

router = APIRouter(tags=["corpus"])


@router.get("/v1/documents", response_model=list[DocumentSummary])
def documents(runtime: RuntimeDep) -> list[DocumentSummary]:
    """Every document in the index."""
    return [DocumentSummary(doc_id=d.doc_id, title=d.title, number=d.number, issuer=d.issuer,
                            published=str(d.published) if d.published else None,
                            signed=str(d.signed) if d.signed else None, clauses=len(d.clauses))
            for d in runtime.index.documents]


@router.get("/v1/documents/{doc_id}/clauses/{clause_id}",
            responses=problem_responses((404, "No such clause")))
def clause(doc_id: str, clause_id: str, runtime: RuntimeDep) -> dict[str, object]:
    """One clause with its text, units, deadline and links."""
    for document in runtime.index.documents:
        if document.doc_id == doc_id:
            try:
                return clause_view(document.clause(clause_id))
            except KeyError:
                break
    raise HTTPException(404, f"no clause {clause_id!r} in document {doc_id!r}")


@router.get("/v1/units", response_model=list[UnitTasks])
def units(runtime: RuntimeDep) -> list[UnitTasks]:
    """Every unit with the clauses and tasks it leads or shares."""
    table: dict[str, UnitTasks] = {}
    for c in runtime.index.clauses:
        for unit in c.units:
            entry = table.setdefault(unit.name, UnitTasks(name=unit.name, leads=[], shares=[]))
            (entry.leads if unit.lead else entry.shares).append(f"{c.doc_id}:{c.clause_id}")
    return sorted(table.values(), key=lambda u: u.name)


@router.get("/v1/suggestions", response_model=Suggestions)
def suggestions(runtime: RuntimeDep) -> Suggestions:
    """Starter questions drawn from the corpus, each one the engine answers."""
    return Suggestions(questions=list(runtime.suggestions))
