"""Serving without PyTorch: the same vectors as the PyTorch model, and PyTorch never imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.encoder import SentenceTransformerEncoder
from index.graph import graph_path
from index.onnx_encoder import OnnxEncoder
from policyqa.runtime import export

TEXTS = ["养老机构还需要许可吗", "Do elderly care homes still need a licence?",
         "取消养老机构设立许可，实行备案制；加强事中事后监管。" * 6]


@pytest.fixture(scope="module")
def graph(built_model: Path, model_cache: Path) -> Path:
    path = graph_path(built_model, model_cache, "multilingual-e5-small")
    return path if path.is_file() else export(built_model, "multilingual-e5-small", model_cache)


def test_the_same_vectors_as_pytorch(built_model: Path, graph: Path) -> None:
    ours = OnnxEncoder(built_model, graph, "multilingual-e5-small")
    reference = SentenceTransformerEncoder(built_model, model_id="multilingual-e5-small")
    for kind in ("query", "passage"):
        a, b = ours.encode(TEXTS, kind), reference.encode(TEXTS, kind)
        assert a.shape == b.shape == (3, 384)
        assert float((a * b).sum(axis=1).min()) >= 0.9999
        assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


def test_answering_imports_no_pytorch(model_cache: Path, fake_index_dir: Path,
                                      tmp_path: Path) -> None:
    from policyqa.runtime import build
    from policyqa.settings import Settings
    from tests.conftest import FUJIAN

    index = tmp_path / "index"
    build(Settings(cache_dir=model_cache, corpus=[FUJIAN]), index_dir=index)
    code = ("import sys\n"
            "from policyqa.runtime import open_service\n"
            "from policyqa.settings import Settings\n"
            f"service = open_service(Settings(), __import__('pathlib').Path({str(index)!r}))\n"
            "answer = service.ask('养老机构还需要许可吗')\n"
            "print(__import__('json').dumps([answer.verdict, sorted(m for m in sys.modules\n"
            "    if m.split('.')[0] in ('torch', 'transformers', 'sentence_transformers'))]))\n")
    env = {**os.environ, "POLICYQA_CACHE_DIR": str(model_cache)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    verdict, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    assert verdict == "no" and heavy == []


def test_a_vector_does_not_depend_on_its_batch(built_model: Path, graph: Path) -> None:
    """Batches are formed by token count: a text gets the same vector alone or among others."""
    encoder = OnnxEncoder(built_model, graph, "multilingual-e5-small", batch_size=2,
                          passage_batch_size=2)
    texts = [*TEXTS, "实行备案制", "加强事中事后监管"]
    together = encoder.encode(texts, "passage")
    alone = np.vstack([encoder.encode([t], "passage") for t in texts])
    assert np.allclose(together, alone, atol=1e-6)
