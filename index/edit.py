"""Editing an index one document at a time: add (or replace), remove, change a status.

Each edit writes a new version folder and publishes it like a build (:mod:`index.versions`):
readers see the previous version or the new one, and a failure or a crash leaves the previous
one in place. The segments of the documents an edit does not touch are hard-linked from the
current version after their checksums are checked, only a new document's passages are embedded
(and of those, none whose text already has a vector in the index), and the derived files (BM25,
dictionary, FAISS) are rebuilt from the segments in order. So removing a document that was just
added gives back an index that answers exactly as before, and a document whose content is
already indexed is not embedded again.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from contract.errors import IndexUnavailable, InputError, NotFound
from corpus.document import Document, Status
from index.backend import Mirror
from index.bm25 import BM25Index
from index.embed import EmbedStats, embed_passages
from index.encoder import Encoder
from index.segment import Segment, StoredSegment, content_sha256, read_segment
from index.store import (
    Lexical,
    Manifest,
    check_derived,
    check_documents,
    check_format,
    check_model,
    document_passages,
    known_vectors,
    published,
    read_manifest,
    readable_segments,
    stopwords_digest,
    write_version,
)
from index.versions import current, editing, workspace

logger = logging.getLogger(__name__)

Action = Literal["added", "replaced", "unchanged", "duplicate", "removed", "status"]


@dataclass(frozen=True)
class Change:
    """What an edit did to one document."""

    doc_id: str
    action: Action
    detail: str = ""
    """For ``duplicate``, the indexed document with the same content; for ``status``, the
    change (现行 → 废止)."""

    def describe(self) -> str:
        """``added gf-2019-4``, ``gf-2019-4 unchanged``, ``x duplicates gf-2019-4`` …"""
        if self.action == "unchanged":
            return f"{self.doc_id} unchanged"
        if self.action == "duplicate":
            return f"{self.doc_id} skipped (same content as {self.detail})"
        if self.action == "status":
            return f"{self.doc_id} {self.detail}"
        return f"{self.action} {self.doc_id}"


@dataclass(frozen=True)
class EditReport:
    """A finished edit: what changed, the manifest now in force, and the time it took."""

    changes: tuple[Change, ...]
    manifest: Manifest
    published: bool
    """False when nothing changed (every document was already indexed as it is)."""
    seconds: float
    embedding: EmbedStats | None = None

    def summary(self) -> str:
        """One line for the command line."""
        counts = self.manifest.counts
        done = "; ".join(c.describe() for c in self.changes)
        embedded = f"; {self.embedding.summary()}" if self.embedding and \
            self.embedding.passages else ""
        return (f"{done}: {counts['documents']} documents, {counts['clauses']} clauses, "
                f"{counts['vectors']} vectors{embedded} ({self.seconds:.1f} s)")


def add_documents(folder: Path, documents: Sequence[Document], encoder: Encoder, *,
                  lexical: Lexical, progress: Callable[[int, int], None] | None = None,
                  mirror: Mirror | None = None) -> EditReport:
    """Add ``documents`` to the index at ``folder``, or replace the indexed versions of the
    same doc ids (in place, keeping the order); new ones go last, in the order given.

    A document indexed with the same content already is skipped: ``unchanged`` under its own
    id, ``duplicate`` under another.
    """
    started = time.perf_counter()
    if not documents:
        raise InputError("no documents to add")
    check_documents(documents, need_clauses=True)
    with editing(folder):
        version, manifest = _current(folder)
        check_model(version, manifest, encoder)
        by_id = {entry.doc_id: entry for entry in manifest.segments}
        by_content = {entry.content_sha256: entry.doc_id for entry in manifest.segments}
        changes: list[Change] = []
        incoming: dict[str, Document] = {}
        for document in documents:
            digest = content_sha256(document)
            indexed = by_id.get(document.doc_id)
            if indexed is not None and indexed.content_sha256 == digest:
                changes.append(Change(document.doc_id, "unchanged"))
            elif digest in by_content and by_content[digest] != document.doc_id:
                changes.append(Change(document.doc_id, "duplicate", by_content[digest]))
            else:
                by_content[digest] = document.doc_id
                incoming[document.doc_id] = document
                changes.append(Change(document.doc_id, "replaced" if indexed else "added"))
        if not incoming:
            return EditReport(tuple(changes), manifest, published=False,
                              seconds=time.perf_counter() - started)

        kept = [read_segment(e, version, manifest.dim) for e in manifest.segments
                if e.doc_id not in incoming]
        known = known_vectors(kept + readable_segments([e for e in manifest.segments
                                                  if e.doc_id in incoming], version,
                                                 manifest.dim))
        passages = {doc_id: document_passages(d) for doc_id, d in incoming.items()}
        vectors, stats = embed_passages([t for _, texts in passages.values() for t in texts],
                                        encoder, known, progress)
        fresh: dict[str, Segment] = {}
        start = 0
        for doc_id, (rows, _) in passages.items():
            fresh[doc_id] = Segment(incoming[doc_id], vectors[start: start + len(rows)], rows)
            start += len(rows)
        by_kept = {s.entry.doc_id: s for s in kept}
        order: list[Segment | StoredSegment] = [
            fresh[e.doc_id] if e.doc_id in fresh else by_kept[e.doc_id]
            for e in manifest.segments]
        order += [fresh[doc_id] for doc_id in fresh if doc_id not in by_id]
        written = _publish(folder, version, manifest, order, lexical, mirror=mirror)
    return EditReport(tuple(changes), written, published=True,
                      seconds=time.perf_counter() - started, embedding=stats)


def remove_documents(folder: Path, doc_ids: Sequence[str], *, lexical: Lexical,
                     mirror: Mirror | None = None) -> EditReport:
    """Remove documents by id; NotFound (an InputError) names any the index does not hold.

    Only the documents that stay are read (and checked), so a damaged segment can be removed.
    """
    started = time.perf_counter()
    if not doc_ids:
        raise InputError("no document ids to remove")
    with editing(folder):
        version, manifest = _current(folder)
        indexed = [entry.doc_id for entry in manifest.segments]
        missing = [doc_id for doc_id in doc_ids if doc_id not in indexed]
        if missing:
            raise NotFound(f"{folder} has no document {', '.join(map(repr, missing))}; "
                           f"it holds {_listing(indexed)}")
        gone = set(doc_ids)
        if gone >= set(indexed):
            raise InputError(f"removing {', '.join(sorted(gone))} would leave {folder} empty; "
                             "build another index with: policyqa build")
        kept: list[Segment | StoredSegment] = [
            read_segment(e, version, manifest.dim) for e in manifest.segments
            if e.doc_id not in gone]
        written = _publish(folder, version, manifest, kept, lexical, mirror=mirror)
    changes = tuple(Change(doc_id, "removed") for doc_id in dict.fromkeys(doc_ids))
    return EditReport(changes, written, published=True, seconds=time.perf_counter() - started)


def set_status(folder: Path, doc_id: str, status: Status, *, lexical: Lexical,
               mirror: Mirror | None = None) -> EditReport:
    """Set a document's status (现行, 废止, 已修订): its ``document.json`` and the manifest
    change, nothing is embedded, and the derived files are kept as they are."""
    started = time.perf_counter()
    with editing(folder):
        version, manifest = _current(folder)
        stored = [read_segment(e, version, manifest.dim) for e in manifest.segments]
        target = next((s for s in stored if s.entry.doc_id == doc_id), None)
        if target is None:
            raise NotFound(f"{folder} has no document {doc_id!r}; it holds "
                           f"{_listing([s.entry.doc_id for s in stored])}")
        before = target.segment.document.status
        if before == status:
            return EditReport((Change(doc_id, "unchanged"),), manifest, published=False,
                              seconds=time.perf_counter() - started)
        changed = Segment(target.segment.document.model_copy(update={"status": status}),
                          target.segment.vectors, target.segment.rows, stored_vectors=target)
        order: list[Segment | StoredSegment] = [changed if s is target else s for s in stored]
        derived_ok = manifest.stopwords_sha256 == stopwords_digest(lexical.stopwords)
        if derived_ok:
            try:
                check_derived(version, manifest)
            except IndexUnavailable as exc:
                logger.warning("rebuilding the derived files: %s", exc)
                derived_ok = False
        written = _publish(folder, version, manifest, order, lexical, mirror=mirror,
                           keep_derived=derived_ok)
    return EditReport((Change(doc_id, "status", f"{before} → {status}"),), written,
                      published=True, seconds=time.perf_counter() - started)


def _current(folder: Path) -> tuple[Path, Manifest]:
    """The version folder the index path stands for now, and its manifest (this format)."""
    version = current(folder)
    manifest = read_manifest(version)
    check_format(version, manifest)
    return version, manifest


def _publish(folder: Path, version: Path, manifest: Manifest,
             segments: Sequence[Segment | StoredSegment], lexical: Lexical,
             keep_derived: bool = False, mirror: Mirror | None = None) -> Manifest:
    work = workspace(folder)
    try:
        written = write_version(work, segments, model_id=manifest.model_id, dim=manifest.dim,
                                index_type=manifest.index_type, lexical=lexical,
                                derived_from=version if keep_derived else None,
                                edited=manifest,
                                avgdl=BM25Index.saved_avgdl(version / "bm25"))
        published(work, folder, mirror)
        logger.info("published %s over %s: %s", folder, version.name, written.counts)
        return written
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _listing(doc_ids: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(doc_ids[:limit])
    return shown + (f" and {len(doc_ids) - limit} more" if len(doc_ids) > limit else "")
