"""The records an index is kept as in Milvus, and the filter expressions that select them.

A record's fields are what the filters read (document, in force, region, units, deadlines), its
clause's key, the generations it belongs to (:mod:`index.generation`) and a digest of its
content, so that loading a generation compares digests and writes only what changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from corpus.document import Clause, Document
from index.backend import Where
from index.embedded import in_force
from index.generation import FOREVER, KEY
from index.store import LoadedIndex

MAX_KEY = 512
"""Characters kept of a stored value (ids, units, deadlines)."""
MAX_BYTES = 4 * MAX_KEY + 64
"""Milvus counts a VARCHAR's length in bytes: room for MAX_KEY characters of UTF-8 and a key's
separators, sentence number and generation."""
MAX_LIST = 64
"""Units or deadlines kept per clause for filtering (a clause names far fewer)."""
BATCH = 1000


@functools.lru_cache(maxsize=1 << 18)
def token_id(token: str) -> int:
    """A token's dimension in the sparse vectors: a hash, the same in every lineage."""
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little") \
        % 0xFFFFFFFF


def clause_key(doc_id: str, clause_id: str) -> str:
    return f"{doc_id}{KEY}{clause_id}"


def hashed(value: str) -> str:
    """A value as hex digits only: what primary keys and scope filters are made of, since
    pymilvus splices primary keys into expressions unescaped (query_iterator's cursor,
    delete(ids=...)) and a cleaned doc id may stand for two documents."""
    return hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def batches(records: Iterable[Any]) -> Iterator[list[Any]]:
    """``records`` in lists of :data:`BATCH` (what one Milvus call takes)."""
    batch: list[Any] = []
    for record in records:
        batch.append(record)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _digest(labels: Mapping[str, Any], payload: bytes) -> str:
    made = hashlib.blake2b(json.dumps(labels, ensure_ascii=False, sort_keys=True).encode(),
                           digest_size=16)
    made.update(payload)
    return made.hexdigest()


def _row_items(index: LoadedIndex, only: Collection[str] | None = None
               ) -> Iterator[tuple[int, str, str, dict[str, Any]]]:
    """Per passage (of the documents whose :func:`hashed` ids are ``only``, when given): its
    row, the clause's key, its item key and its labels."""
    documents = _keyed(index)
    for row, (position, sentence) in enumerate(index.vector_rows):
        clause = index.clauses[position]
        document, doc_key = documents[clause.doc_id]
        if only is not None and doc_key not in only:
            continue
        key = clause_key(clause.doc_id, clause.clause_id)
        yield row, key, hashed(f"{key}{KEY}{sentence}"), {
            "clause_key": key, "sentence": sentence, **_labels(document, doc_key, clause)}


def row_digests(index: LoadedIndex, vectors: np.ndarray,
                documents: Collection[str] | None = None) -> dict[str, str]:
    """Passage → its record's digest (of the documents whose :func:`hashed` ids are
    ``documents``, when given)."""
    return {item: _digest(labels, np.asarray(vectors[row], dtype=np.float32).tobytes())
            for row, _, item, labels in _row_items(index, documents)}


def row_records(index: LoadedIndex, vectors: np.ndarray, generation: int,
                wanted: Mapping[str, str], scope: Collection[str] | None = None
                ) -> Iterator[dict[str, Any]]:
    """The rows collection's records for the ``wanted`` passages (with their digests; made
    as they are written: a list of all of them would hold every vector as Python floats)."""
    for row, _, item, labels in _row_items(index, scope):
        if item in wanted:
            yield {"key": f"{item}{KEY}{generation}", "since": generation, "until": FOREVER,
                   "digest": wanted[item], **labels,
                   "vector": np.asarray(vectors[row], dtype=np.float32).tolist()}


def _clause_items(index: LoadedIndex, parts: Sequence[Mapping[str, float]],
                  only: Collection[str] | None = None
                  ) -> Iterator[tuple[str, dict[str, Any], dict[int, float]]]:
    """Per clause with a word to match (the lexical side never returns another; of the
    documents whose :func:`hashed` ids are ``only``, when given): its item key, labels and
    sparse vector."""
    documents = _keyed(index)
    for position, clause in enumerate(index.clauses):
        document, doc_key = documents[clause.doc_id]
        if only is not None and doc_key not in only:
            continue
        sparse: dict[int, float] = {}
        for token, value in parts[position].items():
            sparse[token_id(token)] = sparse.get(token_id(token), 0.0) + value
        if sparse:
            key = clause_key(clause.doc_id, clause.clause_id)
            labels = {"clause_key": key, **_labels(document, doc_key, clause)}
            yield hashed(key), labels, sparse


def _sparse_bytes(sparse: Mapping[int, float]) -> bytes:
    return np.asarray(sorted(sparse.items()), dtype=np.float64).tobytes()


def clause_digests(index: LoadedIndex, parts: Sequence[Mapping[str, float]],
                   documents: Collection[str] | None = None) -> dict[str, str]:
    """Clause → its record's digest (of the documents whose :func:`hashed` ids are
    ``documents``, when given)."""
    return {key: _digest(labels, _sparse_bytes(sparse))
            for key, labels, sparse in _clause_items(index, parts, documents)}


def clause_records(index: LoadedIndex, parts: Sequence[Mapping[str, float]], generation: int,
                   wanted: Mapping[str, str], scope: Collection[str] | None = None
                   ) -> Iterator[dict[str, Any]]:
    """The clauses collection's records for the ``wanted`` clauses (with their digests)."""
    for key, labels, sparse in _clause_items(index, parts, scope):
        if key in wanted:
            yield {"key": f"{key}{KEY}{generation}", "since": generation, "until": FOREVER,
                   "digest": wanted[key], **labels, "sparse": sparse}


def _keyed(index: LoadedIndex) -> dict[str, tuple[Document, str]]:
    """Each document by id, with its :func:`hashed` id (worked out once, not per record)."""
    return {d.doc_id: (d, hashed(d.doc_id)) for d in index.documents}


def _labels(document: Document, doc_key: str, clause: Clause) -> dict[str, Any]:
    """The fields filters read."""
    return {"doc_id": _clean(document.doc_id), "doc_key": doc_key,
            "in_force": in_force(document),
            "region": _clean(document.region or ""),
            "units": _listed(u.name for u in clause.units),
            "deadlines": _listed(d.text for d in clause.deadlines)}


def _clean(value: str) -> str:
    """A value as stored and as filtered on, alike: printable characters only (an expression
    literal carries no control characters), at most :data:`MAX_KEY` of them."""
    return "".join(ch for ch in value if ch.isprintable())[:MAX_KEY]


def _listed(values: Any) -> list[str]:
    return list(dict.fromkeys(_clean(v) for v in values))[:MAX_LIST]


def among(field: str, values: Collection[str]) -> str:
    """``field`` is one of ``values``, as a filter expression (false for none)."""
    if not values:
        return "false"
    return f"{field} in [{', '.join(literal(v) for v in sorted(values))}]"


def literal(value: str) -> str:
    """A string as a Milvus expression literal: backslashes and quotes escaped, control
    characters (which no id, unit or deadline has) dropped, so that no value can change the
    expression around it."""
    kept = _clean(value)
    return '"' + kept.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expression(where: Where) -> str:
    """A Milvus filter expression for ``where``."""
    parts: list[str] = []
    if not where.repealed:
        parts.append("in_force == true")
    if where.doc_id is not None:
        parts.append(f"doc_id == {literal(where.doc_id)}")
    if where.unit is not None:
        parts.append(f"array_contains(units, {literal(where.unit)})")
    if where.deadline is not None:
        parts.append(f"array_contains(deadlines, {literal(where.deadline)})")
    if where.region is not None:
        parts.append(f"region == {literal(where.region)}")
    return " and ".join(parts)
