"""Dependencies of the routes, as ``Annotated`` types that tests can override."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.exceptions import HTTPException

from contract.errors import IndexUnavailable
from engine.service import PolicyQA
from usage.log import NullLog, QuestionLog

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False,
                        description="The service's admin key (POLICYQA_ADMIN_API_KEY).")


def get_service(request: Request) -> PolicyQA:
    """The loaded service; 503 while it is still starting."""
    service: PolicyQA | None = getattr(request.app.state, "service", None)
    if service is None:
        raise IndexUnavailable("the service is still loading the model and index")
    return service


def require_admin(request: Request, given: Annotated[str | None, Security(_api_key)]) -> None:
    """401 without an X-API-Key header, 403 with a wrong one (compared in constant time)."""
    expected: str | None = getattr(request.app.state, "admin_key", None)
    if not given:
        raise HTTPException(401, "an X-API-Key header is required")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, "the API key is not valid")


def get_log(request: Request) -> QuestionLog:
    """The question log (one that keeps nothing when the app has none)."""
    log: QuestionLog | None = getattr(request.app.state, "log", None)
    return log if log is not None else NullLog()


ServiceDep = Annotated[PolicyQA, Depends(get_service)]
LogDep = Annotated[QuestionLog, Depends(get_log)]
AdminDep = Annotated[None, Depends(require_admin)]
