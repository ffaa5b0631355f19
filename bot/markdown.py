"""Replies rendered as markdown for WeCom (企业微信) and DingTalk (钉钉): pure functions from a
:class:`~bot.reply.Reply` to the messages to send, each within its channel's limit.

* :func:`wecom` → :class:`WeComMarkdown` messages (``msgtype: markdown``): the subset WeCom
  renders — bold ``**``, ``> `` quotes, links, ``<font color="comment|warning">``; at most
  :data:`WECOM_LIMIT` bytes of UTF-8 per message.
* :func:`dingtalk` → :class:`DingTalkMarkdown` messages (title + text); at most
  :data:`DINGTALK_LIMIT` characters (counted as UTF-16 code units, as DingTalk's Java side
  counts, never fewer than characters). Lines are separated by blank lines, which every
  DingTalk client breaks on.
* :func:`dingtalk_card` → the same, the last message a :class:`DingTalkActionCard` carrying up
  to :data:`MAX_CARD_BUTTONS` buttons (``btns``: title + actionURL; 有帮助 / 没帮助 kept
  first, see :func:`bot.reply.within`); further actions become links in its text.

Actions become links only through ``link(action) -> url | None``, which the channel adapter
supplies (e.g. a URL that sends the action's payload back to the bot); without it a suggested
question is listed as text and other actions are left out.

Escaping: WeCom documents no escape sequence and DingTalk's clients differ, so every character
either would read as markup (``\\ * _ [ ] ( ) # < > & ` ~ |``, and ``- + =`` or ``1.`` where a
line or sentence starts) is replaced by its full-width form (``＊ ＿ ［ ］ （ ） ＃ ＜ ＞ ＆ ｀``…),
which no markdown parser interprets and which reads the same in Chinese text. Replacing one
character by one keeps every cut safe; splitting is :func:`bot.pack.pack`, between blocks first.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bot import reply as r
from bot.pack import pack
from contract.answer import Unit

WECOM_LIMIT = 4096
"""WeCom's markdown ``content``: bytes of UTF-8."""
DINGTALK_LIMIT = 5000
"""DingTalk's markdown ``text``: characters (UTF-16 code units)."""
MAX_CARD_BUTTONS = 4
"""Buttons on one ActionCard (DingTalk's templates have four)."""
BUTTON_TITLE = 24
"""Characters of a button's title."""
TITLE_LIMIT = 40
"""Characters of a DingTalk message title (shown in the conversation list and notifications)."""

Link = Callable[[r.Action], str | None]

_FULL_WIDTH = str.maketrans({
    "\\": "＼", "*": "＊", "_": "＿", "[": "［", "]": "］", "(": "（", ")": "）", "#": "＃",
    "<": "＜", ">": "＞", "&": "＆", "`": "｀", "~": "～", "|": "｜"})
_STARTS = r"(?:^|(?<=[。；！？!?;]))([ \t]*)"
_LEADING_MARK = re.compile(_STARTS + r"([-+=])", re.MULTILINE)
_LEADING_NUMBER = re.compile(_STARTS + r"(\d+)\.(?!\d)", re.MULTILINE)
_LEADING_SPACE = re.compile(r"^[ \t]+", re.MULTILINE)
_MARKS = {"-": "－", "+": "＋", "=": "＝"}
_RISKY_START = re.compile(r"[-+=]|\d+\.(?!\d)")


def escape(text: str) -> str:
    """``text`` shown as written in WeCom and DingTalk markdown: nothing in it reads as markup."""
    text = _LEADING_SPACE.sub("", text.translate(_FULL_WIDTH))
    text = _LEADING_MARK.sub(lambda m: m.group(1) + _MARKS[m.group(2)], text)
    return _LEADING_NUMBER.sub(lambda m: f"{m.group(1)}{m.group(2)}．", text)


def utf8_size(text: str) -> int:
    """Length as WeCom counts it: bytes of UTF-8."""
    return len(text.encode("utf-8"))


def utf16_size(text: str) -> int:
    """Length as DingTalk counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _guard(text: str, end: int) -> int:
    """A cut inside a long sentence moved back so the next message does not start a list."""
    while end > 1 and _RISKY_START.match(text, end):
        end -= 1
    return end


def _url(url: str) -> str:
    """A URL made safe inside ``[label](url)``: whatever could end it percent-encoded."""
    return urllib.parse.quote(url, safe=":/?#@$&+,;=%-.~")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeComMarkdown:
    """One WeCom markdown message."""

    content: str

    def body(self) -> dict[str, object]:
        """The message as WeCom's send APIs take it (add ``touser``/``agentid`` as needed)."""
        return {"msgtype": "markdown", "markdown": {"content": self.content}}


@dataclass(frozen=True)
class DingTalkMarkdown:
    """One DingTalk markdown message."""

    title: str
    text: str

    def body(self) -> dict[str, object]:
        """The message as DingTalk's robot APIs take it."""
        return {"msgtype": "markdown", "markdown": {"title": self.title, "text": self.text}}


@dataclass(frozen=True)
class DingTalkButton:
    """One ActionCard button."""

    title: str
    action_url: str


@dataclass(frozen=True)
class DingTalkActionCard:
    """A DingTalk ActionCard: markdown text with buttons under it (stacked)."""

    title: str
    text: str
    buttons: tuple[DingTalkButton, ...]

    def body(self) -> dict[str, object]:
        """The message as DingTalk's robot APIs take it."""
        return {"msgtype": "actionCard", "actionCard": {
            "title": self.title, "text": self.text, "btnOrientation": "0",
            "btns": [{"title": b.title, "actionURL": b.action_url} for b in self.buttons]}}


# -- layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dialect:
    newline: str
    muted: Callable[[str], str]
    warning: Callable[[str], str]


_WECOM = _Dialect("\n", lambda t: f'<font color="comment">{t}</font>',
                  lambda t: f'<font color="warning">{t}</font>')
_DINGTALK = _Dialect("\n\n", lambda t: t, lambda t: f"**{t}**")


def _blocks(reply_blocks: Iterable[r.Block], dialect: _Dialect) -> list[str]:
    """Each block as markdown of the dialect (a clause in full gives several)."""
    nl = dialect.newline
    out: list[str] = []
    for block in reply_blocks:
        if isinstance(block, r.Lead):
            out.append(nl.join([f"**{escape(block.strong)}**{escape(block.rest)}",
                                *(escape(line) for line in block.notes if line)]))
        elif isinstance(block, r.Cited):
            lines = [_heading(block.label, block.clause_id)]
            if block.doc_title:
                lines.append(dialect.muted(f"《{escape(block.doc_title)}》"))
            if block.quote:
                lines.append(f"> {escape(block.quote)}")
            lines += _duties(block.units, block.deadline, dialect)
            out.append(nl.join(lines))
        elif isinstance(block, r.FullClause):
            title = [_heading(block.label, block.clause_id)]
            if block.doc_title:
                title.append(dialect.muted(escape(block.doc_title)))
            out += [nl.join(title), _paragraphs(block.text, nl),
                    *_duties(block.units, block.deadline, dialect)]
        elif isinstance(block, r.Catalog):
            out.append(nl.join([f"**{escape(block.heading)}**", *(_listed(d, dialect)
                                                                  for d in block.documents)]))
        else:
            out.append(_paragraphs(block.text, nl))
    return out


def _heading(label: str, clause_id: str) -> str:
    return f"📄 **{escape(label)}**（{escape(clause_id)}）"


def _duties(units: Sequence[Unit], deadline: str | None, dialect: _Dialect) -> list[str]:
    lines = []
    if units:
        lines.append("责任单位：" + "、".join(escape(u.name) + ("（牵头）" if u.lead else "")
                                         for u in units))
    if deadline:
        lines.append(f"完成时限：{dialect.warning(escape(deadline))}")
    return lines


def _listed(entry: r.Listed, dialect: _Dialect) -> str:
    number = f"（{escape(entry.number)}）" if entry.number else ""
    return (f"• {escape(entry.title)}{number}：{entry.clauses} 条，"
            f"编号 {dialect.muted(escape(entry.doc_id))}")


def _paragraphs(text: str, newline: str) -> str:
    return newline.join(line for line in escape(text).split("\n") if line.strip()) or "　"


def _actions(actions: Sequence[r.Action], link: Link | None, newline: str) -> str:
    """The actions as a block of links (a suggested question as text without ``link``)."""
    lines = []
    for action in actions:
        url = link(action) if link is not None else None
        if url:
            lines.append(f"[{escape(_clip(action.label, 60))}]({_url(url)})")
        elif action.kind == "ask" and action.question:
            lines.append(f"• {escape(action.question)}")
    return newline.join(lines)


# -- channels ------------------------------------------------------------------------------


def wecom(reply: r.Reply, link: Link | None = None, limit: int = WECOM_LIMIT
          ) -> list[WeComMarkdown]:
    """The WeCom markdown messages of a reply, each within ``limit`` bytes; its actions as
    links (or listed questions) at the end."""
    parts = _blocks(reply.blocks, _WECOM)
    actions = _actions(reply.buttons, link, "\n")
    if actions:
        parts.append(actions)
    return [WeComMarkdown(m) for m in pack(parts, limit, utf8_size, _guard)]


def dingtalk(reply: r.Reply, link: Link | None = None, limit: int = DINGTALK_LIMIT
             ) -> list[DingTalkMarkdown]:
    """The DingTalk markdown messages of a reply, each within ``limit``; its actions as links
    (or listed questions) at the end."""
    parts = _blocks(reply.blocks, _DINGTALK)
    actions = _actions(reply.buttons, link, "\n\n")
    if actions:
        parts.append(actions)
    title = _clip(reply.title, TITLE_LIMIT)
    return [DingTalkMarkdown(title, m) for m in pack(parts, limit, utf16_size, _guard)]


def dingtalk_card(reply: r.Reply, link: Link, limit: int = DINGTALK_LIMIT
                  ) -> list[DingTalkMarkdown | DingTalkActionCard]:
    """The reply's messages with its actions as ActionCard buttons under the last one: up to
    :data:`MAX_CARD_BUTTONS` (the rating buttons kept first), the rest as links in the card's
    text. Without an action that
    ``link`` gives a URL for, plain markdown messages."""
    linked = [(a, url) for a in reply.buttons if (url := link(a))]
    if not linked:
        return list(dingtalk(reply, None, limit))
    chosen = {id(a) for a in r.within([a for a, _ in linked], MAX_CARD_BUTTONS)}
    buttons = tuple(DingTalkButton(_clip(a.label, BUTTON_TITLE), url)
                    for a, url in linked if id(a) in chosen)
    parts = _blocks(reply.blocks, _DINGTALK)
    rest = [a for a, _ in linked if id(a) not in chosen]
    if rest:
        parts.append(_actions(rest, link, "\n\n"))
    title = _clip(reply.title, TITLE_LIMIT)
    texts = pack(parts, limit, utf16_size, _guard)
    messages: list[DingTalkMarkdown | DingTalkActionCard] = [
        DingTalkMarkdown(title, t) for t in texts[:-1]]
    messages.append(DingTalkActionCard(title, texts[-1], buttons))
    return messages
