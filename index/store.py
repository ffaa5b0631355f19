"""The index folder: built beside its path and published atomically (:mod:`index.versions`);
verified on load.

Files: ``manifest.json`` (format, model, hashes of every file, counts), ``documents.json`` (the
parsed notices), ``vectors.faiss`` with ``vector_rows.json`` (which clause and sentence each
vector is), ``bm25/`` and ``dictionary.txt`` (the tokenizer's user dictionary). FAISS loads a
damaged file without complaint, so every file's sha256 is checked before anything is read, and
the loader insists that the manifest covers every file it is going to read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from contract.errors import IndexUnavailable
from corpus.document import Clause, Document
from corpus.units import UnitAliases
from index.bm25 import BM25Index
from index.checksum import sha256_file
from index.dense import IndexType, VectorIndex
from index.encoder import Encoder
from index.lexicon import Lexicon
from index.tokenize import Tokenizer, dictionary_words
from index.versions import check_target, current, publish, workspace

logger = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: the stopword list's hash
_DOCUMENTS = TypeAdapter(list[Document])
# Every file the loader reads; a manifest that does not vouch for each of them is refused.
REQUIRED_FILES = ("documents.json", "vectors.faiss", "vector_rows.json", "dictionary.txt",
                  "bm25/data.csc.index.npy", "bm25/indices.csc.index.npy",
                  "bm25/indptr.csc.index.npy", "bm25/params.index.json", "bm25/vocab.index.json")


class Manifest(BaseModel):
    """What an index folder holds and how to check it."""

    model_config = ConfigDict(frozen=True, protected_namespaces=())

    format_version: int
    model_id: str
    dim: int
    index_type: str
    corpus_sha256: str
    dictionary_sha256: str
    stopwords_sha256: str
    """The BM25 tokens were cut with this stopword list; another list would not match them."""
    counts: dict[str, int]
    created_at: str
    files: dict[str, str]
    """Relative path → sha256 of every file in the folder."""


@dataclass(frozen=True)
class LoadedIndex:
    """Everything search needs, verified and in memory."""

    manifest: Manifest
    documents: tuple[Document, ...]
    clauses: tuple[Clause, ...]
    vectors: VectorIndex
    vector_rows: tuple[tuple[int, int], ...]
    """Per vector: (clause position, sentence position or -1 for the whole clause)."""
    bm25: BM25Index
    tokenizer: Tokenizer


def passage_texts(clause: Clause) -> list[tuple[int, str]]:
    """The texts embedded for a clause: the whole clause (-1), then each sentence."""
    context = clause.heading or clause.section
    texts = [(-1, f"{clause.label}\n{clause.text}")]
    texts += [(i, f"{context}：{s.text}" if context else s.text)
              for i, s in enumerate(clause.sentences)]
    return texts


def lexical_text(clause: Clause) -> str:
    """The text BM25 indexes for a clause: label, section, text and unit names."""
    units = " ".join(u.name for u in clause.units)
    return f"{clause.label} {clause.section} {clause.text} {units}"


def build_index(documents: Sequence[Document], encoder: Encoder, folder: Path, *,
                aliases: UnitAliases, lexicon: Lexicon, stopwords: frozenset[str],
                index_type: IndexType = "flat",
                progress: Callable[[int, int], None] | None = None) -> Manifest:
    """Build the index for ``documents`` and swap it into ``folder`` atomically.

    ``folder`` must be absent, empty, or an index already: anything else is refused untouched.
    """
    clauses = [c for d in documents for c in d.clauses]
    if not clauses:
        raise IndexUnavailable("there is nothing to index: the corpus has no clauses")
    check_target(folder, _is_index)
    work = workspace(folder)
    try:
        words = dictionary_words(clauses, aliases, lexicon.words())
        (work / "dictionary.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
        tokenizer = Tokenizer(words, stopwords)
        bm25 = BM25Index.build([tokenizer.tokens(lexical_text(c)) for c in clauses])
        (work / "bm25").mkdir()
        bm25.save(work / "bm25")

        rows: list[tuple[int, int]] = []
        texts: list[str] = []
        for position, clause in enumerate(clauses):
            for sentence, text in passage_texts(clause):
                rows.append((position, sentence))
                texts.append(text)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(texts))

        vectors = encoder.encode(texts, "passage", progress=advance)
        if vectors.shape != (len(texts), encoder.dim):
            raise IndexUnavailable(f"the encoder returned vectors of shape {vectors.shape}")
        VectorIndex.build(vectors, index_type).save(work / "vectors.faiss")
        (work / "vector_rows.json").write_text(json.dumps(rows), encoding="utf-8")
        documents_json = _DOCUMENTS.dump_json(list(documents))
        (work / "documents.json").write_bytes(documents_json)

        manifest = Manifest(
            format_version=FORMAT_VERSION, model_id=encoder.model_id, dim=encoder.dim,
            index_type=index_type, corpus_sha256=hashlib.sha256(documents_json).hexdigest(),
            dictionary_sha256=sha256_file(work / "dictionary.txt"),
            stopwords_sha256=stopwords_digest(stopwords),
            counts={"documents": len(documents), "clauses": len(clauses), "vectors": len(rows)},
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            files={str(p.relative_to(work)): sha256_file(p)
                   for p in sorted(work.rglob("*")) if p.is_file()},
        )
        (work / "manifest.json").write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
        publish(work, folder)
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


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


def verify(folder: Path, encoder: Encoder | None = None) -> Manifest:
    """Check format, model and every file's sha256; IndexUnavailable names ``policyqa build``.

    ``folder`` is a version folder (see :func:`load_index`), or a link read once here.
    """
    folder = current(folder)
    manifest = read_manifest(folder)
    if manifest.format_version != FORMAT_VERSION:
        raise IndexUnavailable(
            f"{folder} has index format {manifest.format_version}, this version reads "
            f"{FORMAT_VERSION}; rebuild with: policyqa build")
    if encoder is not None and (manifest.model_id, manifest.dim) != (encoder.model_id, encoder.dim):
        raise IndexUnavailable(
            f"{folder} was built with the model {manifest.model_id} ({manifest.dim} dims) but the "
            f"configured model is {encoder.model_id} ({encoder.dim} dims); rebuild with: "
            "policyqa build")
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
    return manifest


def load_index(folder: Path, encoder: Encoder | None, stopwords: frozenset[str]) -> LoadedIndex:
    """Verify and load an index folder.

    The path is resolved once, so every file comes from the same version even when a build
    publishes a new one meanwhile.
    """
    folder = current(folder)
    manifest = verify(folder, encoder)
    if manifest.stopwords_sha256 != stopwords_digest(stopwords):
        raise IndexUnavailable(f"{folder} was built with another stopword list than the one "
                               "installed; rebuild with: policyqa build")
    try:
        documents = tuple(_DOCUMENTS.validate_json((folder / "documents.json").read_bytes()))
        rows = tuple((int(a), int(b)) for a, b in
                     json.loads((folder / "vector_rows.json").read_text(encoding="utf-8")))
        words = (folder / "dictionary.txt").read_text(encoding="utf-8").split()
        clauses = tuple(c for d in documents for c in d.clauses)
        vectors = VectorIndex.load(folder / "vectors.faiss")
        bm25 = BM25Index.load(folder / "bm25", size=len(clauses))
    except (ValidationError, ValueError, OSError, RuntimeError) as exc:
        raise IndexUnavailable(f"{folder} cannot be read ({exc}); rebuild with: policyqa build") \
            from exc
    if vectors.size != len(rows) or len(clauses) != manifest.counts.get("clauses"):
        raise IndexUnavailable(f"{folder}: its parts do not agree; rebuild with: policyqa build")
    return LoadedIndex(manifest=manifest, documents=documents, clauses=clauses, vectors=vectors,
                       vector_rows=rows, bm25=bm25, tokenizer=Tokenizer(words, stopwords))
