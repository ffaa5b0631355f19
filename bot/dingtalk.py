"""DingTalk (and 政务钉钉) enterprise robot in HTTP callback mode, over the same answer engine as
the API, the CLI and the Telegram bot.

DingTalk POSTs each message for the robot to the callback path; the request is checked
(signature, timestamp, replay) and answered at once with ``{}``, and the answer is worked out
afterwards and sent through the message's session webhook. In a one-to-one chat any text is a
question; in a group only a message that @-mentions the robot. A button under an answer is a
``dtmd://dingtalkclient/sendMessage`` link: pressing it makes the user's client send the text
it carries, which comes back as a message and is read here as the press.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import re
import time
import urllib.parse
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot import render
from bot.dingtalk_callback import Incoming, Replays, parse, refusal
from bot.dingtalk_webhook import SessionWebhooks
from contract.answer import MAX_QUESTION, Answer
from contract.errors import ConfigurationError, InputError
from engine.ratelimit import RateLimiter, retry_after
from engine.service import PolicyQA

logger = logging.getLogger(__name__)

MAX_BODY = 65_536
"""Largest callback body read (a text message is a few kilobytes)."""
SORRY = "抱歉，处理您的请求时出了点问题，请稍后再试。"

Message = Mapping[str, Any]


class DingTalkRobot:
    """The robot's dialogue: which messages to answer, and what to send back."""

    def __init__(self, load: Callable[[], PolicyQA], app_key: str, app_secret: str,
                 webhooks: SessionWebhooks, rate_limit_per_minute: int = 20) -> None:
        self._load = load
        self._app_key = app_key
        self._app_secret = app_secret
        self._webhooks = webhooks
        self._limiter = RateLimiter(rate_limit_per_minute)
        self._replays = Replays()
        self._service: PolicyQA | None = None

    @property
    def service(self) -> PolicyQA:
        """The loaded service (after start-up)."""
        if self._service is None:
            raise RuntimeError("the robot has not finished starting")
        return self._service

    async def start(self) -> None:
        """Load model and index once."""
        self._service = await asyncio.to_thread(self._load)
        await asyncio.to_thread(lambda: self.service.suggestions)  # worked out once, up front
        logger.info("dingtalk robot ready: %s", self.service.manifest.counts)

    async def stop(self) -> None:
        """Release the HTTP client."""
        await self._webhooks.aclose()

    # -- the callback -----------------------------------------------------------------------

    async def callback(self, request: Request) -> JSONResponse:
        """DingTalk's POST: refused (403) unless signed with the app secret within the hour."""
        reason = refusal(request.headers.get("timestamp"), request.headers.get("sign"),
                         self._app_secret)
        if reason is not None:
            logger.warning("dingtalk callback refused: %s", reason)
            return JSONResponse({"errcode": 403, "errmsg": "forbidden"}, status_code=403)
        body = await _body(request)
        if body is None:
            return JSONResponse({"errcode": 413, "errmsg": "too large"}, status_code=413)
        try:
            incoming = parse(json.loads(body))
        except (ValueError, InputError) as exc:
            logger.warning("dingtalk callback unreadable: %s", exc)
            return JSONResponse({"errcode": 400, "errmsg": "bad request"}, status_code=400)
        if incoming is None:  # a picture, a file, …: nothing to answer
            return JSONResponse({})
        if incoming.robot_code and incoming.robot_code != self._app_key:
            logger.warning("dingtalk callback for another robot ignored")
            return JSONResponse({})
        if not self._replays.first_time(incoming.msg_id):
            logger.info("dingtalk message seen before; not answered again")
            return JSONResponse({})
        if not incoming.addressed:
            return JSONResponse({})
        return JSONResponse({}, background=BackgroundTask(self.respond, incoming))

    async def respond(self, incoming: Incoming) -> None:
        """Work out the reply to one message and send it; a failure is logged and the user
        told briefly."""
        started = time.perf_counter()
        try:
            messages = await self._reply(incoming)
        except Exception:
            logger.exception("dingtalk message failed")
            messages = [_markdown("抱歉", SORRY)]
        sent = await self._webhooks.send(incoming.session_webhook, incoming.webhook_expires_ms,
                                         messages)
        logger.info("dingtalk reply sent", extra={
            "messages": sent, "private": incoming.private,
            "seconds": round(time.perf_counter() - started, 3)})

    # -- replies ----------------------------------------------------------------------------

    async def _reply(self, incoming: Incoming) -> list[Message]:
        text = incoming.question
        if not text:
            return [_markdown("政策问答", "请直接发送您的问题，例如：养老机构还需要许可吗")]
        press = _press(text)
        if press is not None:
            return self._clause(*press)
        wait = self._limiter.check(incoming.sender)
        if wait:
            return [_markdown("提问太频繁", f"您提问太频繁了，请 {retry_after(wait)} 秒后再试。")]
        if len(text) > MAX_QUESTION:
            return [_markdown("问题太长", f"问题太长了，请精简到 {MAX_QUESTION} 字以内。")]
        try:
            answer = await asyncio.to_thread(self.service.ask, text)
        except InputError as exc:
            return [_markdown("无法处理", f"这个问题无法处理：{_esc(str(exc))}")]
        return _answer_messages(answer, incoming.private)

    def _clause(self, doc_id: str, clause_id: str) -> list[Message]:
        clause = self.service.find_clause(clause_id, doc_id)
        if clause is None:
            return [_markdown("条款", "这个条款已不在当前的索引中。")]
        blocks = [f"**{_esc(clause.label)}**（{_esc(clause.clause_id)}）", _esc(clause.text)]
        return [_markdown(clause.label, text) for text in render.pack(blocks, LIMIT)]


# -- rendering (temporary: plain markdown, until the shared reply model is in) ---------------

LIMIT = 4000
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~])")
_PRESS = re.compile(r"^查看原文 (\S+) (\S+)$")
_SEND = "dtmd://dingtalkclient/sendMessage?content="


def _esc(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _markdown(title: str, text: str) -> Message:
    return {"msgtype": "markdown", "markdown": {"title": title[:20], "text": text}}


def _press(text: str) -> tuple[str, str] | None:
    found = _PRESS.match(text)
    return (found.group(1), found.group(2)) if found else None


def _answer_messages(answer: Answer, private: bool) -> list[Message]:
    head = f"**{_esc(answer.answer.splitlines()[0])}**"
    if answer.status != "answered" or not answer.citations:
        return [_markdown("政策问答", head)]
    first = answer.citations[0]
    lines = [f"{_esc(first.label)}（{_esc(first.clause_id)}）", f"> {_esc(first.quote)}"]
    if first.units:
        lines.append("责任单位：" + "、".join(_esc(u.name) + ("（牵头）" if u.lead else "")
                                          for u in first.units))
    if first.deadline:
        lines.append(f"完成时限：{_esc(first.deadline)}")
    texts = render.pack([head, "\n\n".join(lines)], LIMIT)
    messages = [_markdown("政策问答", t) for t in texts]
    if private:
        last = texts[-1]
        payload = urllib.parse.quote(f"查看原文 {first.doc_id} {first.clause_id}")
        messages[-1] = {"msgtype": "actionCard", "actionCard": {
            "title": "政策问答", "text": last, "btnOrientation": "0",
            "btns": [{"title": "查看原文", "actionURL": _SEND + payload}]}}
    return messages


# -- the application --------------------------------------------------------------------------

async def _body(request: Request) -> bytes | None:
    """The request body, or None when it is larger than :data:`MAX_BODY`."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def build_app(app_key: str, app_secret: str, load: Callable[[], PolicyQA], *,
              api_base: str = "https://oapi.dingtalk.com",
              callback_path: str = "/dingtalk/callback",
              rate_limit_per_minute: int = 20) -> Starlette:
    """The callback server's application; ``load`` runs once at start-up (model and index)."""
    if not app_key or not app_secret:
        raise ConfigurationError(
            "no DingTalk credentials: set POLICYQA_DINGTALK_APP_KEY and "
            "POLICYQA_DINGTALK_APP_SECRET")
    if not callback_path.startswith("/"):
        raise ConfigurationError(f"the DingTalk callback path must start with /: {callback_path!r}")
    try:
        webhooks = SessionWebhooks(api_base)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None
    robot = DingTalkRobot(load, app_key, app_secret, webhooks, rate_limit_per_minute)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await robot.start()
        try:
            yield
        finally:
            await robot.stop()

    app = Starlette(routes=[Route(callback_path, robot.callback, methods=["POST"])],
                    lifespan=lifespan)
    app.state.robot = robot
    return app
