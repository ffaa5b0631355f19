"""WeCom's server API as the channel uses it: an access token, cached and refreshed before it
expires, and ``message/send`` (markdown, template cards).

The base URL is a setting: 政务微信 and private deployments serve the same API from their own
hosts. The corp secret travels only in the ``gettoken`` query and the access token only in
``message/send``'s; neither is ever part of an error message or a log line here, and every new
access token is handed to ``on_token`` (the entry point masks it in its logs).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from contract.errors import ConfigurationError

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://qyapi.weixin.qq.com"
MARKDOWN_LIMIT = 4096
"""Bytes (UTF-8) of a markdown message's content."""
TOKEN_MARGIN = 300.0
"""Seconds before its announced expiry that a token is replaced."""
STALE_TOKEN = frozenset({40014, 42001})
"""errcodes of an invalid or expired access token: fetch a new one and try once more."""
_CREDENTIALS = {40001: "POLICYQA_WECOM_SECRET", 40013: "POLICYQA_WECOM_CORP_ID",
                40091: "POLICYQA_WECOM_SECRET", 40056: "POLICYQA_WECOM_AGENT_ID"}


class WeComError(ConfigurationError):
    """WeCom's API refused a request (``errcode``), or could not be reached (``errcode`` None)."""

    def __init__(self, message: str, errcode: int | None = None) -> None:
        super().__init__(message)
        self.errcode = errcode


@dataclass(frozen=True)
class Credentials:
    """What identifies the app to WeCom's API."""

    corp_id: str
    agent_id: int
    secret: str = field(repr=False)
    api_base: str = DEFAULT_API_BASE


@dataclass(frozen=True)
class AccessToken:
    """An access token and the monotonic time after which it is no longer used."""

    value: str = field(repr=False)
    use_until: float

    def fresh(self, now: float) -> bool:
        """Whether it can still be used at ``now``."""
        return now < self.use_until


def _url(credentials: Credentials, path: str) -> str:
    return f"{credentials.api_base.rstrip('/')}/cgi-bin/{path}"


def _result(response: httpx.Response, what: str, credentials: Credentials) -> dict[str, Any]:
    """The JSON body of a WeCom answer with errcode 0; WeComError otherwise."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise WeComError(f"{what}: the WeCom API at {credentials.api_base} answered HTTP "
                         f"{response.status_code} without a JSON body")
    errcode = int(data.get("errcode") or 0)
    if errcode:
        setting = _CREDENTIALS.get(errcode)
        hint = f"; check {setting}" if setting else ""
        raise WeComError(f"{what}: WeCom refused it with errcode {errcode} "
                         f"({str(data.get('errmsg', '')).split(',')[0]}){hint}", errcode)
    return data


def _token(data: dict[str, Any], now: float, credentials: Credentials) -> AccessToken:
    value, expires_in = data.get("access_token"), data.get("expires_in")
    if not isinstance(value, str) or not value or not isinstance(expires_in, int):
        raise WeComError(f"gettoken: the WeCom API at {credentials.api_base} sent no token")
    return AccessToken(value, now + max(expires_in - TOKEN_MARGIN, expires_in / 2))


def _unreachable(credentials: Credentials, exc: httpx.HTTPError) -> WeComError:
    # str(exc) of some httpx errors holds the URL, whose query holds the secret or the token.
    return WeComError(f"cannot reach the WeCom API at {credentials.api_base}: "
                      f"{type(exc).__name__}")


def fetch_token(credentials: Credentials, timeout: float = 10.0) -> AccessToken:
    """A new access token, fetched without an event loop (the start-up check of the
    credentials); WeComError when WeCom refuses them or cannot be reached."""
    params = {"corpid": credentials.corp_id, "corpsecret": credentials.secret}
    try:
        response = httpx.get(_url(credentials, "gettoken"), params=params, timeout=timeout)
    except httpx.HTTPError as exc:
        raise _unreachable(credentials, exc) from None
    return _token(_result(response, "gettoken", credentials), time.monotonic(), credentials)


class WeComClient:
    """Sends messages as the app; one token shared by every send, fetched once at a time."""

    def __init__(self, credentials: Credentials, http: httpx.AsyncClient, *,
                 token: AccessToken | None = None,
                 on_token: Callable[[str], None] = lambda value: None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.credentials = credentials
        self._http = http
        self._token = token
        self._on_token = on_token
        self._clock = clock
        self._lock = asyncio.Lock()
        if token is not None:
            on_token(token.value)

    async def token(self, *, stale: str | None = None) -> str:
        """A usable access token: the cached one unless it is about to expire or is ``stale``
        (the one WeCom has just called invalid)."""
        async with self._lock:
            current = self._token
            if current is not None and current.fresh(self._clock()) and current.value != stale:
                return current.value
            params = {"corpid": self.credentials.corp_id, "corpsecret": self.credentials.secret}
            try:
                response = await self._http.get(_url(self.credentials, "gettoken"), params=params)
            except httpx.HTTPError as exc:
                raise _unreachable(self.credentials, exc) from None
            fetched = _token(_result(response, "gettoken", self.credentials), self._clock(),
                             self.credentials)
            self._on_token(fetched.value)
            self._token = fetched
            logger.info("new WeCom access token, used for %.0f s",
                        fetched.use_until - self._clock())
            return fetched.value

    async def send(self, message: dict[str, Any]) -> dict[str, Any]:
        """``message/send`` with ``agentid`` filled in; a token WeCom calls invalid or expired
        is replaced and the message sent once more."""
        body = {**message, "agentid": self.credentials.agent_id}
        token = await self.token()
        for attempt in (1, 2):
            try:
                response = await self._http.post(_url(self.credentials, "message/send"),
                                                 params={"access_token": token}, json=body)
            except httpx.HTTPError as exc:
                raise _unreachable(self.credentials, exc) from None
            try:
                return _result(response, "message/send", self.credentials)
            except WeComError as exc:
                if exc.errcode not in STALE_TOKEN or attempt == 2:
                    raise
                logger.info("WeCom called the access token invalid (errcode %s); fetching "
                            "a new one", exc.errcode)
                token = await self.token(stale=token)
        raise AssertionError("unreachable")

    async def send_markdown(self, user: str, content: str) -> None:
        """One markdown message to ``user`` (content within :data:`MARKDOWN_LIMIT` bytes)."""
        size = len(content.encode("utf-8"))
        if size > MARKDOWN_LIMIT:
            raise ValueError(f"markdown content of {size} bytes; WeCom takes {MARKDOWN_LIMIT}")
        await self.send({"touser": user, "msgtype": "markdown", "markdown": {"content": content}})

    async def send_card(self, user: str, card: dict[str, Any]) -> None:
        """A template card (``template_card``) to ``user``."""
        await self.send({"touser": user, "msgtype": "template_card", "template_card": card})
