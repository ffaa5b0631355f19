"""The index folder: built beside its path and published atomically (:mod:`index.versions`);
verified on load.

Format 3: one segment per document (:mod:`index.segment`: ``segments/<doc_id>/`` with the
parsed notice, its passage vectors and which clause and sentence each vector is), and the files
derived from all of them, rebuilt whenever a document comes or goes: ``vectors.faiss`` (the
segments' vectors in segment order), ``bm25/`` and ``dictionary.txt`` (the tokenizer's user
dictionary). ``manifest.json`` lists the segments in order with each one's content hash and
file hashes, and the hashes of the derived files. FAISS loads a damaged file without complaint,
so every file's sha256 is checked before anything is read, and the loader insists that the
manifest covers every file it is going to read. Adding, removing or re-labelling one document
without re-embedding the others is :mod:`index.edit`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from contract.errors import IndexUnavailable, InputError
from corpus.document import Clause, Document
from corpus.units import UnitAliases
from index.backend import Mirror
from index.bm25 import FILES as BM25_FILES
from index.bm25 import BM25Index
from index.checksum import sha256_file
from index.dense import IndexType, VectorIndex
from index.embed import EmbedStats, embed_passages
from index.encoder import Encoder
from index.lexicon import Lexicon
from index.segment import (
    Rows,
    Segment,
    SegmentEntry,
    StoredSegment,
    check_entry,
    link_file,
    link_segment,
    read_document,
    read_rows,
    read_segment,
    write_segment,
)
from index.tokenize import Tokenizer, dictionary_words
from index.versions import check_target, current, editing, publish, workspace

logger = logging.getLogger(__name__)

FORMAT_VERSION = 5
"""5: BM25 postings without idf, its average length kept through edits, and the index's lineage
and generation; 4: distinct vectors once, with row slots; 3: a segment per document."""
# The files derived from the segments; a manifest that does not vouch for each is refused.
REQUIRED_FILES = ("vectors.faiss", "vectors.slots.npy", "dictionary.txt",
                  *(f"bm25/{name}" for name in BM25_FILES))


class Manifest(BaseModel):
    """What an index folder holds and how to check it."""

    model_config = ConfigDict(frozen=True, protected_namespaces=())

    format_version: int
    model_id: str
    dim: int
    index_type: str
    corpus_sha256: str
    """A hash of the segments in order: each document's id, content hash and status."""
    dictionary_sha256: str
    stopwords_sha256: str
    """The BM25 tokens were cut with this stopword list; another list would not match them."""
    counts: dict[str, int]
    created_at: str
    files: dict[str, str]
    """Relative path → sha256 of every derived file (the segments list their own)."""
    lineage: str = ""
    """Names a build and every edit made on it since (a store that keeps its own copy, such
    as Milvus, edits that copy in place within a lineage and starts afresh for a new one)."""
    generation: int = 0
    """0 for a build, one more with each edit after it. (Both default for the manifests of
    older formats, so that they are read to say what to rebuild, and their vectors reused.)"""
    segments: tuple[SegmentEntry, ...] = Field(default=(), exclude=True)
    """The documents' segments in index order. Left out of ``model_dump`` (the readiness probe
    reports the manifest); :func:`manifest_json` writes it."""


@dataclass(frozen=True)
class LoadedIndex:
    """Everything search needs, verified and in memory."""

    manifest: Manifest
    documents: tuple[Document, ...]
    clauses: tuple[Clause, ...]
    vectors: VectorIndex | None
    """The FAISS vectors; None when another store (Milvus) holds them."""
    vector_rows: tuple[tuple[int, int], ...]
    """Per vector: (clause position, sentence position or -1 for the whole clause)."""
    bm25: BM25Index
    tokenizer: Tokenizer
    folder: Path | None = None
    """The version folder it was read from (what the index path pointed at then)."""


@dataclass(frozen=True)
class Lexical:
    """What the lexical side is built from: unit aliases and lexicon terms (the tokenizer's
    dictionary) and the stopwords BM25 drops."""

    aliases: UnitAliases
    lexicon: Lexicon
    stopwords: frozenset[str]


@dataclass(frozen=True)
class BuildReport:
    """A finished build: its manifest, and what embedding took."""

    manifest: Manifest
    embedding: EmbedStats


def passage_texts(clause: Clause) -> list[tuple[int, str]]:
    """The texts embedded for a clause: the whole clause (-1), then each sentence.

    Changing what is embedded changes :data:`FORMAT_VERSION`: an edit reuses the vectors of
    the texts this gives for the stored clauses.
    """
    context = clause.heading or clause.section
    texts = [(-1, f"{clause.label}\n{clause.text}")]
    texts += [(i, f"{context}：{s.text}" if context else s.text)
              for i, s in enumerate(clause.sentences)]
    return texts


def document_passages(document: Document) -> tuple[Rows, list[str]]:
    """A document's vector rows (clause position, sentence or -1) and the texts they embed."""
    rows: list[tuple[int, int]] = []
    texts: list[str] = []
    for position, clause in enumerate(document.clauses):
        for sentence, text in passage_texts(clause):
            rows.append((position, sentence))
            texts.append(text)
    return tuple(rows), texts


def lexical_text(clause: Clause) -> str:
    """The text BM25 indexes for a clause: label, section, text and unit names."""
    units = " ".join(u.name for u in clause.units)
    return f"{clause.label} {clause.section} {clause.text} {units}"


def check_documents(documents: Sequence[Document], *, need_clauses: bool = False) -> None:
    """InputError for documents that cannot be indexed together: a doc id twice, or (with
    ``need_clauses``, for a document added on its own) a document without clauses."""
    seen: set[str] = set()
    for document in documents:
        if document.doc_id in seen:
            raise InputError(f"two documents share the id {document.doc_id!r}")
        seen.add(document.doc_id)
        if need_clauses and not document.clauses:
            raise InputError(f"{document.doc_id}: the document has no clauses to index")


def build_index(documents: Sequence[Document], encoder: Encoder, folder: Path, *,
                aliases: UnitAliases, lexicon: Lexicon, stopwords: frozenset[str],
                index_type: IndexType = "flat",
                progress: Callable[[int, int], None] | None = None,
                mirror: Mirror | None = None) -> BuildReport:
    """Build the index for ``documents`` and swap it into ``folder`` atomically.

    ``folder`` must be absent, empty, or an index already: anything else is refused untouched.
    ``progress(done, total)`` counts the texts encoded. ``mirror`` (Milvus) gets the version
    before it is published and makes it live after.
    """
    if not any(d.clauses for d in documents):
        raise IndexUnavailable("there is nothing to index: the corpus has no clauses")
    check_documents(documents)
    check_target(folder, _is_index)
    passages = [document_passages(d) for d in documents]
    with editing(folder):
        work = workspace(folder)
        try:
            vectors, stats = embed_passages([t for _, texts in passages for t in texts],
                                            encoder, reusable_vectors(folder, encoder),
                                            progress)
            segments: list[Segment] = []
            start = 0
            for document, (rows, _) in zip(documents, passages, strict=True):
                segments.append(Segment(document, vectors[start: start + len(rows)], rows))
                start += len(rows)
            manifest = write_version(work, segments, model_id=encoder.model_id,
                                     dim=encoder.dim, index_type=index_type,
                                     lexical=Lexical(aliases, lexicon, stopwords))
            published(work, folder, mirror)
            return BuildReport(manifest, stats)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def reusable_vectors(folder: Path, encoder: Encoder) -> dict[str, np.ndarray]:
    """Text → vector of the passages an index already at ``folder`` holds, made by the same
    model (of this format or an older one with the same segments): a rebuild embeds only what
    is new. Nothing when there is no such index; a segment that does not check is skipped."""
    try:
        version = current(folder)
        manifest = read_manifest(version)
    except (IndexUnavailable, OSError):
        return {}
    if (manifest.model_id, manifest.dim) != (encoder.model_id, encoder.dim):
        return {}
    return known_vectors(readable_segments(manifest.segments, version, manifest.dim))


def readable_segments(entries: Sequence[SegmentEntry], version: Path, dim: int
                      ) -> list[StoredSegment]:
    """The segments among ``entries`` that read and check (vectors reused are only a saving:
    a damaged segment is skipped)."""
    out = []
    for entry in entries:
        try:
            out.append(read_segment(entry, version, dim))
        except IndexUnavailable as exc:
            logger.warning("not reusing the vectors of %s: %s", entry.doc_id, exc)
    return out


def known_vectors(stored: Sequence[StoredSegment]) -> dict[str, np.ndarray]:
    """Text → vector of every passage the stored segments hold."""
    known: dict[str, np.ndarray] = {}
    for item in stored:
        rows, texts = document_passages(item.segment.document)
        if rows != item.segment.rows:
            continue  # stored by another version of the passage rules: not comparable
        for vector, text in zip(item.segment.vectors, texts, strict=True):
            known.setdefault(text, vector)
    return known


def published(work: Path, folder: Path, mirror: Mirror | None) -> None:
    """Publish a finished version: the mirror loads it first (a failure publishes nothing),
    then the folder's link moves, then the mirror makes it live."""
    if mirror is not None:
        previous = current(folder)
        mirror.stage(work, previous if (previous / "manifest.json").is_file() else None)
    publish(work, folder)
    if mirror is not None:
        mirror.activate()


def write_version(work: Path, segments: Sequence[Segment | StoredSegment], *, model_id: str,
                  dim: int, index_type: str, lexical: Lexical,
                  derived_from: Path | None = None, edited: Manifest | None = None,
                  avgdl: float | None = None) -> Manifest:
    """Fill the version folder ``work``: the segments in order (new ones written, stored ones
    linked), the derived files, then the manifest.

    With ``derived_from`` (a checked version folder of the same clauses, in the same order) the
    derived files are linked from there instead of rebuilt. ``edited`` is the manifest of the
    version an edit starts from: the new one continues its lineage, one generation on, and
    keeps BM25's average clause length ``avgdl`` (so that no other clause's BM25 part moves).
    """
    entries: list[SegmentEntry] = []
    documents: list[Document] = []
    for item in segments:
        if isinstance(item, StoredSegment):
            link_segment(item, work)
            entries.append(item.entry)
            documents.append(item.segment.document)
        else:
            entries.append(write_segment(work, item))
            documents.append(item.document)
    clauses = [c for d in documents for c in d.clauses]
    if not clauses:
        raise IndexUnavailable("there is nothing to index: the corpus has no clauses")
    if derived_from is None:
        vectors = [s.segment.vectors if isinstance(s, StoredSegment) else s.vectors
                   for s in segments]
        _write_derived(work, clauses, np.concatenate(vectors), index_type, lexical, avgdl)
    else:
        for name in REQUIRED_FILES:
            link_file(derived_from / name, work / name)
    corpus = hashlib.sha256("".join(
        f"{e.doc_id}\t{e.content_sha256}\t{d.status}\n" for e, d in zip(entries, documents,
                                                                         strict=True)
    ).encode("utf-8")).hexdigest()
    manifest = Manifest(
        format_version=FORMAT_VERSION, model_id=model_id, dim=dim, index_type=index_type,
        corpus_sha256=corpus, dictionary_sha256=sha256_file(work / "dictionary.txt"),
        stopwords_sha256=stopwords_digest(lexical.stopwords),
        counts={"documents": len(documents), "clauses": len(clauses),
                "vectors": sum(e.vectors for e in entries)},
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        files={name: sha256_file(work / name) for name in REQUIRED_FILES},
        lineage=edited.lineage if edited else uuid.uuid4().hex[:16],
        generation=edited.generation + 1 if edited else 0,
        segments=tuple(entries))
    (work / "manifest.json").write_text(manifest_json(manifest), encoding="utf-8")
    return manifest


def _write_derived(work: Path, clauses: Sequence[Clause], vectors: np.ndarray,
                   index_type: str, lexical: Lexical, avgdl: float | None) -> None:
    """The files every segment contributes to: dictionary, BM25 and the FAISS index."""
    words = dictionary_words(clauses, lexical.aliases, lexical.lexicon.words())
    (work / "dictionary.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    tokenizer = Tokenizer(words, lexical.stopwords)
    bm25 = BM25Index.build([tokenizer.tokens(lexical_text(c)) for c in clauses], avgdl)
    (work / "bm25").mkdir()
    bm25.save(work / "bm25")
    kind: IndexType = "hnsw" if index_type == "hnsw" else "flat"
    VectorIndex.build(vectors, kind).save(work / "vectors.faiss")


def changed_documents(before: Manifest, after: Manifest) -> set[str]:
    """The documents added, removed or changed (content, status or vectors: their segment's
    files) from one version to the next."""
    old = {e.doc_id: e for e in before.segments}
    new = {e.doc_id: e for e in after.segments}
    return {doc_id for doc_id in old.keys() | new.keys() if old.get(doc_id) != new.get(doc_id)}


def manifest_json(manifest: Manifest) -> str:
    """The manifest file's text, segments included."""
    data = manifest.model_dump(mode="json")
    data["segments"] = [entry.model_dump(mode="json") for entry in manifest.segments]
    return json.dumps(data, ensure_ascii=False, indent=2)


def stopwords_digest(stopwords: frozenset[str]) -> str:
    """A hash of a stopword list, whatever order it was read in."""
    return hashlib.sha256("\n".join(sorted(stopwords)).encode("utf-8")).hexdigest()


def _is_index(folder: Path) -> bool:
    """True for a folder a policyqa build wrote, of this format or an older one (so that an
    upgrade can rebuild it), damaged or not."""
    try:
        data = json.loads((folder / "manifest.json").read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "format_version" in data and "model_id" in data


def legacy_documents(folder: Path) -> list[Document]:
    """The documents of an index of format 2 or older (its ``documents.json``), to rebuild it
    in this format with the same corpus; IndexUnavailable when they cannot be read."""
    folder = current(folder)
    path = folder / "documents.json"
    try:
        files = json.loads((folder / "manifest.json").read_bytes()).get("files", {})
        if files.get("documents.json") != sha256_file(path):
            raise ValueError("documents.json does not match its checksum")
        return TypeAdapter(list[Document]).validate_json(path.read_bytes())
    except (OSError, ValueError, AttributeError) as exc:
        raise IndexUnavailable(f"{folder} is of an older format and its documents cannot be "
                               f"read ({exc}); rebuild with: policyqa build") from None


def read_manifest(folder: Path) -> Manifest:
    """The manifest of an index folder, or IndexUnavailable saying what to run."""
    path = folder / "manifest.json"
    try:
        if not path.is_file():
            raise IndexUnavailable(f"no index in {folder}; build one with: policyqa build")
        return Manifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise IndexUnavailable(
            f"{path} is damaged ({exc.error_count()} problems); rebuild with: policyqa build"
        ) from None
    except OSError as exc:
        raise IndexUnavailable(f"cannot read {path}: {exc.strerror}") from None


def check_format(folder: Path, manifest: Manifest) -> None:
    """IndexUnavailable for an index of another format, or one whose manifest lists no
    documents."""
    if manifest.format_version != FORMAT_VERSION:
        raise IndexUnavailable(
            f"{folder} has index format {manifest.format_version}, this version reads "
            f"{FORMAT_VERSION}; rebuild with: policyqa build")
    if not manifest.segments:
        raise IndexUnavailable(f"{folder}: the manifest lists no documents; rebuild with: "
                               "policyqa build")


def check_model(folder: Path, manifest: Manifest, encoder: Encoder) -> None:
    """IndexUnavailable when the index was built with another model than ``encoder``."""
    if (manifest.model_id, manifest.dim) != (encoder.model_id, encoder.dim):
        raise IndexUnavailable(
            f"{folder} was built with the model {manifest.model_id} ({manifest.dim} dims) but the "
            f"configured model is {encoder.model_id} ({encoder.dim} dims); rebuild with: "
            "policyqa build")


def check_derived(folder: Path, manifest: Manifest) -> None:
    """Check the derived files against the manifest's checksums."""
    unvouched = [name for name in REQUIRED_FILES if name not in manifest.files]
    if unvouched:
        raise IndexUnavailable(
            f"{folder}: the manifest has no checksum for {', '.join(unvouched)}; rebuild with: "
            "policyqa build")
    for name, digest in manifest.files.items():
        path = folder / name
        try:
            if not path.is_file():
                raise IndexUnavailable(f"{folder}: {name} is missing; rebuild with: policyqa build")
            matches = sha256_file(path) == digest
        except OSError as exc:
            raise IndexUnavailable(f"cannot read {path}: {exc.strerror}") from None
        if not matches:
            raise IndexUnavailable(
                f"{folder}: {name} is truncated or altered (checksum mismatch); rebuild with: "
                "policyqa build")


def verify(folder: Path, encoder: Encoder | None = None) -> Manifest:
    """Check format, model and every file's sha256; IndexUnavailable names ``policyqa build``
    (or, for a damaged segment, the document).

    ``folder`` is a version folder (see :func:`load_index`), or a link read once here.
    """
    folder = current(folder)
    manifest = read_manifest(folder)
    check_format(folder, manifest)
    if encoder is not None:
        check_model(folder, manifest, encoder)
    check_derived(folder, manifest)
    ids = [entry.doc_id for entry in manifest.segments]
    if len(set(ids)) != len(ids):
        raise IndexUnavailable(f"{folder}: the manifest lists a document twice; rebuild with: "
                               "policyqa build")
    for entry in manifest.segments:
        check_entry(entry, folder)
    return manifest


def load_index(folder: Path, encoder: Encoder | None, stopwords: frozenset[str], *,
               vectors: bool = True) -> LoadedIndex:
    """Verify and load an index folder (without its FAISS vectors when ``vectors`` is False:
    another store holds them).

    The path is resolved once, so every file comes from the same version even when a build
    or an edit publishes a new one meanwhile.
    """
    folder = current(folder)
    manifest = verify(folder, encoder)
    if manifest.stopwords_sha256 != stopwords_digest(stopwords):
        raise IndexUnavailable(f"{folder} was built with another stopword list than the one "
                               "installed; rebuild with: policyqa build")
    documents: list[Document] = []
    rows: list[tuple[int, int]] = []
    try:
        start = 0
        for entry in manifest.segments:
            document = read_document(entry, folder)
            segment_rows = read_rows(entry, folder)
            if any(not 0 <= c < len(document.clauses) for c, _ in segment_rows):
                raise ValueError(f"segment {entry.doc_id}: its vector rows name other clauses")
            documents.append(document)
            rows += [(start + c, s) for c, s in segment_rows]
            start += len(document.clauses)
        words = (folder / "dictionary.txt").read_text(encoding="utf-8").split()
        clauses = tuple(c for d in documents for c in d.clauses)
        dense = VectorIndex.load(folder / "vectors.faiss") if vectors else None
        bm25 = BM25Index.load(folder / "bm25", size=len(clauses))
    except (ValueError, OSError, RuntimeError) as exc:
        raise IndexUnavailable(f"{folder} cannot be read ({exc}); rebuild with: policyqa build") \
            from exc
    if (dense is not None and (dense.size != len(rows) or dense.dim != manifest.dim)) or \
            len(clauses) != manifest.counts.get("clauses"):
        raise IndexUnavailable(f"{folder}: its parts do not agree; rebuild with: policyqa build")
    return LoadedIndex(manifest=manifest, documents=tuple(documents), clauses=clauses,
                       vectors=dense, vector_rows=tuple(rows), bm25=bm25,
                       tokenizer=Tokenizer(words, stopwords), folder=folder)
