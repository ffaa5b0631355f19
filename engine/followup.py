"""Follow-up questions without an LLM: a short context per conversation, and the rule that
decides whether a question only makes sense with it.

After an answer a conversation keeps a :class:`Context`: the document and clause the answer
rests on, its units (lead first), its kind and the question that found the clause. The next
question is read against that clause when it names no topic of its own —

* a bare ask with no content words besides kind cues and aspect words (谁牵头, 哪个部门负责,
  什么时候完成, 时限呢, 具体怎么说的): who → the clause's units, when → its deadline, yes/no → a
  verdict read from it, as the answer engine reads any clause;
* a pronoun standing for the previous topic, with at most :data:`PRONOUN_WORDS` words of its
  own (这个要钱吗, 这个还需要审批吗);

and ``那福州呢`` (another place or unit, and nothing else) asks the previous question again with
the place or unit replaced. Any other question stands on its own: the context is ignored, and
the answer replaces it. The cue words are data (``data/follow_up_cues.json``).

:class:`Contexts` keeps the contexts in memory, one per conversation key, least recently used
out first and each forgotten ``ttl`` seconds after it was made. Adapters own one (it outlives an
index reload); :meth:`engine.service.PolicyQA.follow_up` answers a question with a context.
"""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, Protocol

from contract.answer import Answer, checked_question
from corpus.document import Clause
from engine.answerer import Answerer
from engine.question import Question, QuestionKind
from engine.vocabulary import Vocabulary, load_vocabulary

CUES_FILE = Path(__file__).parent / "data" / "follow_up_cues.json"
PRONOUN_WORDS = 2
"""A question that starts with a pronoun for the previous topic is a follow-up with at most
this many content words of its own (这个还需要审批吗); with more it names a topic (这个证照分离
改革全覆盖什么时候完成 is read on its own)."""
MAX_CONTEXTS = 10_000
"""Conversations kept at most, the least recently used forgotten first."""
LIST_KINDS = ("list_unit", "list_deadline")
_ASPECTS: tuple[tuple[str, QuestionKind], ...] = (("aspect_who", "who"), ("aspect_when", "when"))
_KIND_CUES = ("who", "when", "how_many", "yesno")
"""Cue classes of engine/data/question_cues.json whose words ask, not name a topic."""
_POLARITY_CUES = ("need", "can", "will", "is")
_TRAILING = re.compile(r"[\s？?。！!，,、.…~～]+$")


@dataclass(frozen=True)
class Context:
    """What a conversation keeps of its last answer."""

    doc_id: str
    clause_id: str
    units: tuple[str, ...]
    """The answer's units, lead first."""
    kind: str | None
    """The answer's kind (yesno, who, when, …)."""
    question: str
    """The question that found the clause (a follow-up keeps its topic's question)."""
    made: float = 0.0
    """When it was made, by the clock of the :class:`Contexts` that keeps it."""

    @classmethod
    def of(cls, answer: Answer, question: str | None = None) -> Context | None:
        """The context an answer leaves (``question`` found it; the answer's own question by
        default): the clause it cites first; None when it answered nothing."""
        if answer.status != "answered" or not answer.citations:
            return None
        first = answer.citations[0]
        return cls(first.doc_id, first.clause_id, answer.units, answer.kind,
                   question or answer.question)


class ContextStore(Protocol):
    """Where conversations' contexts are kept: :class:`Contexts` in one process's memory, or
    :class:`engine.sharedcontexts.SharedContexts` in Redis for several workers."""

    def get(self, key: str) -> Context | None:
        """The context of a conversation, None when it has none or it expired."""

    def put(self, key: str, context: Context | None) -> None:
        """Keep ``context`` for a conversation (None forgets the one it had)."""


class Contexts:
    """The contexts of many conversations in memory, by conversation key; never shared between
    keys, bounded (least recently used out first), each expiring ``ttl`` seconds after it was
    made (0: follow-ups are off, nothing is kept). Safe to use from several threads."""

    def __init__(self, ttl: float, max_size: int = MAX_CONTEXTS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if ttl < 0 or max_size < 1:
            raise ValueError("ttl must be >= 0 and max_size >= 1")
        self.ttl = ttl
        self._max = max_size
        self._clock = clock
        self._kept: OrderedDict[str, Context] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Context | None:
        """The context of a conversation, None when it has none or it expired."""
        with self._lock:
            context = self._kept.get(key)
            if context is None:
                return None
            if self._clock() - context.made >= self.ttl:
                del self._kept[key]
                return None
            self._kept.move_to_end(key)
            return context

    def put(self, key: str, context: Context | None) -> None:
        """Keep ``context`` for a conversation, made now (None forgets the one it had)."""
        with self._lock:
            self._kept.pop(key, None)
            if context is None or self.ttl == 0:
                return
            self._kept[key] = replace(context, made=self._clock())
            while len(self._kept) > self._max:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)


@dataclass(frozen=True)
class Turn:
    """A question answered in a conversation."""

    answer: Answer
    follow_up: bool
    """Read as a follow-up of the previous answer."""
    context: Context | None
    """What the conversation keeps after it (None: nothing)."""


@dataclass(frozen=True)
class Reading:
    """How a question is read with a context: on its own, against the previous clause, or as
    the previous question asked again (``question``: what to ask)."""

    way: Literal["standalone", "clause", "again"]
    question: str
    kind: QuestionKind | None = None
    """For ``clause``: the kind of answer wanted when the question reads as another."""


def load_follow_up_cues(path: Path = CUES_FILE) -> Vocabulary:
    """Read the follow-up cue words."""
    return load_vocabulary(path)


class FollowUps:
    """Questions answered with the context of a conversation, over the answer engine.

    ``clause`` finds a clause of the served index that is in force (None when it is not).
    """

    def __init__(self, answerer: Answerer, clause: Callable[[str, str], Clause | None],
                 cues: Vocabulary, question_cues: Vocabulary) -> None:
        self._answerer = answerer
        self._clause = clause
        self._cues = cues
        self._asking = tuple(w for name in _KIND_CUES for w in question_cues.words.get(name, ()))
        self._aspects = tuple(w for name in ("generic", "pronoun", "connector", "elaborate")
                              for w in cues.words.get(name, ()))
        self._polar = tuple(w for name in _POLARITY_CUES
                            for w in question_cues.words.get(name, ()))
        self._pronouns = sorted(cues.words.get("pronoun", ()), key=len, reverse=True)

    def answer(self, question: str, context: Context | None, top_k: int = 3,
               doc_id: str | None = None) -> Turn:
        """Answer ``question``, against the context when it only makes sense with it."""
        question = checked_question(question)
        if context is not None and doc_id is not None and context.doc_id != doc_id:
            context = None
        reading = self.read(question, context)
        if reading.way == "clause" and context is not None:
            clause = self._clause(context.doc_id, context.clause_id)
            if clause is not None:
                answer = self._about(question, clause, context.question, reading.kind)
                kept = Context(clause.doc_id, clause.clause_id, answer.units or context.units,
                               answer.kind, context.question)
                return Turn(answer, True, kept)
        if reading.way == "again":
            answer = self._answerer.ask(reading.question, top_k=top_k, doc_id=doc_id)
            answer = answer.model_copy(update={
                "question": question, "answer": f"{answer.answer}\n按上文理解为：{reading.question}"})
            return Turn(answer, True, Context.of(answer, reading.question))
        answer = self._answerer.ask(question, top_k=top_k, doc_id=doc_id)
        return Turn(answer, False, Context.of(answer, question))

    def read(self, question: str, context: Context | None) -> Reading:
        """Whether ``question`` stands on its own or follows up the context."""
        standalone = Reading("standalone", question)
        if context is None:
            return standalone
        q = self._answerer.understand(question)
        if q.kind in LIST_KINDS:
            return standalone
        core = _TRAILING.sub("", q.normalized)
        target = self._other_place_or_unit(core, q)
        if target is not None:
            return Reading("again", self._substituted(context.question, target))
        if context.kind in LIST_KINDS:  # a list has no one clause to read against
            return standalone
        content = self._content(q)
        aspect = next((kind for name, kind in _ASPECTS if self._cues.has(name, core)), None)
        asks = q.kind in ("who", "when", "how_many") or aspect is not None \
            or self._cues.has("elaborate", core) \
            or (q.kind == "yesno" and any(w in core for w in self._polar))
        if (self._pronoun(core) and len(content) <= PRONOUN_WORDS) or (not content and asks):
            return Reading("clause", question, aspect if q.kind == "what" else None)
        return standalone

    # -- reading ---------------------------------------------------------------------------

    def _content(self, q: Question) -> list[str]:
        """The question's own words that name a topic: not pronouns, connectors, aspect words
        or (parts of) the cue words that ask for a kind of answer."""
        terms = q.query.own_terms if q.query else []
        asking = [w for w in self._asking if w in q.normalized]
        return [t for t in terms if not any(t in w for w in (*self._aspects, *asking))]

    def _pronoun(self, core: str) -> bool:
        """The question starts with a pronoun for the previous topic (after a connector)."""
        rest = core
        for connector in sorted(self._cues.words.get("connector", ()), key=len, reverse=True):
            if rest.startswith(connector) and len(rest) > len(connector):
                rest = rest[len(connector):]
                break
        pronoun = next((p for p in self._pronouns if rest.startswith(p)), None)
        # 这个月, 这些年, 这里: a time or a place, not the previous topic.
        return pronoun is not None and not rest[len(pronoun):].startswith(
            self._cues.words.get("pronoun_not_before", ()))

    def _other_place_or_unit(self, core: str, q: Question) -> str | None:
        """X in 那X呢 / X的呢 / 如果是X呢 when X is a place or a unit and nothing else."""
        ending = next((w for w in self._cues.found("substitute_after", core)
                       if core.endswith(w)), None)
        if ending is None:
            return None
        named = core[: -len(ending)]
        opening = next((w for w in self._cues.found("substitute_before", named)
                        if named.startswith(w)), "")
        named = named[len(opening):].strip()
        if not named:
            return None
        if named in q.places or self._answerer.canonical_unit(named) in q.units:
            return named
        return None

    def _substituted(self, previous: str, target: str) -> str:
        """The previous question with its place or unit replaced by ``target`` (or with
        ``target`` before it when it names none)."""
        before = self._answerer.understand(previous)
        for place in sorted(before.places, key=len, reverse=True):
            if place in previous:
                return previous.replace(place, target, 1)
        for unit in before.units:
            named = unit if unit in previous else _alias_in(previous, unit, self._answerer)
            if named:
                return previous.replace(named, target, 1)
        return f"{target}{previous}"

    # -- answering -------------------------------------------------------------------------

    def _about(self, question: str, clause: Clause, topic: str,
               kind: QuestionKind | None) -> Answer:
        """The answer read from the previous answer's clause, its sentences ordered by the
        words of the topic and the follow-up; a clause without the fact asked for says so."""
        asked = self._answerer.understand(f"{topic}，{question}")
        words = set(asked.query.own_terms if asked.query else [])
        order = sorted(range(len(clause.sentences)),
                       key=lambda i: -sum(len(w) for w in words if w in clause.sentences[i].text))
        answer = self._answerer.about(question, clause, order[:3], kind)
        missing = "责任单位" if answer.kind == "who" and not answer.units else \
            "完成时限" if answer.kind == "when" and not answer.deadline else None
        if missing is None:
            return answer
        lines = answer.answer.split("\n")
        return answer.model_copy(update={
            "answer": "\n".join([f"这一条没有写明{missing}。", *lines[1:]])})


def _alias_in(text: str, unit: str, answerer: Answerer) -> str | None:
    """The longest part of ``text`` that names ``unit`` (民政厅 for 省民政厅)."""
    for size in range(min(len(text), 16), 1, -1):
        for start in range(len(text) - size + 1):
            if answerer.canonical_unit(text[start:start + size]) == unit:
                return text[start:start + size]
    return None
