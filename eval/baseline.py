"""A lexical-overlap baseline answerer, so that the evaluation has a real system to measure.

It ranks clauses by how many of the question's character bigrams they contain, quotes the
best-covered sentence, and refuses below a fixed score. It gives no verdicts. Every later
retrieval mode and the answer engine are compared against it.
"""

from __future__ import annotations

from collections.abc import Sequence

from corpus.document import Clause, Document
from corpus.links import bigrams
from index.search import Hit, Mode, Retriever
from policyqa.contract import Answer, Citation, CitedUnit

DEFAULT_THRESHOLD = 0.35


class OverlapAnswerer:
    """Answers from the clause whose text covers most of the question's bigrams."""

    def __init__(self, documents: Sequence[Document], threshold: float = DEFAULT_THRESHOLD) -> None:
        self._clauses = [c for d in documents for c in d.clauses]
        self._grams = [bigrams(c.text + c.label) for c in self._clauses]
        self._threshold = threshold

    def ask(self, question: str, top_k: int = 3) -> Answer:
        """Answer with the best-covering clauses, or ``not_found`` below the threshold."""
        wanted = bigrams(question)
        if not wanted:
            return _not_found(question)
        scored = sorted(
            ((len(wanted & grams) / len(wanted), i) for i, grams in enumerate(self._grams)),
            key=lambda item: (-item[0], item[1]))[:top_k]
        if not scored or scored[0][0] < self._threshold:
            return _not_found(question)
        citations = tuple(_cite(self._clauses[i], wanted, score) for score, i in scored)
        best = citations[0]
        units = tuple(u.name for u in sorted(best.units, key=lambda u: not u.lead))
        return Answer(question=question, status="answered",
                      answer=f"{best.quote}（{best.label}）", units=units,
                      deadline=best.deadline, citations=citations)


def _cite(clause: Clause, wanted: set[str], score: float) -> Citation:
    sentences = clause.sentences or ()
    best = max(sentences, key=lambda s: len(wanted & bigrams(s.text)), default=None)
    deadline = (best.deadlines[0].text if best and best.deadlines
                else clause.deadline.text if clause.deadline else None)
    return Citation(
        doc_id=clause.doc_id, clause_id=clause.clause_id, label=clause.label,
        quote=best.text if best else clause.text, text=clause.text,
        units=tuple(CitedUnit(name=u.name, lead=u.lead) for u in clause.units),
        deadline=deadline, score=round(score, 4))


def _not_found(question: str) -> Answer:
    return Answer(question=question, status="not_found",
                  answer="没有在文件中找到能回答这个问题的条款。")


class RetrievalAnswerer:
    """Answers with the retriever's hits as they come, to compare retrieval modes.

    It never refuses and gives no verdicts: it measures ranking, not answering.
    """

    def __init__(self, retriever: Retriever, mode: Mode) -> None:
        self._retriever = retriever
        self._mode = mode

    def ask(self, question: str, top_k: int = 3) -> Answer:
        """The hits of one retrieval mode as an answer."""
        hits = self._retriever.search(question, k=top_k, mode=self._mode)
        if not hits:
            return _not_found(question)
        citations = tuple(_hit_citation(hit) for hit in hits)
        best = citations[0]
        units = tuple(u.name for u in sorted(best.units, key=lambda u: not u.lead))
        return Answer(question=question, status="answered", answer=f"{best.quote}（{best.label}）",
                      units=units, deadline=best.deadline, citations=citations)


def _hit_citation(hit: Hit) -> Citation:
    clause = hit.clause
    sentence = clause.sentences[hit.sentences[0]] if hit.sentences else None
    deadline = (sentence.deadlines[0].text if sentence and sentence.deadlines
                else clause.deadline.text if clause.deadline else None)
    return Citation(
        doc_id=clause.doc_id, clause_id=clause.clause_id, label=clause.label,
        quote=sentence.text if sentence else clause.text, text=clause.text,
        units=tuple(CitedUnit(name=u.name, lead=u.lead) for u in clause.units),
        deadline=deadline, score=round(hit.score, 6))
