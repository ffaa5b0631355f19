"""The transformer stage of a sentence-transformers model, exported to ONNX and run by ONNX Runtime.

The same idea as sentence-transformers' own ``backend="onnx"``, whose Optimum dependency does
not support transformers 5: the model's tokenizer, prompts, pooling and normalisation stay the
:class:`~sentence_transformers.SentenceTransformer` modules; only the Hugging Face network in
between runs as an ONNX graph. ONNX Runtime runs a short query's forward pass two to three
times faster than PyTorch on a small CPU, with the same float32 arithmetic (cosine ≥ 0.99999).

The word-embedding table (250,000 rows for this model) stays outside the graph: PyTorch's copy
is memory-mapped from the model file, so looking up a question's few rows there keeps the rest
on disk, where inside ONNX Runtime the whole table would sit in memory.

Graphs are exported once per model folder and kept in a cache directory under a key made of
the folder's files (name, size, mtime) and the export settings, so a rebuilt model never meets a
stale graph. Every export is checked against PyTorch on a padded batch before it is used; serving
then needs no PyTorch at all (:mod:`index.onnx_encoder`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from contract.errors import ConfigurationError

logger = logging.getLogger(__name__)

OPSET = 17
INPUTS = ("attention_mask", "token_type_ids")
"""Features the graph takes after the word vectors, in this order, when the tokenizer makes them."""
_CHECK_TEXTS = ("query: 养老机构还需要许可吗", "passage: 取消养老机构设立许可，实行备案制，2021年底前完成。",
                "query: Do elderly care homes still need a licence?")
_CHECK_COSINE = 0.9999
_FUSABLE = {"bert", "xlm-roberta", "roberta"}


def graph_key(model_dir: Path) -> str:
    """A fingerprint of the model folder's files and of the export settings (no PyTorch needed
    to compute it: a serving machine without PyTorch finds the graph by it)."""
    digest = hashlib.sha256(f"opset={OPSET};v=4".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(model_dir)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def graph_path(model_dir: Path, cache_dir: Path, model_id: str) -> Path:
    """Where the graph of ``model_dir`` is cached."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_id)
    return cache_dir / "onnx" / f"{safe}-{graph_key(model_dir)}.onnx"


class OnnxTransformer:
    """Token embeddings from an exported graph: the ``Transformer`` module's job, in ORT."""

    def __init__(self, path: Path, words: Callable[[Any], Any], threads: int = 0) -> None:
        self._words = words  # input ids → word vectors (the model's own embedding table)
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads  # 0: one per core
        # Idle pool threads sleep instead of spinning, so they take no CPU from jieba, BM25
        # and the server between forward passes.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(str(path), options,
                                                 providers=["CPUExecutionProvider"])
        except Exception as exc:  # a damaged or foreign file: say which, and how to redo it
            raise ConfigurationError(
                f"cannot load the ONNX graph {path}: {exc}; delete it to export it again") from exc
        self._inputs = [i.name for i in self._session.get_inputs()]

    def __call__(self, features: Mapping[str, Any]) -> np.ndarray:
        """Token embeddings (batch, tokens, hidden) for tokenised ``features``."""
        import torch

        with torch.inference_mode():
            words = self._words(features["input_ids"]).numpy()
        feed = {name: words if name == "inputs_embeds" else
                np.ascontiguousarray(features[name].numpy(), dtype=np.int64)
                for name in self._inputs}
        return np.asarray(self._session.run(None, feed)[0])


def export_graph(model: Any, target: Path) -> Path:
    """Export ``model``'s transformer (a loaded ``SentenceTransformer``) to ``target``, atomically.

    The export is compared with PyTorch on a padded batch and refused if they differ.
    """
    import torch

    network = model[0].auto_model
    words = word_embeddings(model)
    sample = model.preprocess(list(_CHECK_TEXTS))
    with torch.no_grad():
        vectors = words(sample["input_ids"])
    names = ["inputs_embeds", *(name for name in INPUTS if name in sample)]

    class _Network(torch.nn.Module):
        """The network from word vectors on, with positional inputs, as the exporter wants."""

        def __init__(self) -> None:
            super().__init__()
            self.network = network

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            output: torch.Tensor = self.network(
                **dict(zip(names, inputs, strict=True))).last_hidden_state
            return output

    previous = network.config._attn_implementation
    temporary = ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(handle)
        # The eager attention traces to plain ops with the padding mask as an input; the fused
        # kernels can bake the example's shape into the graph.
        network.set_attn_implementation("eager")
        axes = {name: {0: "batch", 1: "tokens"} for name in [*names, "token_embeddings"]}
        arguments = (vectors, *(sample[name] for name in names[1:]))
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter's notices about itself
            torch.onnx.export(_Network().eval(), arguments, temporary,
                              input_names=names, output_names=["token_embeddings"],
                              dynamic_axes=axes, opset_version=OPSET, dynamo=False)
        network.eval()
        _fuse(Path(temporary), network.config)
        check_graph(model, OnnxTransformer(Path(temporary), words, threads=1))
        os.replace(temporary, target)
        _remove_stale(target)
    except ConfigurationError:
        raise
    except ImportError as exc:
        raise ConfigurationError(
            f"exporting the ONNX graph needs the onnx package ({exc}); run: pip install onnx"
        ) from exc
    except Exception as exc:  # an architecture the exporter cannot trace, a read-only cache…
        raise ConfigurationError(
            f"cannot export the model to ONNX at {target}: {exc}; "
            "use POLICYQA_EMBED_RUNTIME=torch") from exc
    finally:
        network.set_attn_implementation(previous)
        # The exporter restores the wrapper's training flag, and with it the network's: a
        # network left in training mode would run its dropout layers.
        network.eval()
        if temporary:
            Path(temporary).unlink(missing_ok=True)
    logger.info("exported the model's ONNX graph to %s", target)
    return target


def _fuse(path: Path, config: Any) -> None:
    """Fuse a BERT-family graph's attention, GELU and layer norms (ORT's transformer optimizer).

    About a fifth off a query's forward pass. Other architectures keep the plain graph, which
    computes the same numbers.
    """
    model_type = getattr(config, "model_type", None)
    if model_type not in _FUSABLE:
        logger.info("graph left unfused: the optimizer knows no %s", model_type)
        return
    from onnxruntime.transformers.optimizer import optimize_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        optimized = optimize_model(str(path), model_type="bert", opt_level=0,
                                   num_heads=config.num_attention_heads,
                                   hidden_size=config.hidden_size)
    optimized.save_model_to_file(str(path))
    logger.info("fused graph: %s", {op: n for op, n in
                                    optimized.get_fused_operator_statistics().items() if n})


def _remove_stale(target: Path) -> None:
    """Delete the graphs of earlier builds of the same model: only ``target`` can match now."""
    prefix = target.name[: -len("-0123456789abcdef.onnx")]
    stale = re.compile(re.escape(prefix) + r"-[0-9a-f]{16}\.onnx")
    for old in target.parent.iterdir():
        if old != target and stale.fullmatch(old.name):
            old.unlink(missing_ok=True)
            logger.info("removed the stale graph %s", old)


def word_embeddings(model: Any) -> Any:
    """The model's word-embedding layer (input ids → vectors), which stays in PyTorch."""
    try:
        return model[0].auto_model.get_input_embeddings()
    except (AttributeError, IndexError, TypeError) as exc:
        raise ConfigurationError(
            "the ONNX runtime needs a Hugging Face transformer as the model's first module; "
            "use POLICYQA_EMBED_RUNTIME=torch") from exc


def check_graph(model: Any, graph: OnnxTransformer) -> None:
    """Refuse a graph whose sentence embeddings differ from PyTorch's."""
    import torch

    texts = list(_CHECK_TEXTS)
    with torch.inference_mode():
        reference = model(model.preprocess(texts))["sentence_embedding"]
        features = model.preprocess(texts)
        features["token_embeddings"] = torch.from_numpy(graph(features))
        for module in list(model)[1:]:
            features = module(features)
        ours = features["sentence_embedding"]
    cosine = torch.nn.functional.cosine_similarity(reference, ours).min().item()
    if cosine < _CHECK_COSINE:
        raise ConfigurationError(
            f"the exported ONNX graph disagrees with the model (cosine {cosine:.5f}); "
            "use POLICYQA_EMBED_RUNTIME=torch")
