"""A lexical-overlap baseline answerer, so that the evaluation has a real system to measure.

It ranks clauses by how many of the question's character bigrams they contain, quotes the
best-covered sentence, and refuses below a fixed score. It gives no verdicts. Every later
retrieval mode and the answer engine are compared against it.
"""

from __future__ import annotations

from collections.abc import Sequence

from contract.answer import Answer, Citation
from corpus.document import Clause, Document, Sentence
from corpus.links import bigrams
from engine.citation import cite
from index.search import Mode, Retriever

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
        citations = []
        for score, i in scored:
            clause = self._clauses[i]
            best = max(clause.sentences, key=lambda s: len(wanted & bigrams(s.text)), default=None)
            citations.append(_citation(clause, best, score))
        return _as_answer(question, citations)


def _citation(clause: Clause, sentence: Sentence | None, score: float) -> Citation:
    """Cite the clause with the sentence, its deadline first, else the clause's."""
    deadline = sentence.deadlines[0].text if sentence and sentence.deadlines else None
    return cite(clause, sentence.text if sentence else clause.text, score, deadline)


def _as_answer(question: str, citations: list[Citation]) -> Answer:
    """The best citation's quote as the answer, its units lead first."""
    best = citations[0]
    units = tuple(u.name for u in sorted(best.units, key=lambda u: not u.lead))
    return Answer(question=question, status="answered", answer=f"{best.quote}（{best.label}）",
                  units=units, deadline=best.deadline, citations=tuple(citations))


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
        return _as_answer(question, [
            _citation(hit.clause, hit.clause.sentences[hit.sentences[0]] if hit.sentences else None,
                      hit.score) for hit in hits])
