"""The API documentation page, served from the installed package under a strict CSP.

FastAPI's default ``/docs`` loads Swagger UI from a public CDN at a floating version: it does not
work air-gapped and runs a third party's script. The same Swagger UI files ship, pinned, in the
``fastapi-offline`` wheel; they are served from here, and the page's only script besides them
is ``docs.js`` of this package — nothing inline.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from api.routes.widget import STATIC, page_policy

router = APIRouter(include_in_schema=False)

_ASSETS = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
           "swagger-ui.css": "text/css; charset=utf-8",
           "docs.js": "text/javascript; charset=utf-8"}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>policyqa API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css" nonce="{nonce}">
</head><body><div id="swagger-ui" data-openapi="/openapi.json"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/docs.js"></script>
</body></html>
"""


@cache
def _asset(name: str) -> tuple[bytes, str]:
    """An asset's bytes and strong ETag (read once)."""
    if name == "docs.js":
        body = (STATIC / "docs.js").read_bytes()
    else:
        body = files("fastapi_offline").joinpath("static", name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    """Swagger UI for the service's OpenAPI schema."""
    nonce = secrets.token_urlsafe(16)
    # Swagger UI shows its icons as data: images.
    policy = page_policy(nonce).replace("img-src 'self'", "img-src 'self' data:")
    return HTMLResponse(_PAGE.format(nonce=nonce),
                        headers={"Content-Security-Policy": policy, "Cache-Control": "no-store"})


@router.get("/docs/assets/{name}")
def asset(name: str, request: Request) -> Response:
    """Swagger UI's script and styles, and the page's start-up script."""
    if name not in _ASSETS:
        raise HTTPException(404, "Not Found")
    body, etag = _asset(name)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=3600",
               "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=_ASSETS[name], headers=headers)
