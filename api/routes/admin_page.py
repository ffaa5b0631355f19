"""The admin page: the indexed documents with their metadata and status, upload with a preview
before activation, remove, change status. Server-rendered HTML and plain forms, no script.

The page is behind the admin key: a login form exchanges it for a session cookie (HttpOnly,
SameSite=Strict, signed with the key, expiring), and every form carries a token derived from
that session, so another site can neither read the page nor post its forms.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import logging
import secrets
import time
from typing import Annotated
from urllib.parse import quote

import anyio
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from api.routes.admin import Edit, edit_index
from api.staging import Staging
from contract.errors import InputError, NotFound, PolicyQAError
from corpus.document import STATUSES, Document, Status
from corpus.preview import DocumentPreview, preview
from corpus.reader import MAX_FILE_BYTES, SUFFIXES, read_bytes
from engine.service import PolicyQA

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
COOKIE = "policyqa_admin"
SESSION_SECONDS = 8 * 3600
_MESSAGES = {
    "added": "已启用：{doc}", "replaced": "已替换为新版本：{doc}", "removed": "已删除：{doc}",
    "unchanged": "内容未变，未重新建索引：{doc}", "duplicate": "与已收录文件内容相同，未重复收录：{doc}",
    "status": "已更新状态：{doc}", "discarded": "已放弃上传", "expired": "预览已过期，请重新上传",
}


def _key(request: Request) -> str:
    key: str | None = getattr(request.app.state, "admin_key", None)
    if not key:  # the page is mounted only with a key; this guards a mistake in assembly
        raise HTTPException(404)
    return key


def _sign(key: str, purpose: str, value: str) -> str:
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _session(request: Request) -> str | None:
    """The valid session cookie's value, or None."""
    cookie = request.cookies.get(COOKIE, "")
    expires, _, signature = cookie.partition(".")
    if not expires.isdigit() or int(expires) < time.time():
        return None
    expected = _sign(_key(request), "session", expires)
    return cookie if hmac.compare_digest(signature, expected) else None


def _csrf(request: Request, session: str) -> str:
    return _sign(_key(request), "form", session)[:32]


def require_form(request: Request, csrf: Annotated[str, Form()] = "") -> str:
    """A signed-in admin's form post, with this session's form token (403 otherwise)."""
    session = _session(request)
    if session is None:
        raise HTTPException(403, "the admin session has expired; sign in again at /admin")
    if not hmac.compare_digest(csrf, _csrf(request, session)):
        raise HTTPException(403, "the form is stale or from another site; reload /admin")
    return session


FormSession = Annotated[str, Depends(require_form)]


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    nonce = secrets.token_urlsafe(16)
    page = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{html.escape(title)} · policyqa 管理</title>
<style nonce="{nonce}">{_STYLE}</style></head>
<body><header><h1>policyqa 文件管理</h1></header><main>{body}</main></body></html>"""
    policy = (f"default-src 'none'; style-src 'nonce-{nonce}'; img-src data:; form-action 'self'; "
              "base-uri 'none'; frame-ancestors 'none'")
    return HTMLResponse(page, status_code=status, headers={
        "Content-Security-Policy": policy, "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"})


_STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0;
       color: #1f2328; background: #f6f7f9; line-height: 1.6; }
header { background: #1f4e79; color: #fff; padding: .8rem 1.5rem; }
header h1 { margin: 0; font-size: 1.25rem; }
main { max-width: 72rem; margin: 1.25rem auto; padding: 0 1rem 4rem; }
section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: .5rem 1.25rem 1rem;
          margin-bottom: 1.25rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid #e5e7eb; padding: .4rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
.message { background: #e8f5e9; border: 1px solid #a5d6a7; padding: .6rem 1rem; border-radius: 4px; }
.error { background: #fdecea; border: 1px solid #f5c2c0; padding: .6rem 1rem; border-radius: 4px; }
.status-废止 { color: #b42318; font-weight: bold; }
.status-已修订 { color: #b54708; }
form.inline { display: inline; }
button { cursor: pointer; }
dl { display: grid; grid-template-columns: 9rem 1fr; gap: .2rem 1rem; }
dt { color: #57606a; }
"""


def _csrf_field(request: Request, session: str) -> str:
    return f'<input type="hidden" name="csrf" value="{_csrf(request, session)}">'


def _login(error: str = "", status: int = 200) -> HTMLResponse:
    notice = f'<p class="error" role="alert">{html.escape(error)}</p>' if error else ""
    return _page("登录", f"""<section><h2>登录</h2>{notice}
<form method="post" action="/admin/login">
<label>管理密钥（POLICYQA_ADMIN_API_KEY）<br>
<input type="password" name="key" autocomplete="current-password" required></label>
<button type="submit">登录</button></form></section>""", status)


def _service(request: Request) -> PolicyQA | None:
    return getattr(request.app.state, "service", None)


@router.get("/admin", response_class=HTMLResponse)
def admin_home(request: Request, msg: str = "", doc: str = "") -> Response:
    """The document list and the upload form (the login form without a session)."""
    session = _session(request)
    if session is None:
        return _login()
    service = _service(request)
    documents = service.documents if service else ()
    field = _csrf_field(request, session)
    message = _MESSAGES.get(msg, "").format(doc=doc)
    rows = "".join(_document_row(d, field) for d in documents)
    accept = ",".join(SUFFIXES)
    body = (f'<p class="message" role="status">{html.escape(message)}</p>' if message else "") + f"""
<section><h2>上传政策文件</h2>
<p>支持 {html.escape("、".join(SUFFIXES))}，不超过 {MAX_FILE_BYTES // (1024 * 1024)} MB。
上传后先预览解析结果，确认后再启用。</p>
<form method="post" action="/admin/upload" enctype="multipart/form-data">{field}
<input type="file" name="file" accept="{accept}" required aria-label="政策文件">
<button type="submit">上传并预览</button></form></section>
<section><h2>已收录文件（{len(documents)}）</h2>
<table><thead><tr><th>编号</th><th>标题</th><th>文号</th><th>发文机关</th><th>层级 / 地区</th>
<th>发布</th><th>条款</th><th>状态</th><th>操作</th></tr></thead><tbody>{rows}</tbody></table>
</section>
<form method="post" action="/admin/logout">{field}<button type="submit">退出登录</button></form>"""
    return _page("文件", body)


_LEVELS = {"national": "国家", "provincial": "省级", "municipal": "市级"}


def _document_row(document: Document, field: str) -> str:
    doc_id = html.escape(document.doc_id)
    path = quote(document.doc_id, safe="")
    options = "".join(f'<option value="{s}"{" selected" if s == document.status else ""}>{s}'
                      "</option>" for s in STATUSES)
    level = " / ".join(x for x in (_LEVELS.get(document.level or "", ""), document.region or "")
                       if x) or "—"
    return f"""<tr data-doc="{doc_id}"><td><code>{doc_id}</code></td>
<td>{html.escape(document.title)}<br><small>{html.escape(document.source)}</small></td>
<td>{html.escape(document.number or "—")}</td><td>{html.escape(document.issuer or "—")}</td>
<td>{html.escape(level)}</td><td>{document.published or "—"}</td><td>{len(document.clauses)}</td>
<td class="status-{document.status}">{document.status}
<form class="inline" method="post" action="/admin/documents/{path}/status">{field}
<select name="status" aria-label="{doc_id} 的状态">{options}</select>
<button type="submit">更新</button></form></td>
<td><form class="inline" method="post" action="/admin/documents/{path}/remove">{field}
<button type="submit" aria-label="删除 {doc_id}">删除</button></form></td></tr>"""


@router.post("/admin/login")
def login(request: Request, key: Annotated[str, Form()] = "") -> Response:
    """Exchange the admin key for a session cookie."""
    if not hmac.compare_digest(key.encode(), _key(request).encode()):
        return _login("管理密钥不正确", 403)
    expires = str(int(time.time()) + SESSION_SECONDS)
    response = RedirectResponse("/admin", status_code=303)
    response.set_cookie(COOKIE, f"{expires}.{_sign(_key(request), 'session', expires)}",
                        max_age=SESSION_SECONDS, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/admin")
    return response


@router.post("/admin/logout")
def logout(_: FormSession) -> Response:
    """End the session."""
    response = RedirectResponse("/admin", status_code=303)
    response.delete_cookie(COOKIE, path="/admin")
    return response


@router.post("/admin/upload")
async def upload(request: Request, session: FormSession,
                 file: Annotated[UploadFile, File()]) -> Response:
    """Parse an uploaded file and show how it parsed; nothing is indexed yet."""
    name = (file.filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "upload"
    data = await file.read(MAX_FILE_BYTES + 1)
    try:
        documents = tuple(await anyio.to_thread.run_sync(read_bytes, data, name))
    except InputError as exc:
        return _page("上传失败", f'<section><h2>上传失败</h2><p class="error" role="alert">'
                                  f'{html.escape(str(exc))}</p><p><a href="/admin">返回</a></p>'
                                  "</section>", 400)
    staging: Staging = request.app.state.staging
    staged = staging.put(name, documents)
    return RedirectResponse(f"/admin/uploads/{staged.token}", status_code=303)


@router.get("/admin/uploads/{token}", response_class=HTMLResponse)
def upload_preview(request: Request, token: str) -> Response:
    """How the staged upload parsed, with activate and discard."""
    session = _session(request)
    if session is None:
        return _login()
    staging: Staging = request.app.state.staging
    staged = staging.get(token)
    if staged is None:
        return RedirectResponse("/admin?msg=expired", status_code=303)
    service = _service(request)
    known = {d.doc_id for d in service.documents} if service else set()
    field = _csrf_field(request, session)
    parts = "".join(_preview_section(preview(d), d.doc_id in known) for d in staged.documents)
    body = f"""<section><h2>预览：{html.escape(staged.filename)}</h2>
<p>以下是解析结果。确认无误后启用，问答即可引用；放弃则不做任何改动。</p></section>{parts}
<section><form class="inline" method="post" action="/admin/uploads/{token}/activate">{field}
<button type="submit">启用</button></form>
<form class="inline" method="post" action="/admin/uploads/{token}/discard">{field}
<button type="submit">放弃</button></form></section>"""
    return _page("预览", body)


def _preview_section(figures: DocumentPreview, replaces: bool) -> str:
    facts = [("编号", figures.doc_id), ("标题", figures.title), ("文号", figures.number or "—"),
             ("发文机关", figures.issuer or "—"), ("发布日期", str(figures.published or "—")),
             ("成文日期", str(figures.signed or "—")),
             ("层级 / 地区", " / ".join(x for x in (_LEVELS.get(figures.level or "", ""),
                                                 figures.region or "") if x) or "—"),
             ("条款", str(figures.clauses)), ("正文条款", str(figures.sections)),
             ("任务分工表行", f"{figures.task_rows}（关联正文 {figures.rows_linked}）"),
             ("时限", str(figures.deadlines)),
             ("责任单位", "、".join(figures.units) or "—"),
             ("前几条", "；".join(figures.first_clauses) or "—")]
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
    note = '<p class="error">已有同编号文件，启用后将替换它。</p>' if replaces else ""
    return f'<section class="preview"><h3>{html.escape(figures.title)}</h3>{note}<dl>{items}</dl></section>'


@router.post("/admin/uploads/{token}/activate")
async def activate(request: Request, token: str, _: FormSession) -> Response:
    """Add the staged documents to the index and serve it."""
    staging: Staging = request.app.state.staging
    staged = staging.pop(token)
    if staged is None:
        return RedirectResponse("/admin?msg=expired", status_code=303)
    outcome = await _change(request, lambda editor, current: editor.add(current, staged.documents))
    if isinstance(outcome, Response):
        staging.restore(staged)  # the preview and its activate button work again
        return outcome
    added = ", ".join(d.doc_id for d in staged.documents)
    return RedirectResponse(f"/admin?msg={quote(outcome)}&doc={quote(added)}", status_code=303)


@router.post("/admin/uploads/{token}/discard")
def discard(request: Request, token: str, _: FormSession) -> Response:
    """Drop a staged upload."""
    staging: Staging = request.app.state.staging
    staging.pop(token)
    return RedirectResponse("/admin?msg=discarded", status_code=303)


@router.post("/admin/documents/{doc_id}/remove")
async def remove(request: Request, doc_id: str, _: FormSession) -> Response:
    """Remove a document from the index."""
    outcome = await _change(request, lambda editor, current: editor.remove(current, doc_id))
    if isinstance(outcome, Response):
        return outcome
    return RedirectResponse(f"/admin?msg=removed&doc={quote(doc_id)}", status_code=303)


@router.post("/admin/documents/{doc_id}/status")
async def status(request: Request, doc_id: str, _: FormSession,
                 new_status: Annotated[str, Form(alias="status")] = "") -> Response:
    """Set a document's status (现行 / 废止 / 已修订)."""
    if new_status not in STATUSES:
        return _error(f"unknown status {new_status!r}: use one of {', '.join(STATUSES)}", 400)
    chosen: Status = new_status
    outcome = await _change(
        request, lambda editor, current: editor.set_status(current, doc_id, chosen))
    if isinstance(outcome, Response):
        return outcome
    return RedirectResponse(f"/admin?msg=status&doc={quote(doc_id)}", status_code=303)


async def _change(request: Request, edit: Edit) -> str | Response:
    """Run one change of the index (the admin API's lock and swap); the outcome word for the
    list page's message, or an error page when nothing changed."""
    try:
        result = await edit_index(request, edit)
    except HTTPException as exc:
        return _error(str(exc.detail), exc.status_code)
    except PolicyQAError as exc:
        return _error(str(exc), 404 if isinstance(exc, NotFound) else 400)
    if result.status == "unchanged":
        return "unchanged"
    return result.changes[0].action if result.changes else "unchanged"


def _error(message: str, status: int) -> HTMLResponse:
    return _page("出错了", f'<section><h2>出错了</h2><p class="error" role="alert">'
                          f'{html.escape(message)}</p><p><a href="/admin">返回</a></p></section>',
                 status)
