"""Action payloads: what a button carries and sends back when pressed, for every chat channel.

A payload names what it shows by document id, clause id and the document's indexed version, so
a press after a restart over the same index shows the same clause, and a press after the notice
was edited or removed (or of anything garbled or foreign) is refused with :class:`Expired`,
never answered with another clause. Payloads are ASCII (clause ids as indexed) and at most
:data:`MAX_BYTES` (64, Telegram's ``callback_data`` limit), whatever the document ids are.

Grammar, fields separated by ``|``::

    c|<ref>                       show a clause in full (查看原文)
    m|<ref>~<s>|<ref>~<s>…        further citations (相关条款); each quotes sentence <s> of its
                                  clause (empty: the clause's text), as the answer did
    q|<corpus>|<n>                ask the n-th suggested question of that corpus
    f|<answer>|+                  rate an answer 有帮助 (👍)
    f|<answer>|-                  rate an answer 没帮助 (👎), no reason (yet)
    f|<answer>|-|<why>            rate it 👎 for a reason: o 答非所问 (off_topic), d 条款过时
                                  (outdated), u 没说清楚 (unclear), x 其他 (other)

    <ref>    = <doc>.<version>.<clause id>
    <doc>    = 6 characters of base64url(sha256(doc id)), resolved against the documents served
    <version>= the first 8 hex digits of the document's content hash (``PolicyQA.version``)
    <corpus> = the first 8 hex digits of the manifest's ``corpus_sha256`` (the suggestions are
               drawn from the corpus, so another corpus may number them differently)
    <answer> = the answer id the reply carried (``Reply.answer_id``): 32 lowercase hex digits

A rating payload is at most 40 bytes and names no document, so it resolves without the service
and survives a reindex; whether the question log knows its answer is the log's to say
(``QuestionLog.rate`` returns False for an id never recorded). Anything else beginning with
``f|`` (another length, upper case, an unknown reason letter, a reason after ``+``) is Expired.

相关条款 survives a restart because its payload lists the clauses (and quoted sentences) to show
rather than pointing at an answer kept in memory; the bot asks with ``top_k=3``, so there are at
most two, which fit. With more, :meth:`Payloads.related` keeps those that fit.

API (bound to the service that answers, e.g. ``Payloads(service)``)::

    Payloads.show_clause(doc_id, clause_id) -> str          # InputError if it cannot fit
    Payloads.related(citations, limit=MAX_BYTES) -> str | None
    Payloads.ask(n) -> str
    rating_payload(answer_id, rating, reason=None) -> str   # InputError for a malformed id
    Payloads.resolve(data) -> ShowClause | ShowRelated | AskQuestion | Rate   # or Expired
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from contract.answer import Citation
from contract.errors import InputError, NotFound
from corpus.document import Clause, Document
from engine.citation import cite
from engine.service import PolicyQA
from usage.record import Rating, Reason

logger = logging.getLogger(__name__)

MAX_BYTES = 64
"""Telegram's limit on callback data; every payload fits it."""
SHOW_CLAUSE, RELATED, ASK, RATE = "c", "m", "q", "f"
REASON_CODES: dict[Reason, str] = {
    "off_topic": "o", "outdated": "d", "unclear": "u", "other": "x"}
"""The letter a reason travels as (the order is the order of the reason buttons)."""
_REASONS: dict[str, Reason] = {code: reason for reason, code in REASON_CODES.items()}
_DOC, _VERSION = 6, 8
_REF = rf"[A-Za-z0-9_-]{{{_DOC}}}\.[0-9a-f]{{{_VERSION}}}\.[^|~]+"
_SHOW = re.compile(rf"c\|({_REF})")
_RELATED = re.compile(rf"m\|{_REF}~\d{{0,4}}(?:\|{_REF}~\d{{0,4}})*")
_ASK = re.compile(rf"q\|([0-9a-f]{{{_VERSION}}})\|(\d{{1,4}})")
_ANSWER_ID = re.compile(r"[0-9a-f]{32}")
_RATE = re.compile(r"f\|([0-9a-f]{32})\|(\+|-(?:\|([oudx]))?)")
_MAX_DECODED = 1024
"""Longer data was not made here (other channels may allow longer payloads than Telegram)."""


class Expired(InputError):
    """A payload that names nothing served now: its notice changed or is gone, or it is
    garbled or was never made here."""


@dataclass(frozen=True)
class ShowClause:
    """查看原文: a clause in full."""

    document: Document
    clause: Clause


@dataclass(frozen=True)
class ShowRelated:
    """相关条款: further citations, quoted as the answer quoted them."""

    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class AskQuestion:
    """A suggested question, to be asked as if typed."""

    question: str


@dataclass(frozen=True)
class Rate:
    """有帮助 / 没帮助 (and why) for the answer ``answer_id``."""

    answer_id: str
    rating: Rating
    reason: Reason | None = None


Press = ShowClause | ShowRelated | AskQuestion | Rate


@lru_cache(maxsize=4096)
def doc_key(doc_id: str) -> str:
    """The short key a payload names a document by (collisions are resolved by version)."""
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:_DOC]


def fits(data: str, limit: int = MAX_BYTES) -> bool:
    """True when ``data`` is within ``limit`` bytes (UTF-8)."""
    return len(data.encode("utf-8")) <= limit


def rating_payload(answer_id: str, rating: Rating, reason: Reason | None = None) -> str:
    """The payload that rates the answer ``answer_id`` (👍 1, or 👎 -1 with an optional
    reason); InputError when the id is not one Conversation gives or a 👍 has a reason."""
    if not _ANSWER_ID.fullmatch(answer_id):
        raise InputError(f"not an answer id: {answer_id[:40]!r}")
    if rating == 1:
        if reason is not None:
            raise InputError("a 👍 has no reason")
        return f"{RATE}|{answer_id}|+"
    return f"{RATE}|{answer_id}|-" + (f"|{REASON_CODES[reason]}" if reason else "")


def parse_rating(data: str) -> Rate | None:
    """The rating a payload asks for; None when it is not a well-formed rating payload."""
    match = _RATE.fullmatch(data)
    if match is None:
        return None
    answer_id, sign, code = match.groups()
    if sign == "+":
        return Rate(answer_id, 1)
    return Rate(answer_id, -1, _REASONS[code] if code else None)


@dataclass(frozen=True)
class Payloads:
    """Makes and resolves payloads against one served index."""

    service: PolicyQA

    # -- making --------------------------------------------------------------------------

    def show_clause(self, doc_id: str, clause_id: str) -> str:
        """查看原文 for a clause; InputError when its id is unusable or too long to fit."""
        data = f"{SHOW_CLAUSE}|{self._ref(doc_id, clause_id)}"
        if not fits(data):
            raise InputError(f"payload over {MAX_BYTES} bytes: {data!r}")
        return data

    def related(self, citations: Sequence[Citation], limit: int = MAX_BYTES) -> str | None:
        """相关条款 for these citations: as many as fit ``limit``, in order; None if none does."""
        data = RELATED
        kept = 0
        for citation in citations:
            try:
                part = f"{self._ref(citation.doc_id, citation.clause_id)}~{self._sentence(citation)}"
            except InputError:
                logger.debug("citation %s:%s cannot be named in a payload",
                             citation.doc_id, citation.clause_id)
                continue
            if not fits(f"{data}|{part}", limit):
                break
            data, kept = f"{data}|{part}", kept + 1
        if kept < len(citations):
            logger.debug("相关条款 holds %d of %d citations", kept, len(citations))
        return data if kept else None

    def ask(self, n: int) -> str:
        """The n-th suggested question."""
        return f"{ASK}|{self._corpus()}|{n}"

    # -- resolving -----------------------------------------------------------------------

    def resolve(self, data: str | None) -> Press:
        """What a pressed payload asks for now; Expired when it names nothing served."""
        text = data or ""
        if len(text) > _MAX_DECODED:
            raise Expired("payload too long")
        if match := _SHOW.fullmatch(text):
            document, clause = self._clause(match.group(1))
            return ShowClause(document, clause)
        if _RELATED.fullmatch(text):
            return ShowRelated(tuple(self._citation(part) for part in text.split("|")[1:]))
        if text.startswith(f"{RATE}|"):
            rate = parse_rating(text)
            if rate is None:
                raise Expired(f"malformed rating {text[:80]!r}")
            return rate
        if match := _ASK.fullmatch(text):
            suggestions = self.service.suggestions
            n = int(match.group(2))
            if match.group(1) != self._corpus() or n >= len(suggestions):
                raise Expired("the suggestions are of another corpus")
            return AskQuestion(suggestions[n])
        raise Expired(f"unknown payload {text[:80]!r}")

    # -- parts ---------------------------------------------------------------------------

    def _ref(self, doc_id: str, clause_id: str) -> str:
        if not clause_id or any(ch in clause_id for ch in "|~") or not clause_id.isprintable():
            raise InputError(f"clause id {clause_id!r} cannot be put in a payload")
        return f"{doc_key(doc_id)}.{self._version(doc_id)}.{clause_id}"

    def _version(self, doc_id: str) -> str:
        return self.service.version(doc_id)[:_VERSION]

    def _corpus(self) -> str:
        return self.service.manifest.corpus_sha256[:_VERSION]

    def _sentence(self, citation: Citation) -> str:
        """The position of the quoted sentence in its clause, or "" for the clause's text."""
        clause = self.service.clause(citation.doc_id, citation.clause_id)
        for i, sentence in enumerate(clause.sentences):
            if sentence.text == citation.quote:
                return str(i)
        return ""

    def _clause(self, ref: str) -> tuple[Document, Clause]:
        key, version, clause_id = ref.split(".", 2)
        for document in self.service.documents:
            if doc_key(document.doc_id) == key and self._version(document.doc_id) == version:
                try:
                    return document, self.service.clause(document.doc_id, clause_id)
                except NotFound:
                    continue
        raise Expired(f"no clause {clause_id!r} of version {version} of document {key}")

    def _citation(self, part: str) -> Citation:
        ref, sentence = part.rsplit("~", 1)
        document, clause = self._clause(ref)
        if sentence and int(sentence) >= len(clause.sentences):
            raise Expired(f"no sentence {sentence} in {clause.doc_id}:{clause.clause_id}")
        quote = clause.sentences[int(sentence)].text if sentence else clause.text
        own = clause.deadline_of(quote)
        return cite(clause, quote, 0.0, own.text if own else None, document.short_title)
