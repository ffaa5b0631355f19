"""What DingTalk's robot callback sends: the signature check, replays, and the message itself.

DingTalk (and 政务钉钉) POSTs each message addressed to an enterprise robot to the callback URL
as JSON, with two headers: ``timestamp`` (milliseconds) and ``sign``, the base64 of
HMAC-SHA256 keyed with the app secret over ``"<timestamp>\\n<app secret>"``. A request whose
sign is wrong, or whose timestamp is more than an hour away from now, did not come from
DingTalk (or is an old one replayed) and is refused. A message id seen before is a replay (or
DingTalk retrying a callback that was slow to answer) and is answered once only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Literal

from contract.errors import InputError

MAX_SKEW_MS = 60 * 60 * 1000
"""How far a callback's timestamp may be from now (DingTalk: one hour)."""

PRIVATE, GROUP = "1", "2"
"""``conversationType`` of a one-to-one chat and of a group."""

# @mentions DingTalk leaves in the text of a group message: the robot's (and anyone else's)
# name after an @, up to the next space. Only those at the start or the end of the text are
# taken out: an @ inside a sentence is part of the question.
_LEADING_MENTIONS = re.compile(r"^(?:\s*@[^\s@]+(?:\s+|$))+")
_TRAILING_MENTIONS = re.compile(r"(?:\s+@[^\s@]+)+\s*$")


def signature(timestamp: str, secret: str) -> str:
    """The ``sign`` header DingTalk sends with ``timestamp``, for the app secret ``secret``."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def refusal(timestamp: str | None, sign: str | None, secret: str,
            now_ms: int | None = None) -> str | None:
    """Why a callback with these headers must be refused, or None when it is DingTalk's.

    The reason is for the log; it never contains the secret or the expected signature.
    """
    if not timestamp or not sign:
        return "no timestamp or sign header"
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 16:
        return "the timestamp is not a number of milliseconds"
    now = int(time.time() * 1000) if now_ms is None else now_ms
    if abs(now - int(timestamp)) > MAX_SKEW_MS:
        return "the timestamp is more than an hour away from now"
    if not hmac.compare_digest(signature(timestamp, secret).encode(), sign.encode("utf-8")):
        return "the sign does not match"
    return None


class Replays:
    """Message ids seen in the last hour (and at most ``capacity`` of them): a callback signed
    within the hour that repeats one of them is not answered again."""

    def __init__(self, capacity: int = 50_000, keep_ms: int = MAX_SKEW_MS + 60_000) -> None:
        self._seen: OrderedDict[str, int] = OrderedDict()
        self._capacity = capacity
        self._keep_ms = keep_ms
        self._lock = threading.Lock()

    def first_time(self, msg_id: str, now_ms: int | None = None) -> bool:
        """True the first time ``msg_id`` is seen; remembers it."""
        now = int(time.time() * 1000) if now_ms is None else now_ms
        with self._lock:
            while self._seen and (len(self._seen) >= self._capacity
                                  or next(iter(self._seen.values())) < now - self._keep_ms):
                self._seen.popitem(last=False)
            if msg_id in self._seen:
                return False
            self._seen[msg_id] = now
            return True


@dataclass(frozen=True)
class Incoming:
    """A text message to the robot, as the callback describes it."""

    msg_id: str
    conversation_id: str
    conversation_type: Literal["1", "2"]
    sender: str
    """The sender's staff id (senderStaffId), or DingTalk's id for them (senderId)."""
    text: str
    at_robot: bool
    """isInAtList: whether the robot was @-mentioned (group messages are answered only then)."""
    session_webhook: str
    webhook_expires_ms: int
    robot_code: str

    @property
    def private(self) -> bool:
        """A one-to-one chat with the robot."""
        return self.conversation_type == PRIVATE

    @property
    def addressed(self) -> bool:
        """Whether the robot should answer: any message in a private chat, an @ in a group."""
        return self.private or self.at_robot

    @property
    def question(self) -> str:
        """The text without the @mentions at its start and end."""
        text = _LEADING_MENTIONS.sub("", self.text)
        return _TRAILING_MENTIONS.sub("", text).strip()


def parse(body: Any) -> Incoming | None:
    """The message in a callback body; None for a message that is not text (a picture, a file,
    rich text), which the robot does not answer; InputError for a body that is not a robot
    message at all."""
    if not isinstance(body, dict):
        raise InputError("the callback body is not a JSON object")
    msg_id = _text(body, "msgId")
    conversation_type = _text(body, "conversationType")
    if conversation_type not in (PRIVATE, GROUP):
        raise InputError(f"unknown conversationType {conversation_type!r}")
    sender = body.get("senderStaffId") or _text(body, "senderId")
    webhook = _text(body, "sessionWebhook")
    expires = body.get("sessionWebhookExpiredTime")
    if not isinstance(expires, int) or isinstance(expires, bool):
        raise InputError("sessionWebhookExpiredTime is not a number")
    if body.get("msgtype") != "text":
        return None
    content = body.get("text")
    if not isinstance(content, dict) or not isinstance(content.get("content"), str):
        raise InputError("a text message without text.content")
    return Incoming(
        msg_id=msg_id, conversation_id=_text(body, "conversationId"),
        conversation_type="1" if conversation_type == PRIVATE else "2",
        sender=str(sender), text=content["content"], at_robot=body.get("isInAtList") is True,
        session_webhook=webhook, webhook_expires_ms=expires,
        robot_code=str(body.get("robotCode") or ""))


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(f"the callback has no {key}")
    return value
