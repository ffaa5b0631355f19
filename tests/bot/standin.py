"""A local stand-in for the Telegram Bot API: HTTP on 127.0.0.1, the Bot API's JSON, the methods
the bot calls, and Telegram's own checks on what it is sent (message length, callback data size,
HTML entities), so a bot that breaks them fails here as it would in production.

Tests push updates (as a user would cause them) and read back every request the bot made.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "政策问答",
            "username": "policyqa_test_bot", "can_join_groups": True,
            "can_read_all_group_messages": False, "supports_inline_queries": False}
# Parameters Telegram takes as plain strings; every other form value is JSON.
_STRINGS = {"text", "callback_query_id", "parse_mode", "url", "secret_token", "caption",
            "description", "short_description", "name", "language_code"}
_ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre",
                 "a", "blockquote", "tg-spoiler", "span", "tg-emoji"}


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]


class _Entities(HTMLParser):
    """Telegram's HTML parse mode: only its tags, properly nested; entities must be valid."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.error = f"Unsupported start tag \"{tag}\""
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.error = f"Unmatched end tag \"{tag}\""

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            self.error = f"Unsupported entity \"&{name};\""


def html_error(text: str) -> str | None:
    """Why Telegram would refuse ``text`` in HTML parse mode, or None."""
    parser = _Entities()
    parser.feed(text)
    parser.close()
    if parser.error:
        return parser.error
    if parser.stack:
        return f"Can't find end tag corresponding to start tag \"{parser.stack[-1]}\""
    return None


@dataclass
class TelegramStandIn:
    """State of the fake Telegram: queued updates, sent messages, every call."""

    token: str
    calls: list[Call] = field(default_factory=list)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- what a user does ---------------------------------------------------------------

    def message(self, text: str, *, chat_id: int = 42, chat_type: str = "private",
                user_id: int = 42, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        """Queue a text message from a user; returns the message as Telegram sends it."""
        chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "测试群"
        else:
            chat["first_name"] = "市民"
        message: dict[str, Any] = {
            "message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "市民"}, "text": text}
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self._chats[chat_id] = chat
        self._push({"message": message})
        return message

    def press(self, message: dict[str, Any], data: str, user_id: int = 42) -> None:
        """Queue a button press under a message the bot sent."""
        self._push({"callback_query": {
            "id": str(next(self._ids)), "chat_instance": "ci",
            "from": {"id": user_id, "is_bot": False, "first_name": "市民"},
            "message": message, "data": data}})

    def _push(self, update: dict[str, Any]) -> None:
        with self._lock:
            self._updates.append({"update_id": next(self._ids), **update})

    # -- what tests read ----------------------------------------------------------------

    def sent(self, method: str = "sendMessage") -> list[Call]:
        """Calls of ``method`` so far."""
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_sent(self, count: int, method: str = "sendMessage", timeout: float = 20) -> list[Call]:
        """Wait until ``count`` calls of ``method`` have been made in all; returns them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = self.sent(method)
            if len(calls) >= count:
                return calls
            time.sleep(0.02)
        raise AssertionError(f"expected {count} {method} calls, got {self.sent(method)}")

    # -- the Bot API --------------------------------------------------------------------

    def app(self) -> Starlette:
        """The HTTP application: ``/bot<token>/<method>``."""
        return Starlette(routes=[Route("/bot{token}/{method}", self._endpoint,
                                       methods=["GET", "POST"])])

    async def _endpoint(self, request: Request) -> JSONResponse:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params = await _params(request)
        with self._lock:
            self.calls.append(Call(method, params))
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _error(404, "Not Found")
        result = handler(params)
        if isinstance(result, JSONResponse):
            return result
        if method.lower() == "getupdates" and not result:
            # Long polling: hold the request a little while for new updates.
            for _ in range(int(min(float(params.get("timeout", 0) or 0), 1.0) / 0.02)):
                await asyncio.sleep(0.02)
                result = handler(params)
                if result:
                    break
        return JSONResponse({"ok": True, "result": result})

    def _m_getme(self, params: dict[str, Any]) -> Any:
        return BOT_USER

    def _m_getupdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        with self._lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            return list(self._updates)

    def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        return True

    def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        return True

    def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        return True

    def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        return True

    def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        refused = _check_message(params)
        if refused is not None:
            return refused
        chat_id = int(params["chat_id"])
        chat = self._chats.get(chat_id, {"id": chat_id, "type": "private"})
        message = {"message_id": next(self._message_ids), "date": int(time.time()),
                   "chat": chat, "from": BOT_USER, "text": params["text"]}
        if "reply_markup" in params:
            message["reply_markup"] = params["reply_markup"]
        return message

    def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        refused = _check_message(params)
        if refused is not None:
            return refused
        chat_id = int(params.get("chat_id", 0))
        return {"message_id": int(params.get("message_id", 0)), "date": int(time.time()),
                "chat": self._chats.get(chat_id, {"id": chat_id, "type": "private"}),
                "from": BOT_USER, "text": params["text"]}


def _check_message(params: dict[str, Any]) -> JSONResponse | None:
    text = str(params.get("text", ""))
    if not text.strip():
        return _error(400, "Bad Request: message text is empty")
    if len(text.encode("utf-16-le")) // 2 > 4096:
        return _error(400, "Bad Request: message is too long")
    if params.get("parse_mode") == "HTML":
        problem = html_error(text)
        if problem:
            return _error(400, f"Bad Request: can't parse entities: {problem}")
    for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if len(str(button.get("callback_data", "")).encode("utf-8")) > 64:
                return _error(400, "Bad Request: BUTTON_DATA_INVALID")
    return None


def _entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram would attach: bot commands at the start, @mentions anywhere."""
    found: list[dict[str, Any]] = []
    utf16 = [len(ch.encode("utf-16-le")) // 2 for ch in text]
    i = 0
    while i < len(text):
        if text[i] in "/@" and (i == 0 or text[i - 1] in " \n"):
            j = i + 1
            while j < len(text) and (text[j].isascii() and (text[j].isalnum() or text[j] in "_@")):
                j += 1
            if j > i + 1 and (text[i] == "@" or i == 0):
                kind = "mention" if text[i] == "@" else "bot_command"
                found.append({"type": kind, "offset": sum(utf16[:i]),
                              "length": sum(utf16[i:j])})
            i = j
        else:
            i += 1
    return found


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return dict(json.loads(body)) if body else {}
    # The bot sends no files, so forms are url-encoded (multipart would need python-multipart).
    form = urllib.parse.parse_qsl((await request.body()).decode("utf-8"), keep_blank_values=True)
    params: dict[str, Any] = {}
    for key, text in form:
        try:
            params[key] = text if key in _STRINGS else json.loads(text)
        except ValueError:
            params[key] = text
    return params


def _error(code: int, description: str) -> JSONResponse:
    return JSONResponse({"ok": False, "error_code": code, "description": description},
                        status_code=code)
