"""The usage report behind the admin key: ``GET /v1/admin/reports`` (the HTML page) and
``GET /v1/admin/reports/{name}.csv`` (one table: topics, daily, disliked, unanswered); and
``GET /v1/admin/log.{jsonl,csv}``, the whole log (every answer with its ratings) for an admin.

The question log's engine is ``app.state.database`` (set by whoever assembles the app with a
log, e.g. a :class:`~usage.writer.DatabaseLog`'s ``engine``); without it the routes answer 503.
The unanswered questions are grouped with the served index's own encoder and the clause labels
come from the served index. Each request reads the log afresh (``?days=``, default 30: the last
N calendar days of ``app.state.report_timezone``, today included, cut at local midnight).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy import Engine
from starlette.exceptions import HTTPException

from api.deps import AdminDep, ServiceDep
from engine.service import PolicyQA
from usage.clusters import query_embedding
from usage.export import export
from usage.page import render_page
from usage.report import Label, Period, Report, build_report
from usage.tables import CSV_BOM, NAMES, tables, to_csv

router = APIRouter(include_in_schema=False)
Days = Annotated[int, Query(ge=1, le=3660,
                            description="The last N local days, today included, up to now.")]


def _database(request: Request) -> Engine:
    engine: Engine | None = getattr(request.app.state, "database", None)
    if engine is None:
        raise HTTPException(503, "the question log is not enabled (POLICYQA_LOG_QUESTIONS)")
    return engine


def _labels(service: PolicyQA) -> Label:
    def label(doc_id: str, clause_id: str) -> str | None:
        clause = service.find_clause(clause_id, doc_id)
        return clause.label if clause is not None else None
    return label


def _report(request: Request, service: PolicyQA, days: int, grouped: bool) -> Report:
    zone: ZoneInfo = getattr(request.app.state, "report_timezone", None) or ZoneInfo("UTC")
    return build_report(_database(request), Period.last_days(days, zone),
                        embed=query_embedding(service.encoder) if grouped else None,
                        label=_labels(service))


@router.get("/v1/admin/reports", response_class=HTMLResponse)
def report_page(request: Request, _: AdminDep, service: ServiceDep, days: Days = 30) -> Response:
    """The report page: charts and tables, with a CSV link per table."""
    report = _report(request, service, days, grouped=True)
    nonce = secrets.token_urlsafe(16)
    page = render_page(report, nonce=nonce,
                       csv_href=lambda name: f"/v1/admin/reports/{name}.csv?days={days}")
    policy = (f"default-src 'none'; style-src 'nonce-{nonce}'; img-src data:; "
              "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
    return HTMLResponse(page, headers={
        "Content-Security-Policy": policy, "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"})


@router.get("/v1/admin/reports/{name}.csv")
def report_csv(request: Request, name: str, _: AdminDep, service: ServiceDep,
               days: Days = 30) -> Response:
    """One table of the report as CSV (UTF-8 with a BOM, for spreadsheets)."""
    if name not in NAMES:
        raise HTTPException(404, f"no report table {name!r}; there are {', '.join(NAMES)}")
    report = _report(request, service, days, grouped=name == "unanswered")
    body = CSV_BOM + to_csv(tables(report)[name])
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}.csv",
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@router.get("/v1/admin/log.{fmt}")
def log_export(request: Request, fmt: str, _: AdminDep) -> Response:
    """The whole question log: JSON lines (an answer a line, its ratings inside) or CSV (a row
    per rating). Written to a temporary file first, then sent in chunks."""
    if fmt not in ("jsonl", "csv"):
        raise HTTPException(404, "the log is exported as log.jsonl or log.csv")
    spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed by the stream)
    try:
        export(_database(request), spool, "jsonl" if fmt == "jsonl" else "csv")
        spool.seek(0)
    except BaseException:
        spool.close()
        raise

    def chunks() -> Iterator[bytes]:
        with spool:
            while block := spool.read(65_536):
                yield block.encode("utf-8")

    media = "application/jsonl; charset=utf-8" if fmt == "jsonl" else "text/csv; charset=utf-8"
    return StreamingResponse(chunks(), media_type=media, headers={
        "Content-Disposition": f"attachment; filename=policyqa-log.{fmt}",
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
