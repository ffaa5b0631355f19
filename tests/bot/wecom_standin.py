"""A local stand-in for WeCom (企业微信), both sides of it, on 127.0.0.1.

The server side is WeCom's API as the channel calls it — ``/cgi-bin/gettoken`` and
``/cgi-bin/message/send`` (markdown and template cards) — with WeCom's own checks: the corp id
and secret, access tokens that expire, the agent id, required fields, the 4096-byte markdown
limit, the template card's button rules. It records every message it accepted.

The other side is WeCom calling the app's callback URL: URL verification and message callbacks,
signed and encrypted exactly as WeCom does. Its cipher is written here from WeCom's description
(AES-256-CBC over ``cryptography``, PKCS#7 to 32 bytes, 16 random bytes + network-order length
+ message + corp id) and shares no code with the app's (wechatpy), so a mistake on one side is
not hidden by the same mistake on the other.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
import secrets
import struct
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

MARKDOWN_LIMIT = 4096
KEY_LIMIT = 1024
TASK_ID = re.compile(r"^[A-Za-z0-9_\-@]{1,128}$")


# -- WeCom's cipher, written from its description -----------------------------------------


def new_aes_key() -> str:
    """A random EncodingAESKey: 43 characters, as WeCom's console makes them."""
    return base64.b64encode(os.urandom(32)).decode().rstrip("=")


def sign(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """``msg_signature``: sha1 over the four values sorted and concatenated."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


def encrypt(aes_key: str, plain: str, receive_id: str) -> str:
    """base64 of AES-256-CBC(16 random bytes + len + message + receive id), PKCS#7 to 32."""
    key = base64.b64decode(aes_key + "=")
    message = plain.encode()
    data = os.urandom(16) + struct.pack(">I", len(message)) + message + receive_id.encode()
    pad = 32 - len(data) % 32
    data += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def decrypt(aes_key: str, encrypted: str) -> tuple[str, str]:
    """The message and the receive id inside ``encrypted`` (padding checked)."""
    key = base64.b64decode(aes_key + "=")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    data = decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()
    pad = data[-1]
    if not 1 <= pad <= 32 or data[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad PKCS#7 padding")
    data = data[16:-pad]
    (length,) = struct.unpack(">I", data[:4])
    return data[4:4 + length].decode(), data[4 + length:].decode()


# -- WeCom's API ---------------------------------------------------------------------------


@dataclass
class Sent:
    """One message WeCom accepted from the app."""

    touser: str
    msgtype: str
    body: dict[str, Any]

    @property
    def content(self) -> str:
        """A markdown message's content."""
        return str(self.body["markdown"]["content"])


@dataclass
class WeComStandIn:
    """The fake WeCom: its corp, one app, issued tokens, accepted messages, refused calls."""

    corp_id: str
    secret: str
    agent_id: int
    token: str
    aes_key: str = field(default_factory=new_aes_key)
    expires_in: int = 7200
    sent: list[Sent] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)
    token_requests: int = 0
    _tokens: dict[str, float] = field(default_factory=dict)
    _task_ids: set[str] = field(default_factory=set)
    _msg_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(7_000_000))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        """The API: ``/cgi-bin/gettoken`` and ``/cgi-bin/message/send``."""
        return Starlette(routes=[Route("/cgi-bin/gettoken", self._gettoken, methods=["GET"]),
                                 Route("/cgi-bin/message/send", self._send, methods=["POST"])])

    def expire_tokens(self) -> None:
        """Every token issued so far expires now (as after 7200 s)."""
        with self._lock:
            self._tokens = dict.fromkeys(self._tokens, 0.0)

    def issued(self) -> list[str]:
        """Every access token issued so far."""
        with self._lock:
            return list(self._tokens)

    def messages(self, user: str | None = None) -> list[Sent]:
        """Messages accepted so far (to ``user``)."""
        with self._lock:
            return [s for s in self.sent if user is None or s.touser == user]

    def wait_messages(self, count: int, user: str | None = None, timeout: float = 20,
                      quiet: float = 0.4) -> list[Sent]:
        """Wait until ``count`` messages (to ``user``) were accepted and no more come for
        ``quiet`` seconds; returns them all."""
        deadline = time.monotonic() + timeout
        while len(self.messages(user)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} messages, got {self.messages(user)}")
            time.sleep(0.02)
        while True:
            seen = len(self.messages(user))
            time.sleep(quiet)
            if len(self.messages(user)) == seen:
                return self.messages(user)

    # -- endpoints ---------------------------------------------------------------------------

    async def _gettoken(self, request: Request) -> JSONResponse:
        corp_id = request.query_params.get("corpid")
        secret = request.query_params.get("corpsecret")
        with self._lock:
            self.token_requests += 1
        if not corp_id:
            return self._error(41002, "corpid missing")
        if not secret:
            return self._error(41004, "corpsecret missing")
        if corp_id != self.corp_id:
            return self._error(40013, "invalid corpid")
        if secret != self.secret:
            return self._error(40001, "invalid credential")
        value = secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[value] = time.monotonic() + self.expires_in
        return JSONResponse({"errcode": 0, "errmsg": "ok", "access_token": value,
                             "expires_in": self.expires_in})

    async def _send(self, request: Request) -> JSONResponse:
        value = request.query_params.get("access_token")
        if not value:
            return self._error(41001, "access_token missing")
        with self._lock:
            until = self._tokens.get(value)
        if until is None:
            return self._error(40014, "invalid access_token")
        if time.monotonic() >= until:
            return self._error(42001, "access_token expired")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return self._error(47001, "data format error")
        if not isinstance(body, dict):
            return self._error(47001, "data format error")
        refused = self._check(body)
        if refused is not None:
            return refused
        with self._lock:
            self.sent.append(Sent(body["touser"], body["msgtype"], body))
        return JSONResponse({"errcode": 0, "errmsg": "ok", "invaliduser": "",
                             "msgid": str(next(self._msg_ids))})

    def _check(self, body: dict[str, Any]) -> JSONResponse | None:
        if "agentid" not in body:
            return self._error(41011, "missing agentid")
        if body["agentid"] != self.agent_id:
            return self._error(40056, "invalid agentid")
        if not body.get("touser") and not body.get("toparty") and not body.get("totag"):
            return self._error(40031, "invalid userid list")
        msgtype = body.get("msgtype")
        if msgtype == "markdown":
            content = (body.get("markdown") or {}).get("content")
            if not isinstance(content, str) or not content.strip():
                return self._error(41016, "missing content")
            if len(content.encode("utf-8")) > MARKDOWN_LIMIT:
                return self._error(45002, "content size out of limit")
            return None
        if msgtype == "template_card":
            return self._check_card(body.get("template_card") or {})
        return self._error(40008, "invalid message type")

    def _check_card(self, card: dict[str, Any]) -> JSONResponse | None:
        if card.get("card_type") != "button_interaction":
            return self._error(40058, "invalid card_type")
        task_id = card.get("task_id")
        if not isinstance(task_id, str) or not TASK_ID.match(task_id):
            return self._error(40058, "invalid task_id")
        with self._lock:
            if task_id in self._task_ids:
                return self._error(40058, "task_id already used")
        if not (card.get("main_title") or {}).get("title"):
            return self._error(40058, "missing main_title.title")
        buttons = card.get("button_list")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 6:
            return self._error(40058, "button_list needs 1 to 6 buttons")
        for button in buttons:
            key = button.get("key")
            if not button.get("text") or not isinstance(key, str) or not key:
                return self._error(40058, "a button without text or key")
            if len(key.encode("utf-8")) > KEY_LIMIT:
                return self._error(40058, "button key over 1024 bytes")
        with self._lock:
            self._task_ids.add(task_id)
        return None

    def _error(self, errcode: int, errmsg: str) -> JSONResponse:
        with self._lock:
            self.errors.append(errcode)
        return JSONResponse({"errcode": errcode, "errmsg": f"{errmsg}, hint: [stand-in]"})


# -- WeCom calling the app -------------------------------------------------------------------


@dataclass
class Callbacks:
    """WeCom's side of the callback URL: signs and encrypts what a user does, posts it."""

    wecom: WeComStandIn
    url: str
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def query(self, encrypted: str, timestamp: int | None = None,
              token: str | None = None) -> dict[str, str]:
        """The signed query WeCom adds to a callback."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(5)
        return {"msg_signature": sign(token or self.wecom.token, stamp, nonce, encrypted),
                "timestamp": stamp, "nonce": nonce}

    def verify_url(self, echo: str = "echo-8472910", *, token: str | None = None
                   ) -> httpx.Response:
        """The URL verification WeCom does when the callback is saved in the console."""
        encrypted = encrypt(self.wecom.aes_key, echo, self.wecom.corp_id)
        return httpx.get(self.url, params={**self.query(encrypted, token=token),
                                           "echostr": encrypted}, timeout=10)

    def message(self, user: str, fields: dict[str, str]) -> str:
        """The XML of a callback message from ``user``."""
        root = ET.Element("xml")
        for name, value in (("ToUserName", self.wecom.corp_id), ("FromUserName", user),
                            ("CreateTime", str(int(time.time()))), *fields.items(),
                            ("AgentID", str(self.wecom.agent_id))):
            ET.SubElement(root, name).text = value
        return ET.tostring(root, encoding="unicode")

    def text(self, user: str, content: str, msg_id: str | None = None) -> tuple[str, str]:
        """A text message as WeCom encodes it, and its MsgId."""
        msg_id = msg_id or str(next(self._ids) + 10**18)
        return self.message(user, {"MsgType": "text", "Content": content,
                                   "MsgId": msg_id}), msg_id

    def post(self, plain: str, *, timestamp: int | None = None, token: str | None = None,
             corp_id: str | None = None) -> httpx.Response:
        """Encrypt and sign ``plain`` as WeCom does and post it to the callback URL."""
        encrypted = encrypt(self.wecom.aes_key, plain, corp_id or self.wecom.corp_id)
        body = (f"<xml><ToUserName><![CDATA[{self.wecom.corp_id}]]></ToUserName>"
                f"<AgentID><![CDATA[{self.wecom.agent_id}]]></AgentID>"
                f"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>")
        return httpx.post(self.url, params=self.query(encrypted, timestamp, token),
                          content=body.encode(), timeout=10,
                          headers={"content-type": "text/xml"})

    def click(self, user: str, key: str, task_id: str) -> httpx.Response:
        """A user presses a button on a template card: WeCom sends its key back."""
        return self.post(self.message(user, {
            "MsgType": "event", "Event": "template_card_event", "EventKey": key,
            "TaskId": task_id, "CardType": "button_interaction",
            "ResponseCode": secrets.token_hex(16)}))

    def ask(self, user: str, question: str) -> httpx.Response:
        """A user sends ``question`` as a text message."""
        return self.post(self.text(user, question)[0])

    def open_reply(self, response: httpx.Response) -> ET.Element:
        """The message inside a passive reply, its signature checked as WeCom checks it."""
        root = ET.fromstring(response.text)
        encrypted = root.findtext("Encrypt") or ""
        expected = sign(self.wecom.token, root.findtext("TimeStamp") or "",
                        root.findtext("Nonce") or "", encrypted)
        if root.findtext("MsgSignature") != expected:
            raise AssertionError("the passive reply's signature does not match")
        plain, receive_id = decrypt(self.wecom.aes_key, encrypted)
        if receive_id != self.wecom.corp_id:
            raise AssertionError(f"the passive reply is for {receive_id!r}")
        return ET.fromstring(plain)
