"""Replies through a callback's session webhook: the URL DingTalk sends with each message, valid
until ``sessionWebhookExpiredTime``, to which the robot POSTs its messages for that
conversation (markdown or actionCard JSON; DingTalk answers ``{"errcode": 0, ...}``).

The session webhook carries its own credential (``?session=…``), so it is never logged, and it
is only ever POSTed to when it lies under the configured API base (DingTalk's, or a private
deployment's): a callback cannot make the robot send anything anywhere else.
"""

from __future__ import annotations

import logging
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

logger = logging.getLogger(__name__)

EXPIRY_MARGIN_MS = 5_000
"""A webhook that expires within this long is not used (the request would arrive too late)."""


class SessionWebhooks:
    """Sends messages to session webhooks under ``api_base``."""

    def __init__(self, api_base: str, client: httpx.AsyncClient | None = None,
                 timeout: float = 10.0) -> None:
        base = urllib.parse.urlsplit(api_base)
        if base.scheme not in ("http", "https") or not base.netloc:
            raise ValueError(f"the DingTalk API base is not an http(s) URL: {api_base!r}")
        self._base = base
        self._client = client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)

    def allowed(self, url: str) -> bool:
        """Whether ``url`` is a session webhook of the configured DingTalk."""
        try:
            target = urllib.parse.urlsplit(url)
        except ValueError:
            return False
        base_path = self._base.path.rstrip("/")
        return (target.scheme == self._base.scheme and target.netloc == self._base.netloc
                and (target.path == base_path or target.path.startswith(base_path + "/"))
                and not target.fragment)

    async def send(self, url: str, expires_ms: int, messages: Sequence[Mapping[str, Any]],
                   now_ms: int | None = None) -> int:
        """POST ``messages`` in order; returns how many DingTalk accepted.

        Stops at the first one refused (the rest would read out of order), and does not start
        when the webhook is not DingTalk's or has expired.
        """
        if not self.allowed(url):
            logger.warning("session webhook is not under the configured DingTalk API base; "
                           "nothing sent (check POLICYQA_DINGTALK_API_BASE)")
            return 0
        sent = 0
        for message in messages:
            now = int(time.time() * 1000) if now_ms is None else now_ms
            if now + EXPIRY_MARGIN_MS >= expires_ms:
                logger.warning("session webhook expired; %d of %d messages not sent",
                               len(messages) - sent, len(messages))
                return sent
            problem = await self._post(url, message)
            if problem is not None:
                logger.error("DingTalk refused message %d of %d (%s): %s", sent + 1,
                             len(messages), message.get("msgtype"), problem)
                return sent
            sent += 1
        return sent

    async def _post(self, url: str, message: Mapping[str, Any]) -> str | None:
        """None when DingTalk accepted the message, else why not (no URL in it)."""
        try:
            response = await self._client.post(url, json=message)
        except httpx.HTTPError as exc:  # the URL holds the session: never in the reason
            return f"{type(exc).__name__}: {str(exc).replace(url, '<session webhook>')}"
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or not isinstance(body, dict):
            return f"HTTP {response.status_code}"
        if body.get("errcode", 0) != 0:
            return f"errcode {body.get('errcode')}: {body.get('errmsg', '')}"
        return None

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
