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
* a text message is a question; its answer goes out as markdown, in as many messages as WeCom's
  4096-byte limit needs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.wecom_api import MARKDOWN_LIMIT, AccessToken, Credentials, WeComClient, WeComError
from bot.wecom_crypto import BadEnvelope, BadSignature, WeComCrypto
from contract.answer import MAX_QUESTION, Answer, Citation
from contract.errors import InputError
from engine.ratelimit import RateLimiter, retry_after
from engine.service import PolicyQA

logger = logging.getLogger(__name__)

DEFAULT_CALLBACK_PATH = "/wecom/callback"
REPLAY_WINDOW = 300.0
"""Seconds a callback's timestamp may be from now; older ones are replays."""
MAX_BODY = 65_536
"""Bytes of a callback body; WeCom's are a few hundred."""
SORRY = "抱歉，处理您的问题时出了点问题，请稍后再试。"
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
    head = text[:512].lower() if isinstance(text, str) else text[:512].lower().decode("latin-1")
    if "<!doctype" in head or "<!entity" in head:
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


# -- rendering (markdown, until the shared renderer lands) ------------------------------------

_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|])")
_SENTENCE_END = re.compile(r"(?<=[。；！？!?;\n])")


def _md(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _citation(citation: Citation) -> str:
    lines = [f"📄 **{_md(citation.label)}**（{_md(citation.clause_id)}）"]
    if citation.quote:
        lines.append(f"> {_md(citation.quote)}")
    if citation.units:
        lines.append("责任单位：" + "、".join(_md(u.name) + ("（牵头）" if u.lead else "")
                                          for u in citation.units))
    if citation.deadline:
        lines.append(f"完成时限：{_md(citation.deadline)}")
    return "\n".join(lines)


def answer_blocks(answer: Answer, suggestions: Sequence[str]) -> list[str]:
    """An answer as markdown blocks: the direct answer, then the clause it rests on."""
    if answer.status != "answered" or not answer.citations:
        tries = "\n".join(f"- {_md(q)}" for q in suggestions)
        return [_md(answer.answer), f"您可以试试这些问题：\n{tries}" if tries else ""]
    listing = answer.kind in ("list_unit", "list_deadline")
    lines = answer.answer.split("\n")
    head = [f"**{_md(lines[0])}**"]
    if not listing:
        head += [_md(line) for line in lines[1:] if line and not line.startswith(
            ("依据：", "责任单位：", "完成时限：", "更多依据："))]
    shown = answer.citations if listing else answer.citations[:1]
    return ["\n".join(head), *(_citation(c) for c in shown)]


def pack(blocks: Sequence[str], limit: int = MARKDOWN_LIMIT) -> list[str]:
    """Blocks joined into as few messages as fit ``limit`` UTF-8 bytes, broken between blocks,
    a block too long on its own between sentences."""

    def size(text: str) -> int:
        return len(text.encode("utf-8"))

    messages: list[str] = []
    current = ""
    for block in (b for b in blocks if b):
        pieces = [block] if size(block) <= limit else _sentences(block, limit)
        for piece in pieces:
            joined = f"{current}\n\n{piece}" if current else piece
            if size(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _sentences(block: str, limit: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(block):
        while len(sentence.encode("utf-8")) > limit:  # one sentence longer than a message
            cut = limit // 4
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        if len((current + sentence).encode("utf-8")) > limit:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return [p for p in pieces if p]


# -- the channel ---------------------------------------------------------------------------


class WeComChannel:
    """The callback's handlers over one service and one API client."""

    def __init__(self, config: WeComConfig, service: PolicyQA, client: WeComClient) -> None:
        self.config = config
        self.service = service
        self.client = client
        self.crypto = WeComCrypto(config.token, config.encoding_aes_key,
                                  config.credentials.corp_id)
        self._limiter = RateLimiter(config.rate_limit_per_minute)
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
        body = await _body(request)
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
            logger.debug("event %s ignored", incoming.event)
            return None
        if incoming.msg_type != "text":
            return TEXT_ONLY
        question = incoming.content.strip()
        if not question:
            return None
        wait = self._limiter.check(incoming.user)
        if wait:
            logger.info("rate limit: a question refused", extra={"user": incoming.user})
            return f"您提问太频繁了，请 {retry_after(wait)} 秒后再试。"
        if len(question) > MAX_QUESTION:
            return f"问题太长了，请精简到 {MAX_QUESTION} 字以内。"
        if len(self._tasks) >= self.config.max_waiting:
            logger.warning("%d questions waiting: a new one turned away", len(self._tasks))
            return BUSY
        self._spawn(self._answer(incoming.user, question))
        return None

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer(self, user: str, question: str) -> None:
        async with self._turns:
            try:
                answer = await asyncio.to_thread(self.service.ask, question)
                blocks = answer_blocks(answer, self.service.suggestions)
            except InputError as exc:
                blocks = [f"这个问题无法处理：{_md(str(exc))}"]
            except Exception:
                logger.exception("answering failed")
                blocks = [SORRY]
        await self._send(user, pack(blocks))

    async def _send(self, user: str, messages: Sequence[str]) -> None:
        try:
            for content in messages:
                await self.client.send_markdown(user, content)
        except WeComError as exc:
            logger.error("could not send the answer: %s", exc)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait (up to ``timeout`` seconds) for the answers still being sent."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)


async def _body(request: Request) -> bytes | None:
    """The request body, or None when it is over :data:`MAX_BODY`."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


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
