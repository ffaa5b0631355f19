"""One document's share of an index: its parsed notice and its passage vectors, in a folder of
their own (``segments/<doc_id>/``) that an edit of another document leaves as it is.

Files: ``document.json`` (the parsed notice), ``vectors.npy`` (float32, one row per passage) and
``vector_rows.json`` (per row: the clause's position in the document, and the sentence's
position in the clause or -1 for the whole clause). The manifest records each file's sha256 in
the document's :class:`SegmentEntry`, and reading a segment checks them first, so a damaged
segment is refused by name.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from contract.errors import IndexUnavailable
from corpus.document import Document
from index.checksum import sha256_file

logger = logging.getLogger(__name__)

SEGMENTS = "segments"
SEGMENT_FILES = ("document.json", "vectors.npy", "vector_rows.json")
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")

Rows = tuple[tuple[int, int], ...]
"""Per vector: (clause position in the document, sentence position or -1 for the clause)."""


class SegmentEntry(BaseModel):
    """A document's segment as the manifest lists it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    doc_id: str
    folder: str
    """``segments/<name>``: the doc id itself when it is a safe file name, else a hash of it."""
    content_sha256: str
    """What the document says (see :func:`content_sha256`): the same notice added again under
    another status, source or id has the same hash."""
    clauses: int
    vectors: int
    files: dict[str, str]
    """File name in the segment folder → sha256."""


@dataclass(frozen=True)
class Segment:
    """A document with its passage vectors, in memory."""

    document: Document
    vectors: np.ndarray
    rows: Rows
    stored_vectors: StoredSegment | None = None
    """A stored segment whose vectors and rows these are (linked rather than written again)."""


@dataclass(frozen=True)
class StoredSegment:
    """A segment as an index version holds it: read from ``root`` and checked."""

    entry: SegmentEntry
    segment: Segment
    root: Path
    """The version folder it was read from (its files are linked from there)."""


def segment_folder(doc_id: str) -> str:
    """The folder of a document's segment, relative to the version folder."""
    name = doc_id if _SAFE_NAME.fullmatch(doc_id) else \
        "~" + hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:24]
    return f"{SEGMENTS}/{name}"


def content_sha256(document: Document) -> str:
    """A hash of what a document says: its metadata and clauses, without its id (which every
    clause repeats), its status (set separately, never re-embedded) or where it was read from."""
    data = document.model_dump(mode="json", exclude={
        "doc_id": True, "status": True, "source": True, "clauses": {"__all__": {"doc_id"}}})
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_segment(root: Path, segment: Segment) -> SegmentEntry:
    """Write a segment under the version folder ``root``."""
    document = segment.document
    relative = segment_folder(document.doc_id)
    folder = root / relative
    folder.mkdir(parents=True)
    (folder / "document.json").write_bytes(document.model_dump_json().encode("utf-8"))
    if segment.stored_vectors is not None:
        link_segment(segment.stored_vectors, root, ("vectors.npy", "vector_rows.json"))
    else:
        buffer = io.BytesIO()
        np.save(buffer, np.ascontiguousarray(segment.vectors, dtype=np.float32),
                allow_pickle=False)
        (folder / "vectors.npy").write_bytes(buffer.getvalue())
        (folder / "vector_rows.json").write_text(json.dumps([list(r) for r in segment.rows]),
                                                 encoding="utf-8")
    return SegmentEntry(
        doc_id=document.doc_id, folder=relative, content_sha256=content_sha256(document),
        clauses=len(document.clauses), vectors=len(segment.rows),
        files={name: sha256_file(folder / name) for name in SEGMENT_FILES})


def link_segment(stored: StoredSegment, root: Path, files: tuple[str, ...] = SEGMENT_FILES
                 ) -> None:
    """Put the stored segment's ``files`` under the version folder ``root``: hard links (the
    files are never written in place), or copies where the file system has no links."""
    source = stored.root / stored.entry.folder
    target = root / stored.entry.folder
    target.mkdir(parents=True, exist_ok=True)
    for name in files:
        link_file(source / name, target / name)


def link_file(source: Path, target: Path) -> None:
    """A hard link of ``source`` at ``target``, or a copy when linking is not possible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP,
                             errno.EOPNOTSUPP, errno.EACCES):
            raise
        shutil.copyfile(source, target)


def check_entry(entry: SegmentEntry, root: Path) -> None:
    """Check the segment's files against their checksums; IndexUnavailable names the segment."""
    if entry.folder != segment_folder(entry.doc_id):
        raise IndexUnavailable(f"{root}: the manifest puts segment {entry.doc_id} in "
                               f"{entry.folder!r}; rebuild with: policyqa build")
    unvouched = [name for name in SEGMENT_FILES if name not in entry.files]
    if unvouched or set(entry.files) - set(SEGMENT_FILES):
        raise IndexUnavailable(f"{root}: segment {entry.doc_id}: the manifest does not list its "
                               f"files ({', '.join(SEGMENT_FILES)}); rebuild with: policyqa build")
    for name, digest in entry.files.items():
        path = root / entry.folder / name
        try:
            if not path.is_file():
                raise IndexUnavailable(f"{root}: segment {entry.doc_id}: {name} is missing; "
                                       f"{_remedy(entry)}")
            matches = sha256_file(path) == digest
        except OSError as exc:
            raise IndexUnavailable(f"cannot read {path}: {exc.strerror}") from None
        if not matches:
            raise IndexUnavailable(
                f"{root}: segment {entry.doc_id}: {name} is truncated or altered (checksum "
                f"mismatch); {_remedy(entry)}")


def _remedy(entry: SegmentEntry) -> str:
    return (f"remove it (policyqa remove {entry.doc_id}) and add the notice again, or rebuild "
            "with: policyqa build")


def read_segment(entry: SegmentEntry, root: Path, dim: int) -> StoredSegment:
    """The whole segment, checked: checksums, then that its parts agree."""
    check_entry(entry, root)
    folder = root / entry.folder
    try:
        document = read_document(entry, root)
        vectors = np.load(folder / "vectors.npy", allow_pickle=False)
        rows = read_rows(entry, root)
    except (ValueError, OSError) as exc:
        raise IndexUnavailable(f"{root}: segment {entry.doc_id} cannot be read ({exc}); "
                               f"{_remedy(entry)}") from exc
    if vectors.dtype != np.float32 or vectors.shape != (len(rows), dim) or \
            len(document.clauses) != entry.clauses or len(rows) != entry.vectors or \
            any(not 0 <= c < entry.clauses for c, _ in rows):
        raise IndexUnavailable(f"{root}: segment {entry.doc_id}: its parts do not agree; "
                               f"{_remedy(entry)}")
    return StoredSegment(entry=entry, segment=Segment(document, vectors, rows), root=root)


def read_rows(entry: SegmentEntry, root: Path) -> Rows:
    """The segment's vector rows (not checked: see :func:`check_entry`)."""
    data = json.loads((root / entry.folder / "vector_rows.json").read_text(encoding="utf-8"))
    return tuple((int(a), int(b)) for a, b in data)


def read_document(entry: SegmentEntry, root: Path) -> Document:
    """The segment's document (not checked: see :func:`check_entry`)."""
    try:
        document = Document.model_validate_json((root / entry.folder / "document.json").read_bytes())
    except (ValidationError, OSError) as exc:
        raise IndexUnavailable(f"{root}: segment {entry.doc_id}: document.json cannot be read "
                               f"({exc}); {_remedy(entry)}") from exc
    if document.doc_id != entry.doc_id:
        raise IndexUnavailable(f"{root}: segment {entry.doc_id} holds document "
                               f"{document.doc_id}; {_remedy(entry)}")
    return document
