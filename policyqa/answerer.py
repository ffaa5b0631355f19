"""The answer engine: a direct, cited answer with verdict, units and deadline — or ``not_found``.

Deterministic and extractive: the quote is a sentence of the notice, units and deadlines are the
notice's data, and the verdict is read from what the quoted sentence does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from corpus.document import Clause
from corpus.links import bigrams
from corpus.units import UnitAliases
from index.lexicon import Lexicon
from index.search import Filters, Hit, HybridRetriever
from policyqa.contract import Answer, Citation, CitedUnit, checked_question
from policyqa.listing import by_deadline, by_unit
from policyqa.phrasing import Phrasing
from policyqa.question import Cues, NoWords, Question, Words, understand
from policyqa.verdict import Reading, Signals, decide

logger = logging.getLogger(__name__)

LIST_LIMIT = 30
# A quantity, not a year: 100项, 3万个, 1～2家, 500平方米, 129项 (but not 2021年).
_QUANTITY = re.compile(
    r"(?<!\d)(?!\d{4}年)\d+(?:\.\d+)?(?:[～~\-—至]\d+)?(?:%|个|项|家|名|万|亿|元|平方米|人|天|倍|税|类|件|次)")


@dataclass(frozen=True)
class Evidence:
    """How strongly the best hit supports answering at all."""

    similarity: float
    """Cosine similarity of the question and the best clause (or sentence) vector."""
    coverage: float
    """Share of the question's content words found in the clause, directly or as a lexicon term."""
    has_answer_type: bool = True
    """The clause holds the kind of fact asked for (a quantity for 多少, a date for 什么时候)."""

    def strong(self, similarity_floor: float, coverage_floor: float) -> bool:
        """True when the clause has what was asked for and either side is confident enough."""
        return self.has_answer_type and (
            self.similarity >= similarity_floor or self.coverage >= coverage_floor)


class Answerer:
    """Answers questions over an index; one instance serves the CLI, the API, the bot and eval."""

    def __init__(self, retriever: HybridRetriever, lexicon: Lexicon, aliases: UnitAliases,
                 cues: Cues, signals: Signals, *, phrasing: Phrasing | None = None,
                 words: Words | None = None,
                 similarity_floor: float = 0.88, coverage_floor: float = 0.6,
                 english_floor: float = 0.76) -> None:
        self._retriever = retriever
        self._phrasing = phrasing or Phrasing()
        self._words = words or NoWords()
        self._lexicon = lexicon
        self._aliases = aliases
        self._cues = cues
        self._signals = signals
        self._similarity_floor = similarity_floor
        self._coverage_floor = coverage_floor
        self._english_floor = english_floor
        self._clauses = list(retriever.clauses)
        self._by_id = {(c.doc_id, c.clause_id): c for c in self._clauses}
        self._units = {u.name for c in self._clauses for u in c.units}
        self._deadlines = {d.text for c in self._clauses for d in c.deadlines}

    def understand(self, question: str) -> Question:
        """The question as the engine reads it."""
        return understand(question, self._cues, self._aliases, self._units, self._deadlines,
                          self._phrasing, self._words)

    def canonical_unit(self, name: str) -> str:
        """A unit's name as the notices write it (aliases such as 民政厅 resolved)."""
        return self._aliases.canonical(name.strip())

    def ask(self, question: str, top_k: int = 3, doc_id: str | None = None) -> Answer:
        """Answer one question, from one document when ``doc_id`` is given."""
        q = self.understand(checked_question(question))
        clauses = [c for c in self._clauses if doc_id is None or c.doc_id == doc_id]
        if q.kind == "list_unit" and q.units:
            tasks = list(dict.fromkeys(c for unit in q.units for c in by_unit(clauses, unit)))
            return self._list(q, tasks, units=q.units)
        if q.kind == "list_deadline":
            listed = by_deadline(clauses, q)
            if listed:
                return self._list(q, listed)
        hits = self._retriever.search(q.normalized, k=max(top_k, 5),
                                      filters=Filters(doc_id=doc_id) if doc_id else None)
        if not hits:
            return self._not_found(q, hits)
        evidence = self._evidence(q, hits[0])
        # English questions meet Chinese text only on the dense side, at lower similarities.
        floor = self._english_floor if q.english else self._similarity_floor
        if not evidence.strong(floor, self._coverage_floor):
            return self._not_found(q, hits)
        return self._compose(q, hits[:max(top_k, 1)])

    def evidence(self, question: str) -> Evidence | None:
        """The refusal evidence for a question (for calibrating the thresholds)."""
        q = self.understand(question)
        hits = self._retriever.search(q.normalized, k=1)
        return self._evidence(q, hits[0]) if hits else None

    def _evidence(self, q: Question, hit: Hit) -> Evidence:
        clause = hit.clause
        terms = [t for t, w in self._retriever.query_terms(q.normalized) if w == 1.0 and len(t) > 1]
        text = clause.text + clause.label
        covered = sum(1 for t in terms
                      if t in text or any(e in text for e in self._lexicon.expand([t], t)))
        coverage = covered / len(terms) if terms else 0.0
        has_type = True
        if q.kind == "how_many":
            best = [clause.sentences[i].text for i in hit.sentences[:3]] or [clause.text]
            has_type = any(_QUANTITY.search(s) for s in best)
        elif q.kind == "when":
            row = self._linked_row(clause, clause.text)
            has_type = bool(clause.deadlines or (row and row.deadlines) or clause.links)
        return Evidence(similarity=hit.similarity, coverage=coverage, has_answer_type=has_type)

    # -- composing --------------------------------------------------------------------------

    def _compose(self, q: Question, hits: Sequence[Hit]) -> Answer:
        best = hits[0]
        quote_order = list(best.sentences) or list(range(len(best.clause.sentences)))
        sentences = [best.clause.sentences[i].text for i in quote_order]
        expansions = self._lexicon.expand([], q.normalized)
        reading = decide(q, sentences, expansions, self._signals, self._words) \
            if q.kind == "yesno" else Reading(None)
        quote_index = self._quote_index(q, best, reading)
        quote = best.clause.sentences[quote_index].text if best.clause.sentences else best.clause.text
        row = self._linked_row(best.clause, quote)
        cited_units = self._units_for(best.clause, row)
        units = [u.name for u in cited_units]
        deadline = self._deadline_for(best.clause, quote_index, row)
        citations = [Citation.of(best.clause, quote, best.score, deadline)]
        for hit in hits[1:]:
            other = hit.clause.sentences[hit.sentences[0]].text if hit.sentences else hit.clause.text
            citations.append(Citation.of(hit.clause, other, hit.score, None))
        lines = [self._direct(q, reading, cited_units, deadline, quote),
                 f"依据：{best.clause.label}：“{quote}”"]
        if cited_units:
            lines.append("责任单位：" + "、".join(u.name + "（牵头）" * u.lead for u in cited_units))
        if deadline:
            lines.append(f"完成时限：{deadline}")
        if best.clause.standing_units and q.kind == "who":
            lines.append("另：" + "、".join(best.clause.standing_units) + "也需抓好落实。")
        return Answer(question=q.text, status="answered", answer="\n".join(lines),
                      verdict=reading.verdict, units=tuple(units), deadline=deadline,
                      citations=tuple(citations))

    def _quote_index(self, q: Question, hit: Hit, reading: Reading) -> int:
        sentences = hit.clause.sentences
        if not sentences:
            return 0
        if reading.segment:
            for i, sentence in enumerate(sentences):
                if reading.segment in sentence.text:
                    return i
        ranked = list(hit.sentences) or list(range(len(sentences)))
        # A sentence that only repeats the clause's heading says nothing; quote one that does.
        ranked = [i for i in ranked if not _bare_heading(hit.clause, i)] or ranked
        if q.kind == "when":
            dated = [i for i in ranked if sentences[i].deadlines]
            if dated:
                return dated[0]
        return ranked[0]

    def _linked_row(self, clause: Clause, quote: str) -> Clause | None:
        """The appendix row that summarises the quoted sentence (or the row itself)."""
        if clause.kind == "appendix_task":
            return clause
        rows = [r for link in clause.links if (r := self._by_id.get((clause.doc_id, link)))]
        scored = [(len(bigrams(r.text) & bigrams(quote)) / max(1, len(bigrams(r.text))), r)
                  for r in rows]
        best = max(scored, key=lambda item: item[0], default=None)
        return best[1] if best and best[0] >= 0.5 else None

    def _units_for(self, clause: Clause, row: Clause | None) -> list[CitedUnit]:
        """Lead units first (the row's 牵头单位, then the clause's leads), then the rest."""
        body = clause if clause.kind != "appendix_task" else self._body_of(clause)
        ordered: dict[str, bool] = {}
        sources = [row.units if row else (), body.units if body else (), clause.units]
        for leads_only in (True, False):
            for units in sources:
                for unit in units:
                    if (unit.lead or not leads_only) and unit.name not in ordered:
                        ordered[unit.name] = unit.lead
        return [CitedUnit(name=name, lead=lead) for name, lead in ordered.items()]

    def _body_of(self, row: Clause) -> Clause | None:
        return next((c for link in row.links if (c := self._by_id.get((row.doc_id, link)))), None)

    def _deadline_for(self, clause: Clause, quote_index: int, row: Clause | None) -> str | None:
        if row and row.deadline and (row.deadline.date or clause.kind == "appendix_task"):
            return row.deadline.text
        if clause.sentences and clause.sentences[quote_index].deadlines:
            return clause.sentences[quote_index].deadlines[0].text
        if row and row.deadline:
            return row.deadline.text
        return None

    def _direct(self, q: Question, reading: Reading, units: list[CitedUnit],
                deadline: str | None, quote: str) -> str:
        if q.kind == "yesno":
            return _yes_no_line(q, reading, deadline, quote)
        if q.kind == "who" and units:
            leads = [u.name for u in units if u.lead]
            others = [u.name for u in units if not u.lead]
            if not leads:
                return f"由{'、'.join(others[:4])}{'等' if len(others) > 4 else ''}按职责分工负责。"
            text = f"由{'、'.join(leads)}牵头"
            return text + (f"，{'、'.join(others[:3])}等按职责分工负责。" if others else "负责。")
        if q.kind == "when" and deadline:
            return f"{deadline}。"
        return quote

    def _list(self, q: Question, clauses: Sequence[Clause], units: Sequence[str] = ()) -> Answer:
        """Every task of the units or deadline (up to LIST_LIMIT), whatever top_k says."""
        if not clauses:
            return self._not_found(q, [])
        shown = list(clauses[:LIST_LIMIT])
        subject = "、".join(units) or q.deadline or "、".join(f"{y}年" for y in q.years)
        header = f"共找到{len(clauses)}项与“{subject}”有关的任务："
        items = [f"{i}. {c.label}" + (f"（{c.heading}）" if c.kind == "appendix_task" and c.heading
                                      else "")
                 + (f"，{c.deadline.text}" if c.deadline else "")
                 for i, c in enumerate(shown, start=1)]
        citations = tuple(Citation.of(c, substance(c), 1.0 / rank, None)
                          for rank, c in enumerate(shown, start=1))
        return Answer(question=q.text, status="answered", answer="\n".join([header, *items]),
                      units=tuple(units), deadline=q.deadline, citations=citations)

    def _not_found(self, q: Question, hits: Sequence[Hit]) -> Answer:
        topics = "、".join(dict.fromkeys(h.clause.heading or h.clause.section for h in hits[:3]
                                          if h.clause.heading or h.clause.section))
        message = "没有在已收录的政策文件中找到能回答这个问题的内容。"
        if topics:
            message += f"相近的内容有：{topics}。"
        return Answer(question=q.text, status="not_found", answer=message)


_YES = {"need": "需要。", "can": "可以。", "will": "会。", "is": "是的。", "has": "有。"}
_NO = {"need": "不需要。", "can": "不可以。", "will": "不会。", "is": "不是。", "has": "没有。"}


def _yes_no_line(q: Question, reading: Reading, deadline: str | None, quote: str) -> str:
    """The direct answer to a yes/no question, or what the notice says instead of yes or no."""
    polarity = q.polarity or "is"
    if reading.verdict == "no":
        return _NO[polarity]
    if reading.verdict == "yes":
        if polarity == "will" and deadline:  # 会不会…: yes, and by when
            return f"会，{deadline}。" if deadline.startswith("按") else f"会，按计划{deadline}完成。"
        return _YES[polarity]
    if reading.trial:
        return f"文件只提出试点：{reading.segment}。"
    said = reading.segment or quote.rstrip("。；;")
    return f"文件没有直接回答是或否，相关规定是：{said}。"


def _bare_heading(clause: Clause, index: int) -> bool:
    """True when sentence ``index`` of ``clause`` only repeats the clause's heading."""
    return bool(clause.heading) and \
        clause.sentences[index].text.rstrip("。；;. ") == clause.heading


def substance(clause: Clause) -> str:
    """The clause's first sentence that says more than its heading (its text if none does)."""
    for index, sentence in enumerate(clause.sentences):
        if not _bare_heading(clause, index):
            return sentence.text
    return clause.text
