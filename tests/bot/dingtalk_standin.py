"""A local stand-in for DingTalk's enterprise robot, on 127.0.0.1: it delivers messages to the
robot's callback URL signed as DingTalk signs them, and serves the session webhooks the robot
replies through, with DingTalk's checks on what it is sent (an expired or unknown session, the
fields each message type requires, markdown length, button count, 20 messages a minute per
conversation), so a robot that breaks them fails here as it would in production.

Tests act as users (a message, an @ in a group, a button press) and read back every message the
robot sent. The signature is computed here on its own, not with the robot's code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import httpx
from markdown_it import MarkdownIt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

MARKDOWN_LIMIT = 5000
"""Characters of markdown text DingTalk accepts in one message."""
MAX_BUTTONS = 4
"""Buttons of an actionCard (the enterprise robot's ActionCard templates go up to four)."""
PER_MINUTE = 20
"""Messages a robot may send to one conversation in a minute."""
SESSION_MS = 90 * 60 * 1000
"""How long a session webhook stays valid (DingTalk: about an hour and a half)."""
ROBOT_NAME = "政策问答"


@dataclass(frozen=True)
class Sent:
    """A message the robot sent to a conversation through a session webhook."""

    conversation_id: str
    body: dict[str, Any]

    @property
    def msgtype(self) -> str:
        return str(self.body["msgtype"])

    @property
    def text(self) -> str:
        """The markdown (or text) the message shows."""
        kind = self.msgtype
        if kind == "text":
            return str(self.body["text"]["content"])
        return str(self.body[kind]["text"])

    @property
    def visible(self) -> str:
        """What a user reads: the markdown rendered, one line per paragraph, quote or item."""
        return self.text if self.msgtype == "text" else visible(self.text)

    @property
    def title(self) -> str:
        return str(self.body[self.msgtype].get("title", ""))

    @property
    def buttons(self) -> dict[str, str]:
        """Button titles and their action URLs (an actionCard's)."""
        if self.msgtype != "actionCard":
            return {}
        card = self.body["actionCard"]
        if "btns" in card:
            return {b["title"]: b["actionURL"] for b in card["btns"]}
        return {card["singleTitle"]: card["singleURL"]}


@dataclass
class _Session:
    conversation_id: str
    conversation_type: str
    expires_ms: int


@dataclass
class DingTalkStandIn:
    """DingTalk as the robot sees it. ``base`` (the webhook server) and ``callback_url`` (the robot) are set once both run."""

    app_key: str
    app_secret: str
    callback_url: str = ""
    base: str = ""
    sent: list[Sent] = field(default_factory=list)
    refused: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _sessions: dict[str, _Session] = field(default_factory=dict)
    _recent: dict[str, list[float]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- what a user does ---------------------------------------------------------------

    def message(self, text: str, *, user: str = "user1", group: str | None = None,
                at_robot: bool | None = None, msg_id: str | None = None,
                session_ms: int = SESSION_MS, timestamp_ms: int | None = None,
                sign: str | None = None) -> tuple[httpx.Response, dict[str, Any]]:
        """A user's text message, POSTed to the robot's callback as DingTalk would.

        In a group, ``at_robot`` (default: whether the text @-mentions the robot) is what
        DingTalk puts in isInAtList. Returns the robot's HTTP response and the body sent.
        """
        body = self.callback_body(text, user=user, group=group, at_robot=at_robot,
                                  msg_id=msg_id, session_ms=session_ms)
        return self.deliver(body, timestamp_ms=timestamp_ms, sign=sign), body

    def callback_body(self, text: str, *, user: str = "user1", group: str | None = None,
                      at_robot: bool | None = None, msg_id: str | None = None,
                      session_ms: int = SESSION_MS) -> dict[str, Any]:
        """The JSON DingTalk POSTs for a text message (with a fresh session webhook)."""
        now = int(time.time() * 1000)
        conversation = f"cid-group-{group}" if group else f"cid-private-{user}"
        kind = "2" if group else "1"
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._sessions[token] = _Session(conversation, kind, now + session_ms)
        at = (f"@{ROBOT_NAME}" in text) if at_robot is None else at_robot
        body: dict[str, Any] = {
            "conversationId": conversation, "chatbotCorpId": "ding-corp",
            "chatbotUserId": "$:LWCP_v1:$robot", "msgId": msg_id or f"msg{next(self._ids)}",
            "senderNick": "市民", "isAdmin": False, "senderStaffId": f"staff-{user}",
            "sessionWebhookExpiredTime": now + session_ms, "createAt": now,
            "senderCorpId": "ding-corp", "conversationType": kind,
            "senderId": f"$:LWCP_v1:${user}", "isInAtList": at if group else True,
            "sessionWebhook": f"{self.base}/robot/sendBySession?session={token}",
            "text": {"content": text}, "robotCode": self.app_key, "msgtype": "text"}
        if group:
            body["conversationTitle"] = "测试群"
            if at:
                body["atUsers"] = [{"dingtalkId": "$:LWCP_v1:$robot"}]
        return body

    def deliver(self, body: dict[str, Any], *, timestamp_ms: int | None = None,
                sign: str | None = None) -> httpx.Response:
        """POST a callback body to the robot, signed (unless ``sign`` is given)."""
        timestamp = str(int(time.time() * 1000) if timestamp_ms is None else timestamp_ms)
        headers = {"timestamp": timestamp,
                   "sign": sign if sign is not None else sign_of(timestamp, self.app_secret)}
        return httpx.post(self.callback_url, json=body, headers=headers, timeout=30)

    def press(self, message: Sent, title: str, *, user: str = "user1"
              ) -> tuple[httpx.Response, dict[str, Any]]:
        """Press a button: a ``dtmd://dingtalkclient/sendMessage`` link makes the user's client
        send its text to the same conversation (in a group, a plain message: no @)."""
        url = message.buttons[title]
        parts = urllib.parse.urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == (
            "dtmd", "dingtalkclient", "/sendMessage"), url
        (content,) = urllib.parse.parse_qs(parts.query)["content"]
        group = message.conversation_id.removeprefix("cid-group-") \
            if message.conversation_id.startswith("cid-group-") else None
        return self.message(content, user=user, group=group, at_robot=False if group else None)

    # -- what tests read ----------------------------------------------------------------

    def sent_to(self, conversation_id: str) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.conversation_id == conversation_id]

    def wait_sent(self, conversation_id: str, count: int, timeout: float = 30) -> list[Sent]:
        """Wait until ``count`` messages have been sent to the conversation in all."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent_to(conversation_id)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} messages to {conversation_id}, "
                             f"got {self.sent_to(conversation_id)}; refused: {self.refused}")

    # -- the session webhook ------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/robot/sendBySession", self._send, methods=["POST"])])

    async def _send(self, request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            return self._refuse(300005, "invalid json", {})
        if not isinstance(body, dict):
            return self._refuse(300005, "invalid json", {})
        now = time.time()
        with self._lock:
            session = self._sessions.get(request.query_params.get("session", ""))
        if session is None:
            return self._refuse(300001, "session not found", body)
        if now * 1000 >= session.expires_ms:
            return self._refuse(300002, "session expired", body)
        problem = _problem(body)
        if problem is not None:
            return self._refuse(40035, problem, body)
        with self._lock:
            recent = [t for t in self._recent.get(session.conversation_id, []) if t > now - 60]
            if len(recent) >= PER_MINUTE:
                return self._refuse(130101, "send too fast, exceed 20 times per minute", body)
            self._recent[session.conversation_id] = [*recent, now]
            self.sent.append(Sent(session.conversation_id, body))
        return JSONResponse({"errcode": 0, "errmsg": "ok"})

    def _refuse(self, code: int, message: str, body: dict[str, Any]) -> JSONResponse:
        with self._lock:
            self.refused.append((message, body))
        return JSONResponse({"errcode": code, "errmsg": message})


def sign_of(timestamp: str, secret: str) -> str:
    """DingTalk's callback signature, as its documentation gives it."""
    mac = hmac.HMAC(key=secret.encode("utf-8"), digestmod=hashlib.sha256)
    mac.update(timestamp.encode("utf-8"))
    mac.update(b"\n")
    mac.update(secret.encode("utf-8"))
    return base64.standard_b64encode(mac.digest()).decode("utf-8")


class _Text(HTMLParser):
    """The text of rendered markdown, with a line break after each block."""

    _BLOCKS = frozenset({"p", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(markdown: str) -> str:
    """``markdown`` as DingTalk shows it, modelled by CommonMark (raw HTML is rendered, so a
    tag that was not escaped disappears from the text): paragraphs on lines of their own."""
    parser = _Text()
    parser.feed(_MARKDOWN.render(markdown))
    parser.close()
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parser.parts))
    return re.sub(r"\n{2,}", "\n", text).strip()


_MARKDOWN = MarkdownIt("commonmark")


def _problem(body: dict[str, Any]) -> str | None:
    """What DingTalk would refuse in a message, or None."""
    kind = body.get("msgtype")
    content = body.get(kind) if isinstance(kind, str) else None
    if kind not in ("text", "markdown", "actionCard") or not isinstance(content, dict):
        return f"unsupported msgtype {kind!r}"
    if kind == "text":
        return None if _filled(content.get("content")) else "text.content is required"
    for key in ("title", "text"):
        if not _filled(content.get(key)):
            return f"{kind}.{key} is required"
    if len(content["text"]) > MARKDOWN_LIMIT:
        return f"{kind}.text is longer than {MARKDOWN_LIMIT} characters"
    if kind == "markdown":
        return None
    if "btns" in content:
        buttons = content["btns"]
        if not isinstance(buttons, list) or not buttons:
            return "actionCard.btns must hold at least one button"
        if len(buttons) > MAX_BUTTONS:
            return f"actionCard.btns holds more than {MAX_BUTTONS} buttons"
        for button in buttons:
            if not isinstance(button, dict) or not _filled(button.get("title")) \
                    or not _filled(button.get("actionURL")):
                return "each button needs title and actionURL"
        return None
    if _filled(content.get("singleTitle")) and _filled(content.get("singleURL")):
        return None
    return "actionCard needs btns, or singleTitle and singleURL"


def _filled(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
