"""The Milvus store: passages in Milvus, for several workers and hosts (``POLICYQA_STORE=milvus``).

An index's lineage (a build and the edits made on it since, :class:`index.store.Manifest`) is
two collections, ``<prefix>_<lineage>_rows`` (one dense vector per clause and per sentence, as
in the index folder) and ``<prefix>_<lineage>_clauses`` (one sparse vector per clause: its
tokens' BM25 parts, without idf — the query brings each token's idf, so a clause's vector never
changes when other documents come or go). Every record carries the generations it is part of,
``since`` ≤ g < ``until``, and a digest of its content. Loading generation g compares digests
and writes only what differs: the records of the documents an edit added, replaced or
re-labelled are inserted with ``since`` = g, those it removed or replaced get ``until`` = g.
So an edit costs its own documents, not the corpus; the version before it stays whole for
searches under way; and a load that fails or is killed leaves nothing a reader of the published
generation can see (a retry, or ``policyqa store sync``, reconciles what it left).

Each worker searches the lineage and generation of the index folder version it loaded, so an
answer never mixes two versions. The aliases ``<prefix>_rows`` and ``<prefix>_clauses`` name the
live lineage: a new build is loaded beside the old one and made live by moving them, so a build
that fails leaves the old one live, and a worker started later waits for its lineage to be live.

Token ids of the sparse vectors are a hash of the token (no shared vocabulary). Filters are
Milvus expressions with their values quoted (nothing in a value can change the expression).
``uri`` is a Milvus server (``http://host:19530``, 2.6 or later for partial upserts) or a
Milvus Lite file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from contract.errors import ConfigurationError, IndexUnavailable
from index.backend import Ranked, Where
from index.generation import FOREVER, Held, plan, visible
from index.milvus_record import (
    BATCH,
    MAX_BYTES,
    MAX_LIST,
    among,
    batches,
    clause_digests,
    clause_key,
    clause_records,
    expression,
    hashed,
    literal,
    row_digests,
    row_records,
    token_id,
)
from index.store import LoadedIndex, Manifest, changed_documents, manifest_json

logger = logging.getLogger(__name__)

MAX_TOP_K = 16_384
"""Milvus's own limit on a search's k."""
GENERATION = "policyqa.generation"
VERSION = "policyqa.version"
BEFORE = "policyqa.before"
WORDS = "policyqa.words"
RECORDS = "policyqa.records"
"""Properties of a lineage's rows collection, set by each finished load: the generation and
the exact version (:func:`version_id`) it wrote, the version of the generation before it when
that one is still whole, what the clauses' BM25 parts were made with, and the records' own
format (:data:`RECORDS_FORMAT`)."""
RECORDS_FORMAT = "1"
"""Raise it when what a record holds changes in code (its labels, the tokenizer): the next
load then compares every record instead of only the edited documents'."""
ACTIVATION_WAIT = 10.0
"""Seconds a worker waits for its lineage to go live (a build is loaded before the folder is
published and made live right after)."""


def lineage_of(index: LoadedIndex) -> str:
    """The name of the collections an index is kept in."""
    return index.manifest.lineage


class MilvusStore:
    """Lineages of the index in Milvus, and which one is live."""

    def __init__(self, client: Any, prefix: str = "policyqa") -> None:
        self._client = client
        self._prefix = prefix

    @classmethod
    def connect(cls, uri: str, token: str | None = None, prefix: str = "policyqa") -> MilvusStore:
        """Connect, or say why not (never a silent fallback to the embedded store)."""
        try:
            from pymilvus import MilvusClient
        except ImportError as exc:
            raise ConfigurationError(
                "POLICYQA_STORE=milvus needs pymilvus (and milvus-lite for a file URI): "
                "pip install 'policyqa[milvus]'") from exc
        try:
            client = MilvusClient(uri=uri, token=token or "")
        except Exception as exc:  # pymilvus raises its own and gRPC's errors
            raise IndexUnavailable(f"cannot connect to Milvus at {uri}: {exc}") from exc
        return cls(client, prefix)

    @property
    def client(self) -> Any:
        return self._client

    @property
    def prefix(self) -> str:
        return self._prefix

    def names(self, lineage: str) -> tuple[str, str]:
        """The rows and clauses collections of a lineage."""
        return f"{self._prefix}_{lineage}_rows", f"{self._prefix}_{lineage}_clauses"

    @property
    def aliases(self) -> tuple[str, str]:
        """The aliases that name the live lineage's rows and clauses."""
        return f"{self._prefix}_rows", f"{self._prefix}_clauses"

    def live(self) -> str | None:
        """The live lineage, or None when none was activated."""
        rows_alias = self.aliases[0]
        if rows_alias not in self._existing_aliases():
            return None
        described = self._client.describe_alias(rows_alias)
        name = str(described.get("collection_name", ""))
        start = len(self._prefix) + 1
        return name[start:-len("_rows")] if name.endswith("_rows") else None

    def _existing_aliases(self) -> set[str]:
        return set(self._client.list_aliases().get("aliases", []))

    def has(self, lineage: str) -> bool:
        """True when both collections of ``lineage`` exist."""
        return all(self._client.has_collection(name) for name in self.names(lineage))

    # -- writing ----------------------------------------------------------------------------

    def load(self, index: LoadedIndex, vectors: np.ndarray,
             previous: Manifest | None = None) -> str:
        """Make Milvus hold ``index`` (``vectors`` are its passage vectors in row order) as
        its lineage's generation, writing only the records that differ from what Milvus
        holds; return the lineage. Readers of the generation before see no change.

        ``previous`` is the manifest of the version ``index`` replaces: when Milvus holds that
        generation of the same lineage, only the records of the documents whose segments
        differ between the two are compared (and every clause's, if the tokenizer's dictionary
        or BM25's average length moved); otherwise every record is. A load that fails raises
        IndexUnavailable and leaves the live lineage as it was: a new lineage's collections are
        dropped, and what it wrote into an existing one is invisible to its readers and
        reconciled by the next load."""
        lineage, generation = lineage_of(index), index.manifest.generation
        rows_name, clauses_name = self.names(lineage)
        created = False
        try:
            if not self.has(lineage):
                self.drop(lineage)  # one of the two, from a load killed while creating them
                self._create(rows_name, clauses_name, int(vectors.shape[1]))
                created = True
            self.ready(lineage)  # a lineage loaded by another process may be released
            marks = {} if created else self._marks(lineage)
            changed = changed_documents(previous, index.manifest) if previous is not None \
                and previous.lineage == lineage and previous.generation < generation \
                and marks.get(VERSION) == version_id(previous) \
                and marks.get(RECORDS) == RECORDS_FORMAT else None
            same_words = changed is not None and marks.get(WORDS) == _words(index)
            parts = index.bm25.parts()
            written = [
                self._apply(rows_name, generation, changed,
                            lambda docs: row_digests(index, vectors, docs),
                            lambda items, scope: row_records(index, vectors, generation, items,
                                                             scope)),
                self._apply(clauses_name, generation, changed if same_words else None,
                            lambda docs: clause_digests(index, parts, docs),
                            lambda items, scope: clause_records(index, parts, generation, items,
                                                                scope))]
            # The version before stays whole only when it is the generation just before
            # (activation drops what no reader of that one sees).
            before = marks.get(VERSION, "") if marks.get(GENERATION) == str(generation - 1) \
                else ""
            self._client.alter_collection_properties(rows_name, {
                GENERATION: str(generation), VERSION: version_id(index.manifest),
                BEFORE: before, WORDS: _words(index), RECORDS: RECORDS_FORMAT})
        except BaseException as exc:
            if created:
                self.drop(lineage)
            if isinstance(exc, Exception) and not isinstance(exc, IndexUnavailable):
                raise IndexUnavailable(f"loading the index into Milvus failed: {exc}") from exc
            raise
        logger.info("Milvus lineage %s generation %d: %s records written (%s documents "
                    "compared) for %d rows and %d clauses", lineage, generation,
                    "+".join(map(str, written)), "all" if changed is None else len(changed),
                    len(index.vector_rows), len(index.clauses))
        return lineage

    def _apply(self, name: str, generation: int, documents: set[str] | None,
               digests: Callable[[set[str] | None], Mapping[str, str]],
               records: Callable[[Mapping[str, str], set[str] | None],
                                 Iterator[dict[str, Any]]]) -> int:
        """Carry out the :func:`plan` for one collection, over the records of ``documents``
        (and of any document a load that did not finish left records of), or over all records
        when None; check that exactly the wanted records are visible. The number of records
        written."""
        scope = None if documents is None else \
            {hashed(d) for d in documents} | self._documents_left(name, generation)
        held = list(self._held(name, generation, scope))
        wanted = digests(scope)
        todo = plan(held, wanted, generation)
        if todo.delete:
            for batch in batches(sorted(todo.delete)):
                self._client.delete(name, ids=batch)
        for batch in batches(records({i: wanted[i] for i in todo.insert}, scope)):
            self._client.insert(name, batch)
        for batch in batches([{"key": k, "until": u} for k, u in sorted(todo.until.items())]):
            self._client.upsert(name, batch, partial_update=True)
        within = "" if scope is None else among("doc_key", scope)
        if scope is None or scope:
            found = self._count(name, generation, within)
            if found != len(wanted):
                raise IndexUnavailable(f"Milvus holds {found} records of {name} where "
                                       f"{len(wanted)} were written")
        return todo.writes

    def _held(self, name: str, generation: int, documents: set[str] | None
              ) -> Iterator[Held]:
        """The records visible at ``generation`` or the one before, and any written for a
        later one (what a load of ``generation`` may have to change): those of
        ``documents``, or all when None."""
        condition = f"until >= {int(generation)}"
        if documents is not None:
            if not documents:
                return
            condition += f" and {among('doc_key', documents)}"
        yield from (Held(str(r["key"]), int(r["since"]), int(r["until"]), str(r["digest"]),
                         str(r["doc_key"]))
                    for r in self._query(name, condition,
                                         ["key", "since", "until", "digest", "doc_key"]))

    def _documents_left(self, name: str, generation: int) -> set[str]:
        """The documents a load of ``generation`` (or a later one) that did not finish wrote
        or retired records of."""
        condition = f"since >= {int(generation)} or (until >= {int(generation)} and " \
            f"until < {FOREVER})"
        return {str(r["doc_key"]) for r in self._query(name, condition, ["doc_key"])}

    def _query(self, name: str, condition: str, fields: list[str]
               ) -> Iterator[dict[str, Any]]:
        found = self._client.query_iterator(name, batch_size=BATCH * 10, filter=condition,
                                            output_fields=fields)
        try:
            while batch := found.next():
                yield from batch
        finally:
            found.close()

    def _marks(self, lineage: str) -> dict[str, str]:
        """What the last finished load of a lineage recorded (see :data:`RECORDS`)."""
        described = self._client.describe_collection(self.names(lineage)[0])
        return {str(k): str(v) for k, v in (described.get("properties") or {}).items()}

    def holds(self, index: LoadedIndex) -> bool:
        """True when a finished load wrote exactly this version of the index, and Milvus still
        holds it whole (the last version loaded, or the one just before it)."""
        if not self.has(lineage_of(index)):
            return False
        marks = self._marks(lineage_of(index))
        return version_id(index.manifest) in {marks.get(VERSION), marks.get(BEFORE)} - {"", None}

    def generation(self, lineage: str) -> int | None:
        """The generation the last finished load of ``lineage`` wrote (None: none finished)."""
        if not self.has(lineage):
            return None
        value = self._marks(lineage).get(GENERATION)
        return int(value) if value is not None and value.isdigit() else None

    def complete(self, index: LoadedIndex) -> bool:
        """True when Milvus holds the index's generation whole: every row and every clause
        with a word to match (a load that was killed, or an edit made without the store,
        leaves it short or different)."""
        lineage, generation = lineage_of(index), index.manifest.generation
        if not self.has(lineage):
            return False
        rows_name, clauses_name = self.names(lineage)
        found = (self._count(rows_name, generation), self._count(clauses_name, generation))
        wanted = (len(index.vector_rows), index.bm25.matchable(len(index.clauses)))
        logger.debug("Milvus lineage %s generation %d holds %s of %s", lineage, generation,
                     found, wanted)
        return found == wanted

    def _count(self, name: str, generation: int, within: str = "") -> int:
        condition = visible(generation) + (f" and {within}" if within else "")
        found = self._client.query(name, filter=condition,
                                   output_fields=["count(*)"], consistency_level="Strong")
        return int(found[0]["count(*)"]) if found else 0

    def activate(self, lineage: str, generation: int | None = None) -> None:
        """Point the aliases at ``lineage`` (it must be loaded). With ``generation`` (the
        one just published), the records no reader of it or of the one before can see are
        dropped."""
        if not self.has(lineage):
            raise IndexUnavailable(f"index lineage {lineage} is not in Milvus; load it first")
        self.ready(lineage)
        existing = self._existing_aliases()
        # Clauses first: a search that reads the rows of the new lineage and the clauses of
        # the old one in between still maps both by key.
        for alias, name in reversed(list(zip(self.aliases, self.names(lineage), strict=True))):
            if alias in existing:
                self._client.alter_alias(name, alias)
            else:
                self._client.create_alias(name, alias)
        if generation is not None:
            for name in self.names(lineage):
                self._client.delete(name, filter=f"until < {int(generation)}")
        logger.info("Milvus: lineage %s is live", lineage)

    def ready(self, lineage: str) -> None:
        """Load a lineage's collections into memory for searching (Milvus keeps a collection
        released until asked; a restarted Milvus Lite releases them all)."""
        for name in self.names(lineage):
            self._client.load_collection(name)

    def prune(self, keep: Sequence[str]) -> list[str]:
        """Drop every lineage but ``keep`` (the live one and the one before it, so that a
        search that started before an activation still finds its collections)."""
        dropped = []
        start = f"{self._prefix}_"
        for name in self._client.list_collections():
            if not (name.startswith(start) and name.endswith("_rows")):
                continue
            lineage = name[len(start):-len("_rows")]
            if lineage not in keep:
                self.drop(lineage)
                dropped.append(lineage)
        return dropped

    def drop(self, lineage: str) -> None:
        for name in self.names(lineage):
            if self._client.has_collection(name):
                self._client.drop_collection(name)

    def _create(self, rows_name: str, clauses_name: str, dim: int) -> None:
        from pymilvus import DataType

        def schema(vector: str) -> Any:
            made = self._client.create_schema(auto_id=False, enable_dynamic_field=False)
            made.add_field("key", DataType.VARCHAR, is_primary=True, max_length=MAX_BYTES)
            made.add_field("clause_key", DataType.VARCHAR, max_length=MAX_BYTES)
            made.add_field("since", DataType.INT64)
            made.add_field("until", DataType.INT64)
            made.add_field("digest", DataType.VARCHAR, max_length=64)
            made.add_field("doc_id", DataType.VARCHAR, max_length=MAX_BYTES)
            made.add_field("doc_key", DataType.VARCHAR, max_length=32)
            made.add_field("in_force", DataType.BOOL)
            made.add_field("region", DataType.VARCHAR, max_length=MAX_BYTES)
            for field in ("units", "deadlines"):
                made.add_field(field, DataType.ARRAY, element_type=DataType.VARCHAR,
                               max_capacity=MAX_LIST, max_length=MAX_BYTES)
            if vector == "vector":
                made.add_field("sentence", DataType.INT64)
                made.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
            else:
                made.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            return made

        params = self._client.prepare_index_params()
        params.add_index("vector", index_type="FLAT", metric_type="IP")
        self._client.create_collection(rows_name, schema=schema("vector"), index_params=params,
                                       consistency_level="Strong")
        params = self._client.prepare_index_params()
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        self._client.create_collection(clauses_name, schema=schema("sparse"),
                                       index_params=params, consistency_level="Strong")


class MilvusBackend:
    """:class:`~index.backend.Backend` over an index's own lineage and generation in Milvus."""

    def __init__(self, store: MilvusStore, index: LoadedIndex) -> None:
        self._client = store.client
        self._rows, self._clauses = store.names(lineage_of(index))
        self._visible = visible(index.manifest.generation)
        self._bm25 = index.bm25
        self._position = {clause_key(c.doc_id, c.clause_id): i
                          for i, c in enumerate(index.clauses)}
        self._keys = list(self._position)

    @classmethod
    def over(cls, store: MilvusStore, index: LoadedIndex, *, wait: float = ACTIVATION_WAIT,
             clock: Callable[[], float] = time.monotonic,
             sleep: Callable[[float], None] = time.sleep) -> MilvusBackend:
        """The backend for a loaded index, once Milvus holds it: a lineage being made live is
        waited for (``wait`` seconds); one that is not in Milvus, not whole, or not live
        (another index under the same prefix?) is IndexUnavailable naming what to do."""
        lineage = lineage_of(index)
        deadline = clock() + wait
        while True:
            live = store.live()
            if live == lineage:
                break
            if clock() >= deadline:
                if not store.has(lineage):
                    raise IndexUnavailable(
                        f"the index lineage {lineage} is not in Milvus; load it with: "
                        "policyqa store sync (with POLICYQA_STORE=milvus)")
                raise IndexUnavailable(
                    f"Milvus serves lineage {live} under the prefix {store.prefix!r}, not this "
                    f"index's {lineage}: give each index its own POLICYQA_MILVUS_PREFIX, or "
                    "make this one live with: policyqa store sync")
            sleep(0.2)
        store.ready(lineage)
        if not store.holds(index):
            raise IndexUnavailable(
                f"Milvus does not hold generation {index.manifest.generation} of the index "
                "as the folder has it (edited without POLICYQA_STORE=milvus?); load it with: "
                "policyqa store sync")
        return cls(store, index)

    def _where(self, where: Where) -> str:
        return " and ".join(p for p in (self._visible, expression(where)) if p)

    def dense(self, vector: np.ndarray, k: int, where: Where) -> Ranked:
        if k <= 0:
            return []
        with _unavailable():
            found = self._client.search(
                self._rows, data=[np.asarray(vector, dtype=np.float32).tolist()],
                anns_field="vector", limit=min(k, MAX_TOP_K), group_by_field="clause_key",
                filter=self._where(where), output_fields=["clause_key"],
                search_params={"metric_type": "IP"})
        return self._ranked((hit["entity"]["clause_key"], hit["distance"]) for hit in found[0])

    def lexical(self, terms: Sequence[tuple[str, float]], k: int, where: Where) -> Ranked:
        query: dict[int, float] = {}
        for token, weight in terms:
            if token and weight > 0 and self._bm25.knows(token):
                query[token_id(token)] = query.get(token_id(token), 0.0) + \
                    float(self._bm25.query_weight(token, weight))
        if not query or k <= 0:
            return []
        with _unavailable():
            found = self._client.search(
                self._clauses, data=[query], anns_field="sparse", limit=min(k, MAX_TOP_K),
                filter=self._where(where), output_fields=["clause_key"],
                search_params={"metric_type": "IP"})
        return self._ranked((hit["entity"]["clause_key"], hit["distance"]) for hit in found[0]
                            if hit["distance"] > 0)

    def similarities(self, vector: np.ndarray, clauses: Sequence[int]
                     ) -> Mapping[int, Mapping[int, float]]:
        keys = [self._keys[c] for c in dict.fromkeys(clauses) if 0 <= c < len(self._keys)]
        if not keys:
            return {}
        listed = ", ".join(literal(k) for k in keys)
        with _unavailable():
            rows = self._client.query(self._rows,
                                      filter=f"{self._visible} and clause_key in [{listed}]",
                                      output_fields=["clause_key", "sentence", "vector"])
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        found: dict[int, dict[int, float]] = {self._position[k]: {} for k in keys}
        for row in rows:
            position = self._position.get(row["clause_key"])
            if position is not None:
                sim = float(np.asarray(row["vector"], dtype=np.float32) @ query)
                found[position][int(row["sentence"])] = sim
        return found

    def _ranked(self, hits: Any) -> Ranked:
        ranked = [(self._position[key], float(score)) for key, score in hits
                  if key in self._position]
        # Milvus orders ties as it likes; clause order settles them as in the embedded store.
        return sorted(ranked, key=lambda item: (-item[1], item[0]))


def version_id(manifest: Manifest) -> str:
    """One version of an index exactly (the hash of its manifest, segments included)."""
    return hashlib.sha256(manifest_json(manifest).encode("utf-8")).hexdigest()[:32]


def _words(index: LoadedIndex) -> str:
    """What a clause's BM25 parts depend on beside its own text."""
    manifest = index.manifest
    return f"{manifest.dictionary_sha256}:{manifest.stopwords_sha256}:{index.bm25.avgdl!r}"


@contextlib.contextmanager
def _unavailable() -> Iterator[None]:
    """Milvus failing while serving is the index being unavailable (503 at the API), said in
    one line, not an internal error."""
    try:
        yield
    except Exception as exc:
        logger.warning("Milvus failed a search: %s", exc)
        raise IndexUnavailable(f"the Milvus store did not answer: {exc}") from exc
