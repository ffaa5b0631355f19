"""Assembling the system from settings: model, index and retriever, loaded once per process.

Only entry points (CLI, API lifespan, bot start-up) call this; library code takes plain
arguments.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from contract.errors import ConfigurationError
from corpus.document import Document
from corpus.reader import read_documents
from corpus.units import load_aliases
from engine.refusal import RefusalModel
from engine.service import PolicyQA
from index.batching import BatchingEncoder
from index.dense import IndexType
from index.encoder import Encoder, SentenceTransformerEncoder
from index.graph import graph_path
from index.lexicon import load_lexicon, load_stopwords
from index.model import DEFAULT_MODEL, build_model, packaged_files, resolve_model
from index.onnx_encoder import OnnxEncoder
from index.store import Manifest, build_index, load_index, verify
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
          progress: Callable[[int, int], None] | None = None) -> Manifest:
    """Parse the corpus and build the index folder."""
    documents = read_documents(corpus or settings.corpus)
    return build_index(documents, open_encoder(settings), index_dir or settings.index_dir,
                       aliases=load_aliases(), lexicon=load_lexicon(),
                       stopwords=load_stopwords(), index_type=settings.index_type,
                       progress=progress)


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
    index = load_index(folder, encoder, load_stopwords())
    return PolicyQA.over(index, encoder, refusal, settings.home_region)


def rebuild(current: PolicyQA, documents: Sequence[Document], index_dir: Path,
            index_type: IndexType = "flat") -> PolicyQA:
    """Build and publish a new index with the service's own (already loaded) model, and a
    service over it that shares that model and its question cache."""
    encoder = current.encoder
    model = encoder.inner if isinstance(encoder, BatchingEncoder) else encoder
    build_index(documents, model, index_dir, aliases=load_aliases(), lexicon=current.lexicon,
                stopwords=load_stopwords(), index_type=index_type)
    return PolicyQA.over(load_index(index_dir, encoder, load_stopwords()), encoder,
                         current.answerer.refusal, current.answerer.home_region)
