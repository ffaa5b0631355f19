"""The BM25 postings as saved: read back as written, and anything else refused with a
ValueError (which the index loader reports as IndexUnavailable), never a crash later."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index.bm25 import BM25Index

CLAUSES = [["养老", "机构", "许可"], ["许可", "备案"], [], ["养老", "养老", "服务"]]


@pytest.fixture()
def saved(tmp_path: Path) -> Path:
    BM25Index.build(CLAUSES).save(tmp_path)
    return tmp_path


def test_saved_and_read_back(saved: Path) -> None:
    built, read = BM25Index.build(CLAUSES), BM25Index.load(saved, len(CLAUSES))
    assert read.parts() == built.parts() and read.avgdl == built.avgdl == 2.0
    terms = [("养老", 1.0), ("许可", 0.5), ("没有", 1.0)]
    assert np.array_equal(read.scores(terms), built.scores(terms))
    assert read.matchable() == 3 and BM25Index.saved_avgdl(saved) == 2.0


def _params(change: Callable[[dict[str, object]], object]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        params = json.loads((folder / "params.json").read_text(encoding="utf-8"))
        (folder / "params.json").write_text(json.dumps(change(params)), encoding="utf-8")
    return damage


def _array(name: str, change: Callable[[np.ndarray], np.ndarray]) -> Callable[[Path], None]:
    def damage(folder: Path) -> None:
        np.save(folder / f"{name}.npy", change(np.load(folder / f"{name}.npy")))
    return damage


@pytest.mark.parametrize("damage", [
    _params(lambda p: [p]),
    _params(lambda p: {k: v for k, v in p.items() if k != "avgdl"}),
    _params(lambda p: {**p, "avgdl": None}),
    _params(lambda p: {**p, "avgdl": -1.0}),
    _params(lambda p: {**p, "k1": 2.0}),
    _params(lambda p: {**p, "size": 99}),
    _array("indptr", lambda a: np.array(0)),
    _array("indptr", lambda a: a[::-1].copy()),
    _array("indices", lambda a: a.astype(np.float64)),
    _array("indices", lambda a: -a - 1),
    _array("indices", lambda a: a + 10),
    _array("data", lambda a: a.reshape(1, -1)),
    _array("data", lambda a: a.astype(str)),
    _array("data", lambda a: a[:-1]),
])
def test_damaged_postings_are_refused(saved: Path, damage: Callable[[Path], None]) -> None:
    damage(saved)
    with pytest.raises(ValueError):
        BM25Index.load(saved, len(CLAUSES))
