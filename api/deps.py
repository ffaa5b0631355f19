"""Dependencies of the routes, as ``Annotated`` types that tests can override."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader
from starlette.exceptions import HTTPException

from policyqa.errors import IndexUnavailable
from policyqa.runtime import Runtime

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False,
                        description="The service's admin key (POLICYQA_ADMIN_API_KEY).")


def get_runtime(request: Request) -> Runtime:
    """The loaded runtime; 503 while the service is still starting."""
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    if runtime is None:
        raise IndexUnavailable("the service is still loading the model and index")
    return runtime


def require_admin(request: Request, given: Annotated[str | None, Security(_api_key)]) -> None:
    """401 without an X-API-Key header, 403 with a wrong one (compared in constant time)."""
    expected: str | None = getattr(request.app.state, "admin_key", None)
    if not given:
        raise HTTPException(401, "an X-API-Key header is required")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, "the API key is not valid")


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
AdminDep = Annotated[None, Depends(require_admin)]
