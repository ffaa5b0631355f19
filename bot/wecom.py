"""WeCom (企业微信) and 政务微信 as an application: the callback URL on the service, answers sent
through WeCom's message API.

``GET <callback path>`` is WeCom's URL verification: the signed, encrypted ``echostr`` is
decrypted and returned as plain text. ``POST <callback path>`` delivers a message (signed XML
around an encrypted one). A callback is checked, decrypted and answered at once — WeCom retries
one that takes over 5 seconds — and the answer follows through ``message/send`` from a task:

* a wrong signature gets 403 and nothing else; a body that is not WeCom's XML gets 400;
* a callback older (or newer) than :data:`REPLAY_WINDOW` seconds, and a message already seen
  (WeCom's retries carry the same MsgId), are acknowledged and ignored;
* a user over the per-user rate limit, and a question too long to ask, get a passive reply
  (encrypted text in the callback's answer), which costs no API call;
* a text message is a question; its answer goes out as markdown (:func:`bot.markdown.wecom`:
  everything from the notices shown literally), in as many messages as WeCom's 4096-byte limit
  needs, then a template card with its buttons (查看原文, 相关条款, or suggested questions);
* a button pressed on a card comes back as a ``template_card_event`` whose ``EventKey`` is the
  button's payload (:mod:`bot.payload`): it is answered like a question, and a payload for a
  notice since edited or removed gets “这条回答已过期，请重新提问”;
* every answer is kept in the question log (channel ``wecom``, the user as a keyed hash of the
  WeCom userid, never the id) and its card carries 有帮助 / 没帮助 (kept when a card has more
  buttons than fit); without cards there are no rating buttons. The log is closed when the
  application shuts down.

What to say is :class:`bot.conversation.Conversation`'s, shared with the other chat channels.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot import markdown
from bot import reply as r
from bot.body import bounded_body
from bot.conversation import FOLLOW_UP_SECONDS, Conversation
from bot.wecom_api import AccessToken, Credentials, WeComClient, WeComError
from bot.wecom_crypto import BadEnvelope, BadSignature, WeComCrypto
from contract.answer import MAX_QUESTION
from contract.errors import InputError
from engine.followup import Contexts
from engine.ratelimit import RateLimiter, retry_after
from engine.service import PolicyQA
from usage.log import NullLog, QuestionLog
from usage.privacy import UserHasher

logger = logging.getLogger(__name__)

DEFAULT_CALLBACK_PATH = "/wecom/callback"
REPLAY_WINDOW = 300.0
"""Seconds a callback's timestamp may be from now; older ones are replays."""
MAX_BODY = 65_536
"""Bytes of a callback body; WeCom's are a few hundred."""
SORRY = "抱歉，处理您的问题时出了点问题，请稍后再试。"
MAX_CARD_BUTTONS = 6
"""Buttons on one template card (WeCom's limit)."""
CARD_TITLE = 26
"""Characters of a card's title WeCom shows."""
BUTTON_TEXT = 16
"""Characters of a button's text (longer ones are cut with …)."""
TEXT_ONLY = "目前只能回答文字问题，请直接输入您的问题，例如“养老机构还需要许可吗”。"
BUSY = "当前提问的人较多，请稍后再试。"


@dataclass(frozen=True)
class WeComConfig:
    """One WeCom app's settings as the channel uses them."""

    credentials: Credentials
    token: str = field(repr=False)
    encoding_aes_key: str = field(repr=False)
    callback_path: str = DEFAULT_CALLBACK_PATH
    rate_limit_per_minute: int = 20
    answers_at_once: int = 2
    """Questions answered at the same time; more wait their turn."""
    max_waiting: int = 200
    """Questions waiting or being answered beyond which a new one is turned away (passively)."""
    cards: bool = True
    """Buttons (查看原文, 相关条款, suggested questions) on template cards; without them (a
    WeCom that has no template cards) suggested questions are listed in the text."""
    follow_up_seconds: float = FOLLOW_UP_SECONDS
    """How long a user's last answer is kept for follow-up questions."""
    log: QuestionLog = field(default_factory=NullLog, repr=False, compare=False)
    """Where answers and ratings are kept (closed when the application shuts down)."""
    users: UserHasher | None = field(default=None, repr=False, compare=False)
    """Hashes user ids for the log (None: the log gets no user hashes)."""


@dataclass(frozen=True)
class Incoming:
    """A decrypted callback message: what WeCom says a user did."""

    user: str
    msg_type: str
    create_time: int
    agent_id: str = ""
    content: str = ""
    msg_id: str = ""
    event: str = ""
    event_key: str = ""
    task_id: str = ""

    @property
    def key(self) -> str:
        """What identifies one delivery across WeCom's retries: the MsgId, or for events
        (which have none) the user, time and event."""
        if self.msg_id:
            return f"msg:{self.msg_id}"
        return f"event:{self.user}:{self.create_time}:{self.event}:{self.event_key}:{self.task_id}"


def parse_xml(text: str | bytes) -> ET.Element:
    """A callback's XML; InputError for anything else (a DOCTYPE included: no entities)."""
    # Anywhere in the body, not only at its start: a comment can push a DOCTYPE past any head.
    whole = text.lower() if isinstance(text, str) else text.lower().decode("latin-1")
    if "<!doctype" in whole or "<!entity" in whole:
        raise InputError("XML with a document type is not accepted")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(f"not XML: {exc}") from None
    if root.tag != "xml":
        raise InputError("not a WeCom callback body")
    return root


def parse_incoming(xml_text: str) -> Incoming:
    """The message inside a decrypted callback."""
    root = parse_xml(xml_text)

    def get(name: str) -> str:
        return (root.findtext(name) or "").strip()

    user, msg_type = get("FromUserName"), get("MsgType")
    if not user or not msg_type:
        raise InputError("a callback message without FromUserName or MsgType")
    created = get("CreateTime")
    return Incoming(user=user, msg_type=msg_type,
                    create_time=int(created) if created.isdigit() else 0,
                    agent_id=get("AgentID"), content=root.findtext("Content") or "",
                    msg_id=get("MsgId"), event=get("Event"), event_key=get("EventKey"),
                    task_id=get("TaskId"))


class ReplayGuard:
    """Remembers the deliveries of the last ``window`` seconds (at most ``size`` of them)."""

    def __init__(self, window: float = 2 * REPLAY_WINDOW, size: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._window = window
        self._size = size
        self._clock = clock

    def first(self, key: str) -> bool:
        """True the first time ``key`` is seen; False for a repeat."""
        now = self._clock()
        while self._seen and (len(self._seen) >= self._size
                              or next(iter(self._seen.values())) < now - self._window):
            self._seen.popitem(last=False)
        if key in self._seen:
            return False
        self._seen[key] = now
        return True


def text_reply(user: str, corp_id: str, content: str, now: int | None = None) -> str:
    """A passive text reply's XML (before encryption)."""
    root = ET.Element("xml")
    for name, value in (("ToUserName", user), ("FromUserName", corp_id),
                        ("CreateTime", str(now or int(time.time()))), ("MsgType", "text"),
                        ("Content", content)):
        ET.SubElement(root, name).text = value
    return ET.tostring(root, encoding="unicode")


def button_card(reply: r.Reply, task_id: str) -> dict[str, Any] | None:
    """A reply's actions as a template card (``button_interaction``) to send after its
    markdown: one button per action (at most :data:`MAX_CARD_BUTTONS`), each pressing sends
    its payload back as the ``EventKey`` of a ``template_card_event``; the rating buttons are
    kept first when there are more. None without actions."""
    actions = r.within(reply.buttons, MAX_CARD_BUTTONS)
    if not actions:
        return None
    kinds = {a.kind for a in actions}
    desc = "点击问题直接提问" if "ask" in kinds else "请点击选择" if kinds == {"rate"} \
        else "点击查看原文或相关条款"
    return {
        "card_type": "button_interaction", "task_id": task_id,
        "main_title": {"title": _clip(reply.title, CARD_TITLE), "desc": desc},
        "button_list": [{"text": _clip(a.question or a.label, BUTTON_TEXT),
                         "style": 1 if i == 0 else 2, "key": a.payload}
                        for i, a in enumerate(actions)]}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- the channel ---------------------------------------------------------------------------


class WeComChannel:
    """The callback's handlers over one service and one API client."""

    def __init__(self, config: WeComConfig, service: PolicyQA, client: WeComClient) -> None:
        self.config = config
        self.service = service
        self.client = client
        self.crypto = WeComCrypto(config.token, config.encoding_aes_key,
                                  config.credentials.corp_id)
        # The rate limit is applied here, passively; messages are one-to-one (no chat key).
        self.conversation = Conversation(service, contexts=Contexts(config.follow_up_seconds),
                                         log=config.log, users=config.users, channel="wecom")
        self._limiter = RateLimiter(config.rate_limit_per_minute)
        self._cards = 0
        self._replays = ReplayGuard()
        self._tasks: set[asyncio.Task[None]] = set()
        self._turns = asyncio.Semaphore(max(1, config.answers_at_once))

    # -- HTTP ------------------------------------------------------------------------------

    async def verify_url(self, request: Request) -> Response:
        """URL verification: the decrypted ``echostr``, as plain text."""
        query = request.query_params
        try:
            plain = self.crypto.open(query.get("msg_signature", ""), query.get("timestamp", ""),
                                     query.get("nonce", ""), query.get("echostr", ""))
        except BadSignature:
            logger.warning("URL verification with a wrong signature refused")
            return PlainTextResponse("forbidden", status_code=403)
        except BadEnvelope as exc:
            logger.warning("URL verification refused: %s", exc)
            return PlainTextResponse("bad request", status_code=400)
        logger.info("WeCom verified the callback URL")
        return PlainTextResponse(plain)

    async def receive(self, request: Request) -> Response:
        """A message callback: checked, acknowledged at once, answered from a task."""
        query = request.query_params
        timestamp = query.get("timestamp", "")
        body = await bounded_body(request, MAX_BODY)
        if body is None:
            return PlainTextResponse("too large", status_code=413)
        try:
            encrypted = (parse_xml(body).findtext("Encrypt") or "").strip()
            if not encrypted:
                raise InputError("no Encrypt element")
        except InputError as exc:
            logger.warning("callback refused: %s", exc)
            return PlainTextResponse("bad request", status_code=400)
        try:
            self.crypto.verify(query.get("msg_signature", ""), timestamp,
                               query.get("nonce", ""), encrypted)
        except BadSignature:
            logger.warning("callback with a wrong signature refused")
            return PlainTextResponse("forbidden", status_code=403)
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > REPLAY_WINDOW:
            logger.warning("callback ignored: its timestamp is %s s from now",
                           f"{time.time() - int(timestamp):.0f}" if timestamp.isdigit() else "?")
            return Response(status_code=200)
        try:
            incoming = parse_incoming(self.crypto.open(query.get("msg_signature", ""), timestamp,
                                                       query.get("nonce", ""), encrypted))
        except InputError as exc:
            logger.warning("callback refused: %s", exc)
            return PlainTextResponse("bad request", status_code=400)
        if not self._replays.first(incoming.key):
            logger.info("repeated delivery ignored", extra={"delivery": incoming.key})
            return Response(status_code=200)
        reply = self._handle(incoming)
        if reply is None:
            return Response(status_code=200)
        sealed = self.crypto.seal(text_reply(incoming.user, self.config.credentials.corp_id,
                                             reply))
        return Response(sealed.xml, media_type="application/xml")

    # -- messages --------------------------------------------------------------------------

    def _handle(self, incoming: Incoming) -> str | None:
        """Start answering ``incoming``; a passive reply's text, or None."""
        agent = str(self.config.credentials.agent_id)
        if incoming.agent_id and incoming.agent_id != agent:
            logger.warning("message for agent %s ignored (this is agent %s)",
                           incoming.agent_id, agent)
            return None
        if incoming.msg_type == "event":
            if incoming.event != "template_card_event" or not incoming.event_key:
                logger.debug("event %s ignored", incoming.event)
                return None
            key = incoming.event_key
            return self._start(incoming.user, lambda: self.conversation.press(incoming.user, key))
        if incoming.msg_type != "text":
            return TEXT_ONLY
        question = incoming.content.strip()
        if not question:
            return None
        if len(question) > MAX_QUESTION:
            return f"问题太长了，请精简到 {MAX_QUESTION} 字以内。"
        return self._start(incoming.user, lambda: self.conversation.ask(incoming.user, question))

    def _start(self, user: str, make: Callable[[], r.Reply]) -> str | None:
        """Make and send a reply from a task, unless the user is over the rate limit or too
        many are waiting (a passive reply's text then)."""
        wait = self._limiter.check(user)
        if wait:
            logger.info("rate limit: a question refused", extra={"user": user})
            return f"您提问太频繁了，请 {retry_after(wait)} 秒后再试。"
        if len(self._tasks) >= self.config.max_waiting:
            logger.warning("%d questions waiting: a new one turned away", len(self._tasks))
            return BUSY
        task = asyncio.get_running_loop().create_task(self._reply(user, make))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return None

    async def _reply(self, user: str, make: Callable[[], r.Reply]) -> None:
        async with self._turns:
            try:
                reply = await asyncio.to_thread(make)
            except Exception:
                logger.exception("answering failed")
                reply = r.plain(SORRY)
        await self._send(user, reply)

    async def _send(self, user: str, reply: r.Reply) -> None:
        """The reply's markdown messages, then its buttons on a template card (or, without
        cards, its suggested questions listed in the markdown)."""
        self._cards += 1
        card = button_card(reply, f"pq{int(time.time())}_{self._cards}_{secrets.token_hex(4)}") \
            if self.config.cards else None
        shown = r.Reply(reply.blocks, (), reply.title) if card is not None else reply
        try:
            for message in markdown.wecom(shown):
                await self.client.send_markdown(user, message.content)
            if card is not None:
                await self.client.send_card(user, card)
        except WeComError as exc:
            logger.error("could not send the answer: %s", exc)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait (up to ``timeout`` seconds) for the answers still being sent."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


def create_app(config: WeComConfig, load: Callable[[], PolicyQA], *,
               token: AccessToken | None = None,
               on_token: Callable[[str], None] = lambda value: None) -> Starlette:
    """The callback application; ``load`` gives the service once, at start-up, and ``token``
    (from the start-up check of the credentials) saves fetching one at once."""
    state: dict[str, WeComChannel] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        service = await asyncio.to_thread(load)
        await asyncio.to_thread(lambda: service.suggestions)  # asked once, up front
        async with httpx.AsyncClient(timeout=10.0) as http:
            client = WeComClient(config.credentials, http, token=token, on_token=on_token)
            state["channel"] = channel = WeComChannel(config, service, client)
            logger.info("WeCom channel ready on %s: %s", config.callback_path,
                        service.manifest.counts)
            try:
                yield
            finally:
                await channel.drain()
                await asyncio.to_thread(config.log.close)

    async def verify(request: Request) -> Response:
        return await state["channel"].verify_url(request)

    async def receive(request: Request) -> Response:
        return await state["channel"].receive(request)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    path = "/" + config.callback_path.strip("/")
    return Starlette(routes=[Route(path, verify, methods=["GET"]),
                             Route(path, receive, methods=["POST"]),
                             Route("/healthz", health, methods=["GET"])],
                     lifespan=lifespan)
