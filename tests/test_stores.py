"""The same answers from either store: the embedded one (FAISS and BM25 files) and Milvus
(here Milvus Lite, a real Milvus in a file), with the real model, over the Fujian gold — and
the quality floors hold with both."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

STORES = ("embedded", "milvus")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, model_cache: Path) -> tuple[Path, dict[str, str]]:
    """One build with POLICYQA_STORE=milvus: the index folder (which the embedded store reads)
    and the same version loaded into Milvus Lite."""
    root = tmp_path_factory.mktemp("stores")
    env = {**os.environ, "POLICYQA_CACHE_DIR": str(model_cache), "POLICYQA_STORE": "milvus",
           "POLICYQA_MILVUS_URI": str(root / "milvus.db")}
    _policyqa(env, "build", "--index", str(root / "index"))
    return root, env


def _policyqa(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "policyqa.cli", *args], env=env, text=True,
                          capture_output=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def answers(built: tuple[Path, dict[str, str]]) -> dict[str, list[dict[str, object]]]:
    """Each store's predictions on the Fujian gold, checked against the floors on the way."""
    root, env = built
    found = {}
    for store in STORES:
        report = root / f"report-{store}"
        _policyqa({**env, "POLICYQA_STORE": store}, "eval", "--index", str(root / "index"),
                  "--floors", "--report", str(report))
        found[store] = [json.loads(line) for line in
                        (report / "predictions.jsonl").read_text(encoding="utf-8").splitlines()]
    return found


def test_both_stores_give_identical_answers(answers: dict[str, list[dict[str, object]]]) -> None:
    embedded = {p["id"]: p["answer"] for p in answers["embedded"]}
    milvus = {p["id"]: p["answer"] for p in answers["milvus"]}
    assert embedded.keys() == milvus.keys()
    assert len(embedded) >= 150
    differing = [i for i in embedded if not _same(embedded[i], milvus[i])]
    assert not differing, differing[:5]


def _same(a: object, b: object) -> bool:
    """Equal answers, scores within 1e-3: the stores sum float32 scores in different orders (a
    rounding to 4 places would still split 0.98015 into 0.9802 and 0.9801)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, abs_tol=1e-3)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b
