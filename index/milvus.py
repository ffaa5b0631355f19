"""The Milvus store: passages in Milvus, for several workers and hosts (``POLICYQA_STORE=milvus``).

Each index version is two collections, ``<prefix>_<version>_rows`` (one dense vector per clause
and per sentence, as in the index folder) and ``<prefix>_<version>_clauses`` (one sparse vector
per clause: its tokens' BM25 scores, taken from the index folder's own BM25 matrix so that both
stores rank alike). Two aliases, ``<prefix>_rows`` and ``<prefix>_clauses``, name the live
version; searches go through them, so an activation is seen by every worker at once, and a
version that failed to load is never activated. Rows are keyed by document, clause and sentence,
which stay the same from one version to the next, so a worker that has not yet reloaded the
documents maps what it knows and skips what it does not.

Token ids of the sparse vectors are a hash of the token (no shared vocabulary between versions).
Filters are Milvus expressions with their values quoted (nothing in a value can change the
expression). ``uri`` is a Milvus server (``http://host:19530``) or a Milvus Lite file.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from contract.errors import ConfigurationError, IndexUnavailable
from corpus.document import Clause, Document
from index.backend import Ranked, Where
from index.embedded import in_force
from index.lexicon import load_stopwords
from index.store import LoadedIndex, load_index, manifest_json

logger = logging.getLogger(__name__)

KEY = "#"
"""Joins document id, clause id and sentence into a row key (ids are slugs and outline
numbers, never with this character)."""
MAX_KEY = 512
"""Characters kept of a stored value (ids, units, deadlines)."""
MAX_BYTES = 4 * MAX_KEY + 64
"""Milvus counts a VARCHAR's length in bytes: room for MAX_KEY characters of UTF-8 and a key's
separators and sentence number."""
MAX_LIST = 64
"""Units or deadlines kept per clause for filtering (a clause names far fewer)."""
BATCH = 1000
MAX_TOP_K = 16_384
"""Milvus's own limit on a search's k."""
ACTIVATION_WAIT = 10.0
"""Seconds a worker waits for the version its index folder holds to go live (it is loaded
before the folder is published and activated right after)."""


def version_of(index: LoadedIndex) -> str:
    """A version's name: the hash of its manifest (the same index, the same name)."""
    return hashlib.sha256(manifest_json(index.manifest).encode()).hexdigest()[:16]


def token_id(token: str) -> int:
    """A token's dimension in the sparse vectors: a hash, the same in every version."""
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little") \
        % 0xFFFFFFFF


def clause_key(doc_id: str, clause_id: str) -> str:
    return f"{doc_id}{KEY}{clause_id}"


class MilvusStore:
    """Versions of the index in Milvus, and which one is live."""

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

    def names(self, version: str) -> tuple[str, str]:
        """The rows and clauses collections of a version."""
        return f"{self._prefix}_{version}_rows", f"{self._prefix}_{version}_clauses"

    @property
    def aliases(self) -> tuple[str, str]:
        """The aliases that name the live version's rows and clauses."""
        return f"{self._prefix}_rows", f"{self._prefix}_clauses"

    def live(self) -> str | None:
        """The live version, or None when none was activated."""
        rows_alias = self.aliases[0]
        if rows_alias not in self._existing_aliases():
            return None
        described = self._client.describe_alias(rows_alias)
        name = str(described.get("collection_name", ""))
        start = len(self._prefix) + 1
        return name[start:-len("_rows")] if name.endswith("_rows") else None

    def _existing_aliases(self) -> set[str]:
        return set(self._client.list_aliases().get("aliases", []))

    def has(self, version: str) -> bool:
        """True when both collections of ``version`` exist."""
        return all(self._client.has_collection(name) for name in self.names(version))

    # -- writing ----------------------------------------------------------------------------

    def load(self, index: LoadedIndex, vectors: np.ndarray) -> str:
        """Put a version into Milvus (nothing to do when it is there already, complete) and
        return its name; ``vectors`` are the index's passage vectors in row order. A load that
        fails, or is interrupted, drops what it wrote and leaves the live version as it was; a
        version left incomplete by a killed load is dropped and loaded again. Each version is
        loaded whole from the index folder (nothing is embedded again): one document more
        changes every clause's BM25 scores, through the document frequencies."""
        version = version_of(index)
        if self.complete(version, index):
            return version
        self.drop(version)
        rows_name, clauses_name = self.names(version)
        try:
            self._create(rows_name, clauses_name, int(vectors.shape[1]))
            weights = index.bm25.weights()
            for name, records in ((rows_name, _rows(index, vectors)),
                                  (clauses_name, _clauses(index, weights))):
                batch: list[dict[str, Any]] = []
                for record in records:
                    batch.append(record)
                    if len(batch) == BATCH:
                        self._client.insert(name, batch)
                        batch = []
                if batch:
                    self._client.insert(name, batch)
            if not self.complete(version, index):
                raise IndexUnavailable("Milvus holds fewer rows than were written")
        except BaseException as exc:
            self.drop(version)
            if isinstance(exc, Exception) and not isinstance(exc, IndexUnavailable):
                raise IndexUnavailable(f"loading the index into Milvus failed: {exc}") from exc
            raise
        logger.info("loaded version %s into Milvus: %d rows, %d clauses", version,
                    len(index.vector_rows), len(index.clauses))
        return version

    def complete(self, version: str, index: LoadedIndex) -> bool:
        """True when both collections of ``version`` exist and hold every row and clause
        (a load that was killed leaves them short)."""
        if not self.has(version):
            return False
        rows_name, clauses_name = self.names(version)
        matchable = index.bm25.matchable(len(index.clauses))
        found = (self._count(rows_name), self._count(clauses_name))
        logger.debug("Milvus version %s holds %s of %s", version, found,
                     (len(index.vector_rows), matchable))
        return found == (len(index.vector_rows), matchable)

    def _count(self, name: str) -> int:
        found = self._client.query(name, filter="", output_fields=["count(*)"],
                                   consistency_level="Strong")
        return int(found[0]["count(*)"]) if found else 0

    def activate(self, version: str) -> None:
        """Point the aliases at ``version`` (it must be loaded)."""
        if not self.has(version):
            raise IndexUnavailable(f"index version {version} is not in Milvus; load it first")
        self.ready(version)
        existing = self._existing_aliases()
        # Clauses first: a search that reads the rows of the new version and the clauses of
        # the old one in between still maps both by key.
        for alias, name in reversed(list(zip(self.aliases, self.names(version), strict=True))):
            if alias in existing:
                self._client.alter_alias(name, alias)
            else:
                self._client.create_alias(name, alias)
        logger.info("Milvus: version %s is live", version)

    def ready(self, version: str) -> None:
        """Load a version's collections into memory for searching (Milvus keeps a collection
        released until asked; a restarted Milvus Lite releases them all)."""
        for name in self.names(version):
            self._client.load_collection(name)

    def prune(self, keep: Sequence[str]) -> list[str]:
        """Drop every version but ``keep`` (the live one and the one before it, so that a
        search that started before an activation still finds its collections)."""
        dropped = []
        start = f"{self._prefix}_"
        for name in self._client.list_collections():
            if not (name.startswith(start) and name.endswith("_rows")):
                continue
            version = name[len(start):-len("_rows")]
            if version not in keep:
                self.drop(version)
                dropped.append(version)
        return dropped

    def drop(self, version: str) -> None:
        for name in self.names(version):
            if self._client.has_collection(name):
                self._client.drop_collection(name)

    def _create(self, rows_name: str, clauses_name: str, dim: int) -> None:
        from pymilvus import DataType

        def schema(vector: str) -> Any:
            made = self._client.create_schema(auto_id=False, enable_dynamic_field=False)
            made.add_field("key", DataType.VARCHAR, is_primary=True, max_length=MAX_BYTES)
            made.add_field("doc_id", DataType.VARCHAR, max_length=MAX_BYTES)
            made.add_field("in_force", DataType.BOOL)
            made.add_field("region", DataType.VARCHAR, max_length=MAX_BYTES)
            for field in ("units", "deadlines"):
                made.add_field(field, DataType.ARRAY, element_type=DataType.VARCHAR,
                               max_capacity=MAX_LIST, max_length=MAX_BYTES)
            if vector == "vector":
                made.add_field("clause_key", DataType.VARCHAR, max_length=MAX_BYTES)
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


class MilvusMirror:
    """:class:`~index.backend.Mirror` for Milvus: loads each version of the index folder
    before it is published, makes it live after, and keeps the one before it for searches
    under way."""

    def __init__(self, store: MilvusStore) -> None:
        self._store = store
        self._staged: str | None = None
        self._previous: str | None = None

    def stage(self, work: Path) -> None:
        index = load_index(work, None, load_stopwords())
        assert index.vectors is not None  # loaded with them
        self._staged = self._store.load(index, index.vectors.all())
        try:
            self._store.ready(self._staged)  # so that after publishing only the swap is left
            self._previous = self._store.live()
        except Exception as exc:
            raise IndexUnavailable(f"Milvus could not prepare the new version: {exc}") from exc

    def activate(self) -> None:
        version, self._staged = self._staged, None
        if version is None:
            raise IndexUnavailable("nothing was loaded into Milvus to make live")
        try:
            self._store.activate(version)
        except Exception as exc:
            raise IndexUnavailable(
                f"the index folder was published, but Milvus did not make version {version} "
                f"live ({exc}); make it live with: policyqa store sync") from exc
        try:
            self._store.prune([v for v in (version, self._previous) if v])
        except Exception:  # the new version is live; old ones are only left behind
            logger.warning("Milvus: older versions could not be dropped", exc_info=True)


class MilvusBackend:
    """:class:`~index.backend.Backend` over the live version in Milvus."""

    def __init__(self, store: MilvusStore, index: LoadedIndex) -> None:
        self._client = store.client
        self._rows, self._clauses = store.aliases
        self._position = {clause_key(c.doc_id, c.clause_id): i
                          for i, c in enumerate(index.clauses)}
        self._keys = list(self._position)

    @classmethod
    def over(cls, store: MilvusStore, index: LoadedIndex, *, wait: float = ACTIVATION_WAIT,
             clock: Callable[[], float] = time.monotonic,
             sleep: Callable[[float], None] = time.sleep) -> MilvusBackend:
        """The backend for a loaded index, once Milvus serves its version: a version being
        activated is waited for (``wait`` seconds); one that is not in Milvus, or not live
        (another index under the same prefix?), is IndexUnavailable naming what to do."""
        version = version_of(index)
        deadline = clock() + wait
        while True:
            live = store.live()
            if live == version:
                break
            if clock() >= deadline:
                if not store.has(version):
                    raise IndexUnavailable(
                        f"the index version {version} is not in Milvus; load it with: "
                        "policyqa store sync (with POLICYQA_STORE=milvus)")
                raise IndexUnavailable(
                    f"Milvus serves version {live} under the prefix {store.prefix!r}, not this "
                    f"index's {version}: give each index its own POLICYQA_MILVUS_PREFIX, or "
                    "make this one live with: policyqa store sync")
            sleep(0.2)
        store.ready(version)
        return cls(store, index)

    def dense(self, vector: np.ndarray, k: int, where: Where) -> Ranked:
        if k <= 0:
            return []
        with _unavailable():
            found = self._client.search(
                self._rows, data=[np.asarray(vector, dtype=np.float32).tolist()],
                anns_field="vector", limit=min(k, MAX_TOP_K), group_by_field="clause_key",
                filter=_filter(where), output_fields=["clause_key"],
                search_params={"metric_type": "IP"})
        return self._ranked((hit["entity"]["clause_key"], hit["distance"]) for hit in found[0])

    def lexical(self, terms: Sequence[tuple[str, float]], k: int, where: Where) -> Ranked:
        query: dict[int, float] = {}
        for token, weight in terms:
            if token and weight > 0:
                query[token_id(token)] = query.get(token_id(token), 0.0) + weight
        if not query or k <= 0:
            return []
        with _unavailable():
            found = self._client.search(
                self._clauses, data=[query], anns_field="sparse", limit=min(k, MAX_TOP_K),
                filter=_filter(where), output_fields=["key"],
                search_params={"metric_type": "IP"})
        return self._ranked((hit["entity"]["key"], hit["distance"]) for hit in found[0]
                            if hit["distance"] > 0)

    def similarities(self, vector: np.ndarray, clauses: Sequence[int]
                     ) -> Mapping[int, Mapping[int, float]]:
        keys = [self._keys[c] for c in dict.fromkeys(clauses) if 0 <= c < len(self._keys)]
        if not keys:
            return {}
        listed = ", ".join(_literal(k) for k in keys)
        with _unavailable():
            rows = self._client.query(self._rows, filter=f"clause_key in [{listed}]",
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


@contextlib.contextmanager
def _unavailable() -> Iterator[None]:
    """Milvus failing while serving is the index being unavailable (503 at the API), said in
    one line, not an internal error."""
    try:
        yield
    except Exception as exc:
        logger.warning("Milvus failed a search: %s", exc)
        raise IndexUnavailable(f"the Milvus store did not answer: {exc}") from exc


def _rows(index: LoadedIndex, vectors: np.ndarray) -> Iterator[dict[str, Any]]:
    """The rows collection's records, one per passage (made as they are inserted: a list of
    all of them would hold every vector as Python floats)."""
    documents = {d.doc_id: d for d in index.documents}
    for row, (position, sentence) in enumerate(index.vector_rows):
        clause = index.clauses[position]
        key = clause_key(clause.doc_id, clause.clause_id)
        yield {"key": f"{key}{KEY}{sentence}", "clause_key": key, "sentence": sentence,
               **_labels(documents[clause.doc_id], clause),
               "vector": np.asarray(vectors[row], dtype=np.float32).tolist()}


def _clauses(index: LoadedIndex, weights: Sequence[Mapping[str, float]]
             ) -> Iterator[dict[str, Any]]:
    """The clauses collection's records: each clause's tokens' BM25 scores (a clause without a
    word to match is left out: the lexical side never returns it)."""
    documents = {d.doc_id: d for d in index.documents}
    for position, clause in enumerate(index.clauses):
        sparse: dict[int, float] = {}
        for token, weight in weights[position].items():
            sparse[token_id(token)] = sparse.get(token_id(token), 0.0) + weight
        if sparse:
            yield {"key": clause_key(clause.doc_id, clause.clause_id),
                   **_labels(documents[clause.doc_id], clause), "sparse": sparse}


def _labels(document: Document, clause: Clause) -> dict[str, Any]:
    """The fields filters read."""
    return {"doc_id": _clean(document.doc_id), "in_force": in_force(document),
            "region": _clean(document.region or ""),
            "units": _listed(u.name for u in clause.units),
            "deadlines": _listed(d.text for d in clause.deadlines)}


def _clean(value: str) -> str:
    """A value as stored and as filtered on, alike: printable characters only (an expression
    literal carries no control characters), at most :data:`MAX_KEY` of them."""
    return "".join(ch for ch in value if ch.isprintable())[:MAX_KEY]


def _listed(values: Any) -> list[str]:
    return list(dict.fromkeys(_clean(v) for v in values))[:MAX_LIST]


def _literal(value: str) -> str:
    """A string as a Milvus expression literal: backslashes and quotes escaped, control
    characters (which no id, unit or deadline has) dropped, so that no value can change the
    expression around it."""
    kept = _clean(value)
    return '"' + kept.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _filter(where: Where) -> str:
    """A Milvus filter expression for ``where``."""
    parts: list[str] = []
    if not where.repealed:
        parts.append("in_force == true")
    if where.doc_id is not None:
        parts.append(f"doc_id == {_literal(where.doc_id)}")
    if where.unit is not None:
        parts.append(f"array_contains(units, {_literal(where.unit)})")
    if where.deadline is not None:
        parts.append(f"array_contains(deadlines, {_literal(where.deadline)})")
    if where.region is not None:
        parts.append(f"region == {_literal(where.region)}")
    return " and ".join(parts)
