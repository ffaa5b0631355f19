"""The ONNX runtime: the exported graph computes what PyTorch computes, is cached per model, and
a damaged or wrong graph is refused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from contract.errors import ConfigurationError
from index.encoder import SentenceTransformerEncoder
from index.graph import OnnxTransformer, check_graph, graph_path, word_embeddings

TEXTS = ["养老机构还需要许可吗", "取消养老机构设立许可，实行备案制，由民政部门加强事中事后监管。",
         "证照分离", "Do elderly care homes still need a licence?",
         "2021年底前，在全省范围内实现“证照分离”改革全覆盖，推动“照后减证”和简化审批。"]


def test_onnx_computes_what_pytorch_computes(built_model: Path, model_cache: Path) -> None:
    """Same vectors as PyTorch float32, one by one and in padded batches; same model id."""
    torch_side = SentenceTransformerEncoder(built_model, model_id="m")
    onnx_side = SentenceTransformerEncoder(built_model, model_id="m", onnx_cache=model_cache,
                                           batch_size=3)
    assert onnx_side.model_id == torch_side.model_id == "m"
    assert onnx_side.dim == torch_side.dim == 384
    for kind in ("query", "passage"):
        reference = torch_side.encode(TEXTS, kind)
        batched = onnx_side.encode(TEXTS, kind)  # batches of three texts of different lengths
        single = np.vstack([onnx_side.encode([text], kind) for text in TEXTS])
        for ours in (batched, single):
            assert (reference * ours).sum(axis=1).min() >= 0.99999
        assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_graph_is_exported_once_per_model(built_model: Path, model_cache: Path,
                                          tmp_path: Path) -> None:
    graph = graph_path(built_model, model_cache, "m")
    SentenceTransformerEncoder(built_model, model_id="m", onnx_cache=model_cache)
    assert graph.is_file()
    stamp = graph.stat().st_mtime_ns
    SentenceTransformerEncoder(built_model, model_id="m", onnx_cache=model_cache)
    assert graph.stat().st_mtime_ns == stamp  # reused, not exported again
    assert not list(graph.parent.glob(".*"))  # no temporary files left behind
    # Another model folder (here: the same files, one of them changed) gets its own graph.
    copy = tmp_path / "model"
    shutil.copytree(built_model, copy)
    config = copy / "config_sentence_transformers.json"
    os.utime(config, ns=(stamp, config.stat().st_mtime_ns + 1_000_000_000))
    assert graph_path(copy, model_cache, "m") != graph_path(built_model, model_cache, "m")


def test_a_new_export_replaces_the_stale_graph(built_model: Path, tmp_path: Path) -> None:
    current = graph_path(built_model, tmp_path, "m")
    current.parent.mkdir(parents=True)
    stale = current.with_name("m-0000000000000000.onnx")
    other = current.with_name("m-x-0000000000000000.onnx")  # another model's graph
    stale.write_bytes(b"old")
    other.write_bytes(b"other")
    SentenceTransformerEncoder(built_model, model_id="m", onnx_cache=tmp_path)
    assert current.is_file() and other.is_file() and not stale.exists()


def test_damaged_graph_is_refused(built_model: Path, tmp_path: Path) -> None:
    target = graph_path(built_model, tmp_path, "m")
    target.parent.mkdir(parents=True)
    target.write_bytes(b"\x08\x07not a graph" * 100)
    with pytest.raises(ConfigurationError, match="delete it"):
        SentenceTransformerEncoder(built_model, model_id="m", onnx_cache=tmp_path)


def test_a_graph_that_disagrees_with_the_model_is_refused(built_model: Path,
                                                          model_cache: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(built_model), device="cpu", local_files_only=True).eval()
    graph_file = graph_path(built_model, model_cache, "m")
    if not graph_file.is_file():
        SentenceTransformerEncoder(built_model, model_id="m", onnx_cache=model_cache)
    table = word_embeddings(model)
    check_graph(model, OnnxTransformer(graph_file, table))  # the right word vectors pass

    def shuffled(ids: torch.Tensor) -> torch.Tensor:
        vectors: torch.Tensor = table((ids * 7919) % table.num_embeddings)
        return vectors

    with pytest.raises(ConfigurationError, match="disagrees"):
        check_graph(model, OnnxTransformer(graph_file, shuffled))


def test_a_failed_export_says_so(built_model: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    with pytest.raises(ConfigurationError, match="cannot export the model to ONNX"):
        SentenceTransformerEncoder(built_model, model_id="m", onnx_cache=blocked)


def test_half_precision_is_a_pytorch_option(built_model: Path, model_cache: Path) -> None:
    with pytest.raises(ConfigurationError, match="POLICYQA_EMBED_RUNTIME=torch"):
        SentenceTransformerEncoder(built_model, weights="float16", onnx_cache=model_cache)
