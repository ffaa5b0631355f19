"""Assembling the system from settings: model, index and retriever, loaded once per process.

Only entry points (CLI, API lifespan, bot start-up) call this; library code takes plain
arguments.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from contract.errors import ConfigurationError
from corpus.document import Document, Status
from corpus.reader import read_documents
from corpus.units import load_aliases
from engine.refusal import RefusalModel
from engine.service import PolicyQA, StoreOpener
from index import edit
from index.backend import Backend, Mirror
from index.batching import BatchingEncoder
from index.dense import IndexType
from index.edit import EditReport
from index.encoder import Encoder, SentenceTransformerEncoder
from index.graph import graph_path
from index.lexicon import Lexicon, load_lexicon, load_stopwords
from index.milvus import MilvusBackend, MilvusStore
from index.milvus_mirror import MilvusMirror
from index.model import DEFAULT_MODEL, build_model, packaged_files, resolve_model
from index.onnx_encoder import OnnxEncoder
from index.store import (
    BuildReport,
    Lexical,
    LoadedIndex,
    build_index,
    check_format,
    legacy_documents,
    load_index,
    read_manifest,
    verify,
)
from index.versions import current, editing
from policyqa.settings import Settings

logger = logging.getLogger(__name__)


def open_encoder(settings: Settings,
                 progress: Callable[[str], None] | None = None) -> Encoder:
    """The configured embedding model; the default one is built on first use.

    With the ONNX runtime, serving needs no PyTorch: the model folder and its exported graph
    are read by :class:`~index.onnx_encoder.OnnxEncoder`. PyTorch is needed only to build the
    model and export the graph, once (``policyqa model build``).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a model is never fetched from a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    name = settings.embed_model
    try:
        path = resolve_model(name, settings.cache_dir)
    except ConfigurationError:
        if name != DEFAULT_MODEL:
            raise
        packaged_files()  # says which packages to install when they are missing
        logger.info("building the embedding model %s into %s (once)", name, settings.cache_dir)
        path = build_model(settings.cache_dir / DEFAULT_MODEL, progress=progress)
    model_id = DEFAULT_MODEL if name == DEFAULT_MODEL else Path(name).name
    if settings.embed_runtime == "torch":
        return SentenceTransformerEncoder(path, model_id=model_id, weights=settings.embed_weights)
    if settings.embed_weights != "float32":
        raise ConfigurationError(
            f"{settings.embed_weights} weights are a PyTorch option; the ONNX runtime computes in "
            "float32 (set POLICYQA_EMBED_RUNTIME=torch to use them)")
    graph = graph_path(path, settings.cache_dir, model_id)
    if not graph.is_file():
        export(path, model_id, settings.cache_dir)
    return OnnxEncoder(path, graph, model_id)


def export(path: Path, model_id: str, cache_dir: Path) -> Path:
    """Export the model's ONNX graph into the cache (needs PyTorch; done once per model)."""
    if importlib.util.find_spec("torch") is None or \
            importlib.util.find_spec("sentence_transformers") is None:
        raise ConfigurationError(
            f"the model {model_id} has no exported ONNX graph in {cache_dir / 'onnx'}, and "
            "exporting one needs PyTorch and policyqa[build]: run `policyqa model build` where "
            "they are installed, then copy the cache folder")
    exporter = SentenceTransformerEncoder(path, model_id=model_id, onnx_cache=cache_dir)
    del exporter  # it exported and checked the graph; serving reads the graph without it
    return graph_path(path, cache_dir, model_id)


def build(settings: Settings, corpus: list[Path] | None = None, index_dir: Path | None = None,
          progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Parse the corpus and build the index folder."""
    documents = read_documents(corpus or settings.corpus)
    mirror = store_mirror(settings)  # an unreachable store is said before the build
    return build_index(documents, open_encoder(settings), index_dir or settings.index_dir,
                       aliases=load_aliases(), lexicon=load_lexicon(),
                       stopwords=load_stopwords(), index_type=settings.index_type,
                       progress=progress, mirror=mirror)


def upgrade(settings: Settings, index_dir: Path,
            progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Rebuild an index of an older format in this one, from the documents it holds (the same
    corpus, whatever it was built from)."""
    documents = legacy_documents(index_dir)
    return build_index(documents, open_encoder(settings), index_dir, aliases=load_aliases(),
                       lexicon=load_lexicon(), stopwords=load_stopwords(),
                       index_type=settings.index_type, progress=progress,
                       mirror=store_mirror(settings))


def open_service(settings: Settings, index_dir: Path | None = None, serving: bool = False,
                 refusal: RefusalModel | None = None) -> PolicyQA:
    """Load the model and the index (verified) and make the service over them.

    ``serving`` (the API and the bot) batches concurrent questions into one forward pass and
    caches repeated ones; the CLI, eval and the benchmark encode each question afresh.
    """
    folder = index_dir or settings.index_dir
    verify(folder)  # a missing or damaged index is reported before the model takes its time
    model = open_encoder(settings)
    encoder: Encoder = BatchingEncoder(model, cache_size=settings.query_cache_size) \
        if serving else model
    store = open_store(settings)
    index = load_index(folder, encoder, load_stopwords(), vectors=store is None)
    return PolicyQA.over(index, encoder, refusal, settings.home_region, store)


def open_store(settings: Settings) -> StoreOpener | None:
    """How the configured store opens over a loaded index: None for the embedded one (the
    index folder's own files); for Milvus, a connection made now (an unreachable Milvus is
    said now, never replaced by the embedded store) and a check, per index, that its version
    was loaded into Milvus."""
    if settings.store != "milvus":
        return None
    store = connect_milvus(settings)

    def opener(index: LoadedIndex) -> Backend:
        return MilvusBackend.over(store, index)

    return opener


def check_store(settings: Settings, index_dir: Path) -> None:
    """Say now, once, when the configured store cannot serve the index (before several
    workers each load the model to find out)."""
    opener = open_store(settings)
    if opener is not None:
        opener(load_index(index_dir, None, load_stopwords(), vectors=False))


def connect_milvus(settings: Settings) -> MilvusStore:
    """The configured Milvus (a server URI or a Milvus Lite file)."""
    token = settings.milvus_token.get_secret_value() if settings.milvus_token else None
    return MilvusStore.connect(settings.milvus_uri, token, settings.milvus_prefix)


def store_mirror(settings: Settings) -> Mirror | None:
    """What keeps the configured store in step with the index folder: None for the embedded
    store (it reads the folder); for Milvus, a connection made now (an unreachable Milvus is
    said before any work) that loads each new version before it is published."""
    if settings.store != "milvus":
        return None
    return MilvusMirror(connect_milvus(settings))


def sync_milvus(settings: Settings, folder: Path) -> tuple[str, int]:
    """Make Milvus hold the index folder's current version and make it live (an index built
    before POLICYQA_STORE=milvus was set, edited without it, or after a failed load: only what
    differs is written), under the folder's edit lock so that no build or edit publishes
    meanwhile. The lineage and generation now live."""
    mirror = MilvusMirror(connect_milvus(settings))
    with editing(folder):  # what a publication does for Milvus, without a new folder version
        version = current(folder)
        mirror.stage(version)
        mirror.activate()
    manifest = read_manifest(version)
    return manifest.lineage, manifest.generation


def rebuild(current: PolicyQA, documents: Sequence[Document], index_dir: Path,
            index_type: IndexType = "flat", mirror: Mirror | None = None) -> PolicyQA:
    """Build and publish a new index with the service's own (already loaded) model, and a
    service over it that shares that model and its question cache; ``mirror`` keeps the store
    in step."""
    model = _model(current)
    build_index(documents, model, index_dir, aliases=load_aliases(), lexicon=current.lexicon,
                stopwords=load_stopwords(), index_type=index_type, mirror=mirror)
    return _reopen(current, index_dir)


def lexical(lexicon: Lexicon | None = None) -> Lexical:
    """The installed alias table, lexicon and stopwords, which the lexical side is built from."""
    return Lexical(load_aliases(), lexicon or load_lexicon(), load_stopwords())


# -- editing one document at a time ---------------------------------------------------------

def add_files(settings: Settings, files: Sequence[Path], index_dir: Path | None = None,
              progress: Callable[[int, int], None] | None = None) -> EditReport:
    """Parse notice files and add their documents to the index (the command line)."""
    folder = index_dir or settings.index_dir
    documents = read_documents(files)
    version = current(folder)
    check_format(version, read_manifest(version))  # before the model takes its time
    return edit.add_documents(folder, documents, open_encoder(settings), lexical=lexical(),
                              progress=progress, mirror=store_mirror(settings))


def remove_documents(doc_ids: Sequence[str], index_dir: Path,
                     mirror: Mirror | None = None) -> EditReport:
    """Remove documents from the index by id (no model needed)."""
    return edit.remove_documents(index_dir, doc_ids, lexical=lexical(), mirror=mirror)


def set_status(doc_id: str, status: Status, index_dir: Path,
               mirror: Mirror | None = None) -> EditReport:
    """Set a document's status in the index (no model needed, nothing embedded)."""
    return edit.set_status(index_dir, doc_id, status, lexical=lexical(), mirror=mirror)


@dataclass(frozen=True)
class ServiceEditor:
    """The edits of the served index, for the admin API: each publishes a new version with the
    service's own (already loaded) model and returns a service over it, or the current one when
    nothing changed."""

    index_dir: Path
    mirror: Mirror | None = None
    """Keeps the store in step with each publication (Milvus); None for the embedded one."""

    def add(self, current: PolicyQA, documents: Sequence[Document]
            ) -> tuple[PolicyQA, EditReport]:
        """Add (or replace) parsed documents."""
        report = edit.add_documents(self.index_dir, documents, _model(current),
                                    lexical=lexical(current.lexicon), mirror=self.mirror)
        return self._after(current, report)

    def remove(self, current: PolicyQA, doc_id: str) -> tuple[PolicyQA, EditReport]:
        """Remove a document by id."""
        report = edit.remove_documents(self.index_dir, [doc_id],
                                       lexical=lexical(current.lexicon), mirror=self.mirror)
        return self._after(current, report)

    def set_status(self, current: PolicyQA, doc_id: str, status: Status
                   ) -> tuple[PolicyQA, EditReport]:
        """Set a document's status."""
        report = edit.set_status(self.index_dir, doc_id, status,
                                 lexical=lexical(current.lexicon), mirror=self.mirror)
        return self._after(current, report)

    def _after(self, current: PolicyQA, report: EditReport) -> tuple[PolicyQA, EditReport]:
        return (_reopen(current, self.index_dir) if report.published else current), report


def _model(service: PolicyQA) -> Encoder:
    """The model under the service's encoder (without the question batcher and cache)."""
    encoder = service.encoder
    return encoder.inner if isinstance(encoder, BatchingEncoder) else encoder


def _reopen(current: PolicyQA, index_dir: Path) -> PolicyQA:
    """A service over the index now at ``index_dir``, sharing the current one's model, question
    cache, refusal model and home region."""
    encoder = current.encoder
    index = load_index(index_dir, encoder, load_stopwords(), vectors=current.store is None)
    return PolicyQA.over(index, encoder, current.answerer.refusal, current.answerer.home_region,
                         current.store)


def reopen(current: PolicyQA, index_dir: Path) -> PolicyQA:
    """A service over the index published at ``index_dir`` now, sharing the current one's model
    (a worker following a reindex another worker did)."""
    return _reopen(current, index_dir)
