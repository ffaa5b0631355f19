"""The embeddable chat widget (`/widget.js`) and the demo page that embeds it (`/`).

The script is one static file with a strong ETag and a short max-age, so portals that embed it
revalidate cheaply. The demo page sends a strict Content-Security-Policy (no inline script, a
nonce for its own styles) to show that the widget needs nothing more than the service in
``script-src`` and ``connect-src``.
"""

from __future__ import annotations

import hashlib
import html
import secrets
from functools import cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from engine.service import PolicyQA

STATIC = Path(__file__).parent.parent / "static"
WIDGET_MAX_AGE = 3600

router = APIRouter()


@cache
def _asset(name: str) -> tuple[bytes, str]:
    """A static file's bytes and a strong ETag (read once, on first request)."""
    body = (STATIC / name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def page_policy(nonce: str) -> str:
    """The demo page's CSP: what a strict portal would send."""
    return ("default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self'; "
            f"style-src 'nonce-{nonce}'; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'")


@router.get("/widget.js", include_in_schema=False)
def widget(request: Request) -> Response:
    """The widget script, cacheable and revalidated by ETag."""
    body, etag = _asset("widget.js")
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={WIDGET_MAX_AGE}",
               "X-Content-Type-Options": "nosniff"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def demo(request: Request) -> HTMLResponse:
    """A portal-like page embedding the widget, with the snippet to copy."""
    state: PolicyQA | None = getattr(request.app.state, "service", None)
    documents = "".join(
        f"<li><code>{html.escape(d.doc_id)}</code> {html.escape(d.title)}"
        f"（{len(d.clauses)} 条）</li>" for d in (state.documents if state else ()))
    base = str(request.base_url).rstrip("/")
    snippet = f'<script src="{base}/widget.js" data-api="{base}" async></script>'
    nonce = secrets.token_urlsafe(16)
    page = _asset("demo.html")[0].decode("utf-8")
    for key, value in (("nonce", nonce), ("base", html.escape(base)),
                       ("snippet", html.escape(snippet)),
                       ("documents", documents or "<li>正在加载…</li>")):
        page = page.replace("{{" + key + "}}", value)
    return HTMLResponse(page, headers={"Content-Security-Policy": page_policy(nonce),
                                       "Cache-Control": "no-store"})


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    """No icon (browsers ask for one on every page; an empty answer keeps 404s out of the log)."""
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})
