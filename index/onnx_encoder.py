"""Serving embeddings without PyTorch: the tokenizer, the exported graph and numpy.

What :class:`~index.encoder.SentenceTransformerEncoder` does with the ONNX runtime, step for
step, with none of PyTorch, transformers or sentence-transformers imported: the model folder's
``tokenizer.json`` (the ``tokenizers`` library), its query/passage prompts, the word-embedding
table memory-mapped straight from ``model.safetensors`` (only the rows a text uses are read),
the exported graph in ONNX Runtime, then mean pooling over the attention mask and L2
normalisation in numpy. The graph itself is exported once, where PyTorch is installed
(``policyqa model build``); a serving machine or image needs neither.
"""

from __future__ import annotations

import json
import logging
import struct
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from contract.errors import ConfigurationError

if TYPE_CHECKING:
    from tokenizers import Encoding

logger = logging.getLogger(__name__)

_DTYPES = {"F32": np.float32, "F16": np.float16, "BF16": None}
_WORD_TABLE = ("embeddings.word_embeddings.weight", "roberta.embeddings.word_embeddings.weight",
               "bert.embeddings.word_embeddings.weight")


def word_table(model_dir: Path) -> np.ndarray:
    """The word-embedding table of ``model_dir/model.safetensors``, memory-mapped (read-only)."""
    path = model_dir / "model.safetensors"
    try:
        with path.open("rb") as f:
            (size,) = struct.unpack("<Q", f.read(8))
            header = json.loads(f.read(size))
    except (OSError, ValueError, struct.error) as exc:
        raise ConfigurationError(f"cannot read the weights {path}: {exc}") from exc
    name = next((n for n in _WORD_TABLE if n in header), None)
    if name is None:
        raise ConfigurationError(f"{path} has no word-embedding table ({', '.join(_WORD_TABLE)})")
    entry = header[name]
    dtype = _DTYPES.get(entry["dtype"])
    if dtype is None:
        raise ConfigurationError(f"{path}: word table of dtype {entry['dtype']} is not supported")
    start, _ = entry["data_offsets"]
    return np.memmap(path, dtype=dtype, mode="r", offset=8 + size + start,
                     shape=tuple(entry["shape"]))


class OnnxEncoder:
    """An :class:`~index.encoder.Encoder` over a model folder and its exported graph."""

    def __init__(self, model_dir: Path, graph: Path, model_id: str, batch_size: int = 8,
                 threads: int = 0, passage_batch_size: int = 4) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        try:
            config = json.loads((model_dir / "config_sentence_transformers.json").read_text(
                encoding="utf-8"))
            pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text(
                encoding="utf-8"))
            bert = json.loads((model_dir / "sentence_bert_config.json").read_text(
                encoding="utf-8"))
            self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        except (OSError, ValueError, Exception) as exc:
            raise ConfigurationError(f"cannot read the model folder {model_dir}: {exc}; "
                                     "rebuild it with: policyqa model build") from exc
        if pooling.get("pooling_mode", "mean") != "mean" and not pooling.get(
                "pooling_mode_mean_tokens", False):
            raise ConfigurationError(f"{model_dir}: only mean pooling is served without PyTorch")
        self._prompts: dict[str, str] = dict(config.get("prompts") or {})
        max_length = int(bert.get("max_seq_length") or 512)
        self._tokenizer.enable_truncation(max_length=max_length)
        self._tokenizer.no_padding()
        self._pad_id = self._tokenizer.token_to_id("<pad>") or 0
        self._words = word_table(model_dir)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(graph), options,
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise ConfigurationError(
                f"cannot load the ONNX graph {graph}: {exc}; delete it and run: "
                "policyqa model build") from exc
        self._inputs = [i.name for i in self._session.get_inputs()]
        self.model_id = model_id
        self.dim = int(pooling.get("embedding_dimension") or self._words.shape[1])
        self._batch_size = batch_size
        # Passages (an index build) go in smaller batches: over the 61 notices, batches of 4
        # cost 6-7 % less CPU than batches of 8, and 16 cost more (python -m eval.throughput).
        self._passage_batch_size = passage_batch_size

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Vectors of shape (len(texts), dim), in batches of similar length.

        The texts are tokenized first and batched by their number of tokens, so a batch pads
        little (ordered by characters instead, the 61 notices' passages were padded by 11 %;
        by tokens, by 0.6 %). A text's vector does not depend on its batch.
        """
        prompt = self._prompts.get(kind, "")
        size = self._passage_batch_size if kind == "passage" else self._batch_size
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self._tokenizer.encode_batch([prompt + text for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), size):
            rows = order[start: start + size]
            out[rows] = self._forward([encodings[i] for i in rows])
            if progress:
                progress(len(rows))
        return out

    def _forward(self, encodings: Sequence[Encoding]) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            n = len(encoding.ids)
            ids[row, :n], mask[row, :n], types[row, :n] = encoding.ids, 1, encoding.type_ids
        words = np.asarray(self._words[ids], dtype=np.float32)
        feed = {"inputs_embeds": words, "attention_mask": mask, "token_type_ids": types}
        tokens = np.asarray(self._session.run(None, {n: feed[n] for n in self._inputs})[0])
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)
