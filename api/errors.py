"""The project's exceptions and FastAPI's, translated into problem details (RFC 9457)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from api.schemas import Problem
from contract.errors import IndexUnavailable, InputError, NotFound, PolicyQAError

PROBLEM = "application/problem+json"
TITLES = {400: "Malformed request", 404: "Not Found", 405: "Method Not Allowed",
          413: "Request body too large"}
"""Problem titles for statuses that Starlette and FastAPI raise with terse details."""


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None
            ) -> JSONResponse:
    """A problem-details (RFC 9457) response."""
    body = Problem(title=title, status=status, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def problem_responses(*codes: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for problem-details responses."""
    schema = Problem.model_json_schema()
    return {code: {"description": title, "content": {PROBLEM: {"schema": schema}}}
            for code, title in codes}


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}"
                        for e in exc.errors())
    return problem(422, "Invalid request", details)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    # The exception's headers stay: Allow on a 405 (RFC 9110), WWW-Authenticate and the like.
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed(request)
    return problem(exc.status_code, TITLES.get(exc.status_code, str(exc.detail)), str(exc.detail),
                   headers=headers)


_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def _allowed(request: Request) -> str:
    """Every method of the path, also when routers declare them on separate routes (Starlette
    names only the first route's)."""
    return ", ".join(m for m in _METHODS if any(
        route.matches({**request.scope, "method": m})[0] == Match.FULL
        for route in request.app.routes))


async def _known_error(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, IndexUnavailable):
        return problem(503, "Index unavailable", str(exc))
    if isinstance(exc, NotFound):
        return problem(404, "Not found", str(exc))
    if isinstance(exc, InputError):
        return problem(422, "Invalid request", str(exc))
    return problem(500, "Internal error", "the request could not be served")


def install(app: FastAPI) -> None:
    """Register the handlers (an unexpected exception is the guard middleware's to answer)."""
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(PolicyQAError, _known_error)
