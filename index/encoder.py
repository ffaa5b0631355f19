"""Text encoders: the one interface dense retrieval needs, and its sentence-transformers backend."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from policyqa.errors import ConfigurationError

logger = logging.getLogger(__name__)


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    model_id: str
    dim: int

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors of shape (len(texts), dim); ``kind`` is ``query`` or ``passage``."""
        ...


class SentenceTransformerEncoder:
    """Any sentence-transformers model folder, with its query/passage prompts."""

    def __init__(self, path: Path, model_id: str | None = None, batch_size: int = 32,
                 quantize: bool = False) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(max(1, torch.get_num_threads()))
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
            if quantize:
                # int8 weights for the linear layers: about twice as fast on a CPU without
                # AVX-512, at cosine ≈ 0.98 to the float model; indexes record the variant.
                from torch.ao.quantization import per_channel_dynamic_qconfig

                self._model = torch.ao.quantization.quantize_dynamic(  # type: ignore[no-untyped-call]
                    self._model, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=True)
        except Exception as exc:  # any failure to load is a configuration problem, said plainly
            raise ConfigurationError(
                f"cannot load the embedding model from {path}: {exc}; "
                "rebuild it with: policyqa model build") from exc
        self.model_id = (model_id or path.name) + ("+int8" if quantize else "")
        dimension = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        dim = dimension()
        if not dim:
            raise ConfigurationError(f"{path}: the model does not report its embedding size")
        self.dim = int(dim)
        self._prompts = dict(self._model.prompts or {})
        self._batch_size = batch_size

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Encode in batches with the model's prompt for ``kind`` (if it has one)."""
        prompt = self._prompts.get(kind)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Batches of similar length waste no work on padding.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self._batch_size):
            rows = order[start: start + self._batch_size]
            out[rows] = self._model.encode(
                [texts[i] for i in rows], prompt=prompt, batch_size=self._batch_size,
                convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
            if progress:
                progress(len(rows))
        return out
