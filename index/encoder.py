"""Text encoders: the one interface dense retrieval needs, and its sentence-transformers backend."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from contract.errors import ConfigurationError
from index.graph import OnnxTransformer, export_graph, graph_path, word_embeddings

logger = logging.getLogger(__name__)


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors of shape (len(texts), dim); ``kind`` is ``query`` or ``passage``."""
        ...


Weights = Literal["float32", "float16", "int8"]


class SentenceTransformerEncoder:
    """Any sentence-transformers model folder, with its query/passage prompts.

    With ``onnx_cache`` the transformer stage runs as an ONNX graph in ONNX Runtime (see
    :mod:`index.graph`): the same float32 model, two to three times faster on a small CPU, so
    it keeps the plain model id. Otherwise PyTorch runs it, and ``weights`` chooses how the
    linear layers hold their weights. ``float16`` stores them in half precision and computes in
    float32 (fbgemm): half the memory traffic, which is what a short query's forward pass waits
    on, at cosine ≥ 0.99999 to ``float32``. ``int8`` is faster still but measurably less
    accurate (cosine ≈ 0.99). Every PyTorch variant but ``float32`` is recorded in the model
    id, so an index never mixes them.
    """

    def __init__(self, path: Path, model_id: str | None = None, batch_size: int | None = None,
                 weights: Weights = "float32", *, onnx_cache: Path | None = None) -> None:
        if onnx_cache is not None and weights != "float32":
            raise ConfigurationError(
                f"{weights} weights are a PyTorch option; the ONNX runtime computes in float32 "
                "(set POLICYQA_EMBED_RUNTIME=torch to use them)")
        self._graph: OnnxTransformer | None = None
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            self._torch = torch
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            if onnx_cache is not None:
                self._graph = self._open_graph(path, onnx_cache, model_id or path.name)
            elif weights != "float32":
                from torch.ao.quantization import (
                    float16_dynamic_qconfig,
                    per_channel_dynamic_qconfig,
                )

                qconfig = float16_dynamic_qconfig if weights == "float16" else \
                    per_channel_dynamic_qconfig
                with warnings.catch_warnings():
                    # torch (pinned at 2.13) announces a move of this API to torchao; it works.
                    warnings.simplefilter("ignore", UserWarning)
                    warnings.simplefilter("ignore", DeprecationWarning)
                    self._model = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                        self._model, {torch.nn.Linear: qconfig},
                        dtype=torch.float16 if weights == "float16" else torch.qint8,
                        inplace=True)
            self._model.eval()
        except ConfigurationError:
            raise
        except Exception as exc:  # any failure to load is a configuration problem, said plainly
            raise ConfigurationError(
                f"cannot load the embedding model from {path}: {exc}; "
                "rebuild it with: policyqa model build") from exc
        self.model_id = (model_id or path.name) + ("" if weights == "float32" else f"+{weights}")
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        dim = dimension()
        if not dim:
            raise ConfigurationError(f"{path}: the model does not report its embedding size")
        self.dim = int(dim)
        self._prompts = dict(self._model.prompts or {})
        # Measured on the Fujian passages: ORT is fastest with small batches, PyTorch with
        # larger ones (its float16 kernels want many rows).
        self._batch_size = batch_size or (8 if self._graph is not None else 32)

    def _open_graph(self, path: Path, cache: Path, model_id: str) -> OnnxTransformer:
        """The model's ONNX graph, exported and checked on first use."""
        target = graph_path(path, cache, model_id)
        if not target.is_file():
            logger.info("exporting %s to ONNX (once, about half a minute)", model_id)
            export_graph(self._model, target)
        return OnnxTransformer(target, word_embeddings(self._model))

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Encode in batches with the model's prompt for ``kind`` (if it has one)."""
        prompt = self._prompts.get(kind)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Batches of similar length waste no work on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            rows = order[start: start + self._batch_size]
            out[rows] = self._forward([texts[i] for i in rows], prompt)
            if progress:
                progress(len(rows))
        return out

    def _forward(self, texts: list[str], prompt: str | None) -> np.ndarray:
        """One batch through the model's own preprocessing and modules.

        The same steps as ``SentenceTransformer.encode`` for one batch, without its per-call
        bookkeeping (switching every module to eval mode, locating the device), which costs
        several milliseconds a query: the model was put in eval mode once, on the CPU.
        """
        with self._torch.inference_mode():
            features = self._model.preprocess(texts, prompt=prompt)
            if self._graph is None:
                embeddings = self._model(features)["sentence_embedding"]
            else:
                features["token_embeddings"] = self._torch.from_numpy(self._graph(features))
                for module in list(self._model)[1:]:  # pooling, normalisation
                    features = module(features)
                embeddings = features["sentence_embedding"]
            normalised = self._torch.nn.functional.normalize(embeddings, p=2, dim=1)
            return normalised.float().numpy()
