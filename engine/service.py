"""The service: one object over one loaded index that every adapter calls.

The API's routes, the chat channels' handlers, the command line and the evaluation scripts ask
it questions and look things up in the corpus; none of them reaches past it into the retriever or
the answer engine's parts. Its lookup tables (documents, clauses by id, units and their tasks)
are built once, when it is made.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from contract.answer import Answer, checked_question
from contract.errors import NotFound
from corpus.document import Clause, Document
from corpus.units import load_aliases
from engine.answerer import Answerer
from engine.closeness import load_closeness
from engine.followup import Context, FollowUps, Turn, load_follow_up_cues
from engine.listing import by_unit
from engine.phrasing import load_phrasing
from engine.question import load_cues
from engine.refusal import RefusalModel, load_refusal
from engine.spelling import CorpusWords
from engine.suggestions import load_templates, suggest
from engine.verdict import load_signals
from index.backend import Backend
from index.bilingual import load_bilingual
from index.encoder import Encoder
from index.lexicon import Lexicon, load_lexicon
from index.search import Filters, Hit, HybridRetriever, Mode
from index.segment import content_sha256
from index.store import LoadedIndex, Manifest

StoreOpener = Callable[[LoadedIndex], Backend]
"""Opens the store the passages are searched in, over a loaded index."""


@dataclass(frozen=True)
class UnitTasks:
    """A unit and the clauses it leads and shares, as ``doc_id:clause_id``."""

    name: str
    leads: tuple[str, ...]
    shares: tuple[str, ...]


class PolicyQA:
    """Questions and corpus look-ups over one loaded index."""

    def __init__(self, index: LoadedIndex, encoder: Encoder, lexicon: Lexicon,
                 retriever: HybridRetriever, answerer: Answerer,
                 store: StoreOpener | None = None) -> None:
        self.index = index
        self.store = store
        """How the store is opened over an index (None: the embedded one); a service over the
        next version of the index opens it the same way."""
        self.encoder = encoder
        self.lexicon = lexicon
        self.retriever = retriever
        self.answerer = answerer
        self._documents = {d.doc_id: d for d in index.documents}
        self._clauses = {(c.doc_id, c.clause_id): c for c in index.clauses}
        # A repealed notice's tasks are no one's tasks now.
        self._current = tuple(c for c in index.clauses if retriever.in_force(c))
        self._unit_names = sorted({u.name for c in self._current for u in c.units})

    @classmethod
    def over(cls, index: LoadedIndex, encoder: Encoder, refusal: RefusalModel | None = None,
             home_region: str | None = "auto", store: StoreOpener | None = None) -> PolicyQA:
        """The service over a loaded index; the refusal model is the one fitted for the encoder
        unless another is given, and the home region is the one region of the loaded documents
        unless another is given. ``store`` opens the store the passages are searched in (the
        embedded one when None)."""
        lexicon = load_lexicon()
        retriever = HybridRetriever(index, encoder, lexicon,
                                    backend=store(index) if store is not None else None,
                                    bilingual=load_bilingual())
        answerer = Answerer(retriever, lexicon, load_aliases(), load_cues(), load_signals(),
                            refusal or load_refusal(encoder.model_id), phrasing=load_phrasing(),
                            words=CorpusWords(index.tokenizer, lexicon.words()),
                            home_region=home_region,
                            local_closeness=load_closeness(encoder.model_id))
        return cls(index, encoder, lexicon, retriever, answerer, store)

    # -- questions ---------------------------------------------------------------------------

    def ask(self, question: str, top_k: int = 3, doc_id: str | None = None) -> Answer:
        """Answer a question (from one document when ``doc_id`` is given)."""
        if doc_id is not None:
            self.document(doc_id)
        return self.answerer.ask(question, top_k=top_k, doc_id=doc_id)

    def follow_up(self, question: str, context: Context | None, top_k: int = 3,
                  doc_id: str | None = None) -> Turn:
        """Answer a question of a conversation whose last answer left ``context`` (None: there
        was none): against that answer's clause when the question only makes sense with it,
        else on its own (see :mod:`engine.followup`). The caller keeps the turn's context."""
        if doc_id is not None:
            self.document(doc_id)
        return self.follow_ups.answer(question, context, top_k=top_k, doc_id=doc_id)

    @cached_property
    def follow_ups(self) -> FollowUps:
        """Reads and answers questions with a conversation's context (made once)."""
        return FollowUps(self.answerer, self._clause_in_force, load_follow_up_cues(), load_cues())

    def _clause_in_force(self, doc_id: str, clause_id: str) -> Clause | None:
        clause = self._clauses.get((doc_id, clause_id))
        return clause if clause is not None and self.retriever.in_force(clause) else None

    def search(self, question: str, k: int = 5, mode: Mode = "hybrid",
               filters: Filters | None = None) -> list[Hit]:
        """The ``k`` clauses closest to a question, with their best sentences."""
        return self.retriever.search(checked_question(question), k=k, mode=mode, filters=filters)

    @cached_property
    def suggestions(self) -> tuple[str, ...]:
        """Questions drawn from the corpus that the engine answers (asked once, then kept)."""
        return suggest(self._current, self.answerer, load_templates())

    # -- the corpus --------------------------------------------------------------------------

    @property
    def documents(self) -> tuple[Document, ...]:
        """Every indexed document, in index order."""
        return self.index.documents

    @property
    def manifest(self) -> Manifest:
        """The index's manifest."""
        return self.index.manifest

    def version(self, doc_id: str) -> str:
        """The indexed version of a document: the hash of what it says (its segment's
        ``content_sha256``), the same after a restart over the same index and another once the
        notice is edited; NotFound for a document not in the index."""
        for entry in self.manifest.segments:
            if entry.doc_id == doc_id:
                return entry.content_sha256
        return content_sha256(self.document(doc_id))

    def document(self, doc_id: str) -> Document:
        """The document with this id, or NotFound."""
        try:
            return self._documents[doc_id]
        except KeyError:
            raise NotFound(f"no document {doc_id!r}") from None

    def clause(self, doc_id: str, clause_id: str) -> Clause:
        """The clause with these ids, or NotFound."""
        try:
            return self._clauses[(doc_id, clause_id)]
        except KeyError:
            raise NotFound(f"no clause {clause_id!r} in document {doc_id!r}") from None

    def find_clause(self, clause_id: str, doc_id: str | None = None) -> Clause | None:
        """A clause by its id as a person types it (7.1, a6.1), in one document or the first
        that has it."""
        wanted = clause_id.strip()
        wanted = wanted.upper() if wanted[:1].isalpha() and wanted != "preamble" else wanted
        for document in self.documents:
            if doc_id is None or document.doc_id == doc_id:
                found = self._clauses.get((document.doc_id, wanted))
                if found is not None:
                    return found
        return None

    def units(self) -> list[UnitTasks]:
        """Every unit with the clauses it leads and shares in notices in force, by name."""
        leads: dict[str, list[str]] = {name: [] for name in self._unit_names}
        shares: dict[str, list[str]] = {name: [] for name in self._unit_names}
        for clause in self._current:
            for unit in clause.units:
                (leads if unit.lead else shares)[unit.name].append(
                    f"{clause.doc_id}:{clause.clause_id}")
        return [UnitTasks(n, tuple(leads[n]), tuple(shares[n])) for n in self._unit_names]

    def unit_tasks(self, name: str) -> tuple[str, list[Clause]]:
        """A unit's canonical name (aliases resolved) and its tasks in notices in force, those it
        leads first."""
        canonical = self.answerer.canonical_unit(name)
        return canonical, by_unit(self._current, canonical)

    def units_like(self, name: str, limit: int = 8) -> list[str]:
        """Unit names that contain ``name`` or are contained in it (for a hint)."""
        return [u for u in self._unit_names if name in u or u in name][:limit]


def release_memory() -> None:
    """Collect what a replaced service left and hand freed heap pages back to the system.

    glibc keeps freed memory in its arenas; without ``malloc_trim`` the resident size of a
    server grows with every reindex although nothing references the old index.
    """
    gc.collect()
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)
