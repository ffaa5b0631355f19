"""DingTalk (and 政务钉钉) enterprise robot in HTTP callback mode, over the same answer engine as
the API, the CLI and the other chat channels (what it says is :class:`bot.conversation.
Conversation`'s, rendered by :func:`bot.markdown.dingtalk_card`).

DingTalk POSTs each message for the robot to the callback path; the request is checked
(signature, timestamp, replay) and answered at once with ``{}``, and the answer is worked out
afterwards and sent through the message's session webhook. In a one-to-one chat any text is a
question; in a group only a message that @-mentions the robot. A button under an answer is a
``dtmd://dingtalkclient/sendMessage`` link: pressing it makes the user's client send the text
it carries (``查看原文 <payload>``, or a suggested question itself), which comes back as a message
and is read here as the press; a payload whose notice has since changed gets
“这条回答已过期，请重新提问。”.

Every answer is kept in the question log (channel ``dingtalk``, the user as a keyed hash of
their staff id or DingTalk id, never the id); in a one-to-one chat it carries 有帮助 / 没帮助
buttons (sent back like the others: ``有帮助 f|…``). The log is closed at shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
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

from bot import markdown
from bot import reply as r
from bot.body import bounded_body
from bot.conversation import FOLLOW_UP_SECONDS, Conversation
from bot.dingtalk_callback import Incoming, Replays, parse, refusal
from bot.dingtalk_webhook import SessionWebhooks
from contract.errors import ConfigurationError, InputError
from engine.followup import Contexts
from engine.ratelimit import RateLimiter
from engine.service import PolicyQA
from usage.log import NullLog, QuestionLog
from usage.privacy import UserHasher

logger = logging.getLogger(__name__)

MAX_BODY = 65_536
"""Largest callback body read (a text message is a few kilobytes)."""
SORRY = "抱歉，处理您的请求时出了点问题，请稍后再试。"

Message = Mapping[str, Any]


class DingTalkRobot:
    """The robot's dialogue: which messages to answer, and what to send back."""

    def __init__(self, load: Callable[[], PolicyQA], app_key: str, app_secret: str,
                 webhooks: SessionWebhooks, rate_limit_per_minute: int = 20,
                 follow_up_seconds: float = FOLLOW_UP_SECONDS, *,
                 log: QuestionLog | None = None, users: UserHasher | None = None) -> None:
        self._load = load
        self._log: QuestionLog = log if log is not None else NullLog()
        self._users = users
        self._follow_up_seconds = follow_up_seconds
        self._app_key = app_key
        self._app_secret = app_secret
        self._webhooks = webhooks
        self._rate_limit = rate_limit_per_minute
        self._replays = Replays()
        self._conversation: Conversation | None = None

    @property
    def conversation(self) -> Conversation:
        """What the robot says, over the loaded service (after start-up)."""
        if self._conversation is None:
            raise RuntimeError("the robot has not finished starting")
        return self._conversation

    async def start(self) -> None:
        """Load model and index once."""
        service = await asyncio.to_thread(self._load)
        await asyncio.to_thread(lambda: service.suggestions)  # worked out once, up front
        self._conversation = Conversation(service, RateLimiter(self._rate_limit),
                                          Contexts(self._follow_up_seconds), log=self._log,
                                          users=self._users, channel="dingtalk")
        logger.info("dingtalk robot ready: %s", service.manifest.counts)

    async def stop(self) -> None:
        """Release the HTTP client and the question log."""
        try:
            await self._webhooks.aclose()
        finally:
            await asyncio.to_thread(self._log.close)

    # -- the callback -----------------------------------------------------------------------

    async def callback(self, request: Request) -> JSONResponse:
        """DingTalk's POST: refused (403) unless signed with the app secret within the hour."""
        reason = refusal(request.headers.get("timestamp"), request.headers.get("sign"),
                         self._app_secret)
        if reason is not None:
            logger.warning("dingtalk callback refused: %s", reason)
            return JSONResponse({"errcode": 403, "errmsg": "forbidden"}, status_code=403)
        body = await bounded_body(request, MAX_BODY)
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
            messages = render(r.plain(SORRY, title="抱歉"), True)
        sent = await self._webhooks.send(incoming.session_webhook, incoming.webhook_expires_ms,
                                         messages)
        logger.info("dingtalk reply sent", extra={
            "messages": sent, "private": incoming.private,
            "seconds": round(time.perf_counter() - started, 3)})

    # -- replies ----------------------------------------------------------------------------

    async def _reply(self, incoming: Incoming) -> list[Message]:
        conversation = self.conversation
        text = incoming.question
        payload = pressed(text)
        if payload is not None:
            reply = await asyncio.to_thread(conversation.press, incoming.sender, payload,
                                            incoming.conversation_id)
        elif not text:
            reply = conversation.intro()
        else:
            reply = await asyncio.to_thread(conversation.ask, incoming.sender, text,
                                            incoming.conversation_id)
        return render(reply, incoming.private)


# -- rendering ------------------------------------------------------------------------------

SEND_MESSAGE = "dtmd://dingtalkclient/sendMessage?content="
"""A link that makes the user's client send ``content`` to the conversation it is shown in."""
GROUP_HINT = "单聊我可以查看原文和相关条款。"
_PAYLOAD = re.compile(r"(?:^|\s)([cmqf]\|\S+)$")


def link(action: r.Action) -> str:
    """A button's link: a suggested question is sent back as itself, anything else as its
    label and payload (``查看原文 c|…``), which :func:`pressed` reads."""
    text = action.question if action.kind == "ask" and action.question else \
        f"{action.label} {action.payload}"
    return SEND_MESSAGE + urllib.parse.quote(text, safe="")


def pressed(text: str) -> str | None:
    """The payload a button sent back (the last word of the text), or None for a question."""
    found = _PAYLOAD.search(text.strip())
    return found.group(1) if found else None


def render(reply: r.Reply, private: bool) -> list[Message]:
    """The DingTalk messages of a reply: in a one-to-one chat, buttons on an ActionCard under
    the last message. A group gets markdown only: a button sends its text back without an @,
    which DingTalk does not deliver to the robot, so suggested questions are listed as text and
    查看原文 and 相关条款 give way to a hint (and the rating buttons to nothing)."""
    if private:
        return [m.body() for m in markdown.dingtalk_card(reply, link)]
    if any(a.kind in ("clause", "related") for a in reply.buttons):
        reply = r.Reply((*reply.blocks, r.Plain(GROUP_HINT)), reply.actions, reply.title)
    return [m.body() for m in markdown.dingtalk(reply)]


# -- the application --------------------------------------------------------------------------

def build_app(app_key: str, app_secret: str, load: Callable[[], PolicyQA], *,
              api_base: str = "https://oapi.dingtalk.com",
              callback_path: str = "/dingtalk/callback",
              rate_limit_per_minute: int = 20,
              follow_up_seconds: float = FOLLOW_UP_SECONDS,
              log: QuestionLog | None = None, users: UserHasher | None = None) -> Starlette:
    """The callback server's application; ``load`` runs once at start-up (model and index);
    ``follow_up_seconds``: how long a user's last answer in a conversation is kept for
    follow-up questions; ``log`` keeps answers and ratings (closed at shutdown), ``users``
    hashes user ids for it (None: no user hashes)."""
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
    robot = DingTalkRobot(load, app_key, app_secret, webhooks, rate_limit_per_minute,
                          follow_up_seconds, log=log, users=users)

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
