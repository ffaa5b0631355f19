"""Hybrid search: BM25 and dense rankings fused, with appendix rows and body clauses
supporting each other, and the best-matching sentences of each hit.

A repealed notice (status 废止) is never cited as current: its clauses are left out of the
rankings unless a search asks for them (to say that the notice was superseded).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol

import numpy as np

from corpus.document import Clause, Document
from index.backend import Backend, Ranked, Where
from index.bilingual import Bilingual
from index.embedded import EmbeddedBackend, in_force
from index.encoder import Encoder
from index.lexicon import Lexicon
from index.normalize import normalize_question
from index.store import LoadedIndex

logger = logging.getLogger(__name__)

Mode = Literal["bm25", "dense", "hybrid"]
Fusion = Literal["rrf", "score"]
MODES: tuple[Mode, ...] = ("bm25", "dense", "hybrid")
EXPANSION_WEIGHT = 0.5
"""A lexicon term counts half as much as a word the person actually wrote."""
CANDIDATES = 100
"""Clauses each side hands to fusion: enough that the right one is among them whenever either
side ranks it anywhere near the top, few enough that fusion costs the same at any corpus size."""
MAX_CACHED_TERMS = 20_000
"""Lexicon terms whose tokens are kept (the shipped lexicon has far fewer)."""


@dataclass(frozen=True)
class Filters:
    """Restrict hits to a document, a unit (lead or not) or a deadline as written."""

    doc_id: str | None = None
    unit: str | None = None
    deadline: str | None = None
    repealed: bool = False
    """Admit the clauses of repealed notices too (only to say they were superseded)."""
    region: str | None = None
    """Only documents of this region (e.g. 福建)."""

    def where(self) -> Where:
        """The filters as the store applies them."""
        return Where(doc_id=self.doc_id, unit=self.unit, deadline=self.deadline,
                     region=self.region, repealed=self.repealed)

    def admit(self, clause: Clause) -> bool:
        """True when the clause passes every filter that is set."""
        if self.doc_id and clause.doc_id != self.doc_id:
            return False
        if self.unit and self.unit not in {u.name for u in clause.units}:
            return False
        return not (self.deadline and self.deadline not in {d.text for d in clause.deadlines})


@dataclass(frozen=True)
class Query:
    """A question as retrieval reads it, worked out once: normalised text, the weighted tokens
    BM25 scores (the question's own at 1.0, lexicon terms at :data:`EXPANSION_WEIGHT`), the
    lexicon's official terms for its everyday words, and the text the dense side embeds."""

    text: str
    terms: tuple[tuple[str, float], ...]
    expansions: tuple[str, ...]
    dense_text: str
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)
    """``dense_text`` embedded, when a question is searched more than once (see
    :meth:`HybridRetriever.embedded`)."""

    @property
    def own_terms(self) -> list[str]:
        """The question's own words (not lexicon terms) of two characters or more."""
        return [t for t, w in self.terms if w == 1.0 and len(t) > 1]


@dataclass(frozen=True)
class Hit:
    """A clause found for a question, with its fused score and best sentences."""

    clause: Clause
    score: float
    sentences: tuple[int, ...]
    """Positions in ``clause.sentences`` of the best-matching sentences, best first."""
    ranks: Mapping[str, int | None] = field(default_factory=dict)
    """Rank (1-based) of the clause in each retriever's own list; None when it was not found."""
    similarity: float = 0.0
    """Cosine similarity of the question and the clause's best vector (dense side)."""


class Retriever(Protocol):
    """Ranked clauses for a question."""

    def search(self, question: str, k: int = 10, *, mode: Mode = "hybrid",
               filters: Filters | None = None) -> list[Hit]:
        """The ``k`` best hits."""
        ...


class HybridRetriever:
    """Reciprocal-rank fusion of BM25 (with lexicon expansion) and dense retrieval.

    Each side asks the store (:mod:`index.backend`) for its best ``candidates`` clauses under
    the filters; fusion, row↔clause support and sentence choice then work on those few hundred
    clauses and the ones they link to, never on the whole corpus.
    """

    def __init__(self, index: LoadedIndex, encoder: Encoder, lexicon: Lexicon, *,
                 backend: Backend | None = None, candidates: int = CANDIDATES,
                 fusion: Fusion = "rrf", rrf_k: float = 10.0, lexical_weight: float = 0.7,
                 unknown_weight: float = 0.6, link_weight: float = 0.05,
                 bilingual: Bilingual | None = None) -> None:
        self._index = index
        self._encoder = encoder
        self._lexicon = lexicon
        self._bilingual = bilingual
        self._backend: Backend = backend if backend is not None else EmbeddedBackend(index)
        self._candidates = candidates
        self._fusion = fusion
        self._rrf_k = rrf_k
        self._lexical_weight = lexical_weight
        self._unknown_weight = unknown_weight
        self._link_weight = link_weight
        self._position = {(c.doc_id, c.clause_id): i for i, c in enumerate(index.clauses)}
        self._links = [
            tuple(self._position[(c.doc_id, link)] for link in c.links
                  if (c.doc_id, link) in self._position)
            for c in index.clauses]
        current = {d.doc_id for d in index.documents if in_force(d)}
        self._in_force = np.array([c.doc_id in current for c in index.clauses], dtype=bool)
        self._region_of = {d.doc_id: d.region for d in index.documents}
        self._lexicon_tokens: dict[str, tuple[str, ...]] = {}

    @property
    def documents(self) -> Sequence[Document]:
        """Every indexed document."""
        return self._index.documents

    @property
    def clauses(self) -> Sequence[Clause]:
        """Every indexed clause, in corpus order."""
        return self._index.clauses

    @property
    def has_repealed(self) -> bool:
        """True when some indexed notice is repealed."""
        return not bool(self._in_force.all())

    def in_force(self, clause: Clause) -> bool:
        """False for a clause of a repealed notice."""
        return bool(self._in_force[self._position[(clause.doc_id, clause.clause_id)]])

    def knows(self, token: str) -> bool:
        """True when ``token`` occurs somewhere in the corpus."""
        return self._index.bm25.knows(token)

    def idf(self, token: str) -> float:
        """How rare ``token`` is in the corpus (highest when it never occurs)."""
        return self._index.bm25.idf(token)

    def expand(self, tokens: list[str], text: str) -> list[str]:
        """Official terms for the words of ``text``: the lexicon's, and for English text the
        Chinese words the corpus uses for its words (:mod:`index.bilingual`)."""
        found = self._lexicon.expand(tokens, text)
        if self._bilingual is not None and \
                sum(ch.isascii() and ch.isalpha() for ch in text) > len(text) / 3:
            found += [t for t in self._bilingual.terms(text, self.knows) if t not in found]
        return found

    def translations(self, phrase: str) -> list[str]:
        """Chinese words the corpus uses for an English phrase as a whole ([] without the
        dictionary)."""
        return self._bilingual.phrase(phrase, self.knows) if self._bilingual is not None else []

    def query(self, question: str) -> Query:
        """Read ``question`` once: normalise, tokenise, expand through the lexicon."""
        text = normalize_question(question)
        tokenizer = self._index.tokenizer
        tokens = tokenizer.tokens(text)
        expansions = self.expand(tokens, text)
        weighted = [(t, 1.0) for t in tokens]
        for term in expansions:
            weighted += [(t, EXPANSION_WEIGHT) for t in self._term_tokens(term) if t not in tokens]
        return Query(text=text, terms=tuple(weighted), expansions=tuple(expansions),
                     dense_text=_dense_text(text, expansions))

    def _term_tokens(self, term: str) -> tuple[str, ...]:
        """The tokens of a lexicon term, cut once: the lexicon's terms come back question after
        question (a bounded set, unlike questions, which are never cached)."""
        found = self._lexicon_tokens.get(term)
        if found is None:
            found = tuple(self._index.tokenizer.tokens(term))
            if len(self._lexicon_tokens) < MAX_CACHED_TERMS:
                self._lexicon_tokens[term] = found
        return found

    def embedded(self, question: str | Query) -> Query:
        """The question read and embedded once, for several searches (the encoder is the
        costly part of a search; nothing is cached across questions)."""
        query = question if isinstance(question, Query) else self.query(question)
        if query.vector is not None:
            return query
        return replace(query, vector=self._encoder.encode([query.dense_text], "query")[0])

    def search(self, question: str | Query, k: int = 10, *, mode: Mode = "hybrid",
               filters: Filters | None = None) -> list[Hit]:
        """The ``k`` best clauses for ``question`` under ``mode``, with their best sentences."""
        query = question if isinstance(question, Query) else self.query(question)
        where = (filters or Filters()).where()
        weighted = query.terms
        want = max(k, self._candidates)
        lexical = self._backend.lexical(weighted, want, where) if mode != "dense" else None
        vector = None
        dense = None
        if mode != "bm25":
            vector = query.vector if query.vector is not None else \
                self._encoder.encode([query.dense_text], "query")[0]
            dense = self._backend.dense(vector, want, where)

        ranks: dict[str, dict[int, int]] = {}
        if lexical is not None:
            ranks["bm25"] = {c: r for r, (c, _) in enumerate(lexical, start=1)}
        if dense is not None:
            ranks["dense"] = {c: r for r, (c, _) in enumerate(dense, start=1)}
        fused: dict[int, float] = {}
        if self._fusion == "score" and lexical is not None and dense is not None:
            fused = self._score_fusion(lexical, dense)
        else:
            lexical_weight = self._adaptive_weight(weighted)
            for name, rank in ranks.items():
                weight = 2 * lexical_weight if name == "bm25" else 2 * (1 - lexical_weight)
                for clause, r in rank.items():
                    fused[clause] = fused.get(clause, 0.0) + weight / (self._rrf_k + r)
        # An appendix row and the body clause it belongs to support each other; a linked clause
        # that neither side ranked may still follow its partner.
        supported = self._supported(fused, filters)
        order = ranked(supported, dict(dense) if dense is not None else {}, k)
        sims = self._backend.similarities(vector, order) if vector is not None else {}
        terms = tuple(dict.fromkeys(t for t, _ in weighted if len(t) > 1))
        return [Hit(clause=self._index.clauses[i], score=float(supported[i]),
                    sentences=self._best_sentences(i, sims.get(i), terms),
                    ranks={name: r.get(i) for name, r in ranks.items()},
                    similarity=max(sims[i].values(), default=-1.0) if i in sims else 0.0)
                for i in order]

    def _supported(self, fused: dict[int, float], filters: Filters | None) -> dict[int, float]:
        """Fused scores with each clause's best linked partner's added (a share of it), and the
        partners that only a link brought in, when the filters admit them. Most clauses have no
        link: only the linked ones are looked at twice."""
        supported: dict[int, float] = {}
        brought: dict[int, None] = {}
        for clause, score in fused.items():
            links = self._links[clause]
            if links:
                linked = [fused[j] for j in links if j in fused]
                if linked:
                    score += self._link_weight * max(linked)
                brought.update((j, None) for j in links if j not in fused)
            if score > 0:
                supported[clause] = score
        admitted = (filters or Filters()).admit
        for clause in brought:
            linked = [fused[j] for j in self._links[clause] if j in fused]
            score = self._link_weight * max(linked) if linked else 0.0
            if score > 0 and self._admits(clause, filters, admitted):
                supported[clause] = score
        return supported

    def _admits(self, clause: int, filters: Filters | None,
                admitted: Callable[[Clause], bool]) -> bool:
        """Whether a clause that only a link brought in passes the filters the store applied."""
        if not (filters and filters.repealed) and not self._in_force[clause]:
            return False
        found = self._index.clauses[clause]
        if filters and filters.region and self._region_of.get(found.doc_id) != filters.region:
            return False
        return admitted(found)

    def _adaptive_weight(self, weighted: Sequence[tuple[str, float]]) -> float:
        """The lexical side's weight, lowered by the share of the question's own words that
        the corpus never uses: everyday wording leaves BM25 little to match, while the dense
        side still reads the meaning."""
        own = [t for t, w in weighted if w == 1.0 and len(t) > 1]
        if not own or not self._unknown_weight:
            return self._lexical_weight
        unknown = sum(1 for t in own if not self._index.bm25.knows(t)) / len(own)
        return max(0.0, self._lexical_weight - self._unknown_weight * unknown)

    def _score_fusion(self, lexical: Ranked, dense: Ranked) -> dict[int, float]:
        """Scores scaled to [0, 1] per side (BM25 by its maximum, cosine by min–max over the
        candidates), mixed."""
        w = self._lexical_weight
        fused: dict[int, float] = {}
        top_score = max((s for _, s in lexical), default=0.0)
        for clause, score in lexical:
            fused[clause] = w * (score / top_score if top_score > 0 else 0.0)
        sims = [s for _, s in dense]
        low, high = (min(sims), max(sims)) if sims else (0.0, 0.0)
        for clause, sim in dense:
            part = (sim - low) / (high - low) if high > low else 0.0
            fused[clause] = fused.get(clause, 0.0) + (1 - w) * part
        return {c: s + 1e-9 for c, s in fused.items()}

    def _best_sentences(self, clause: int, sims: Mapping[int, float] | None,
                        terms: Sequence[str]) -> tuple[int, ...]:
        """The clause's three best sentences: by similarity to the question, then by the
        characters of the question's ``terms`` (distinct, longer than one character) in them."""
        sentences = self._index.clauses[clause].sentences
        if not sentences:
            return ()
        scored: list[tuple[float, int]] = []
        for position, sentence in enumerate(sentences):
            overlap = sum(len(t) for t in terms if t in sentence.text)
            dense = float(sims.get(position, 0.0)) if sims is not None else 0.0
            scored.append((dense + 0.02 * overlap, position))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return tuple(position for _, position in scored[:3])


def ranked(scores: Mapping[int, float], closeness: Mapping[int, float], k: int) -> list[int]:
    """The ``k`` best clauses: the higher score first; of equal scores (first on one side and
    second on the other, the sides weighed alike) the closer in meaning, then the earlier."""
    return sorted(scores, key=lambda c: (-round(scores[c], 12), -closeness.get(c, -1.0), c))[:k]


def _dense_text(question: str, expansions: Sequence[str]) -> str:
    """What the dense side embeds: an English question with the Chinese terms its words stand
    for (the notices are Chinese), any other question as asked."""
    letters = [ch for ch in question if ch.isalpha()]
    if not letters or sum(ch.isascii() for ch in letters) <= len(letters) / 2 or not expansions:
        return question
    return f"{question}（{'、'.join(expansions)}）"
