"""`policyqa store sync`, and the edits with POLICYQA_STORE=milvus: what the index folder holds
goes live in Milvus (Milvus Lite here), nothing embedded again."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.document import Document
from index.lexicon import load_stopwords
from index.milvus import MilvusStore, version_of
from index.store import load_index
from policyqa.cli import main
from tests.conftest import build_fake

pytest.importorskip("milvus_lite", reason="Milvus Lite is installed with policyqa[milvus]")


def test_sync_loads_the_folder_and_edits_follow(tmp_path: Path, fujian: Document,
                                                govcn: dict[str, Document],
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "index"
    other = next(iter(govcn.values()))
    build_fake([fujian, other], folder)
    assert main(["store", "sync", "--index", str(folder)]) == 3  # the embedded store needs none
    assert "POLICYQA_STORE=milvus" in capsys.readouterr().err
    monkeypatch.setenv("POLICYQA_STORE", "milvus")
    monkeypatch.setenv("POLICYQA_MILVUS_URI", str(tmp_path / "milvus.db"))
    assert main(["store", "sync", "--index", str(folder)]) == 0
    store = MilvusStore.connect(str(tmp_path / "milvus.db"))
    assert store.live() == version_of(load_index(folder, None, load_stopwords()))
    # An edit publishes a version and makes it live; the one before stays for searches under
    # way, and older ones go.
    first = store.live()
    assert first is not None
    assert main(["status", "--index", str(folder), other.doc_id, "废止"]) == 0
    second = store.live()
    assert second is not None and second != first
    assert store.has(first) and store.has(second)
    assert main(["remove", "--index", str(folder), other.doc_id]) == 0
    assert store.live() == version_of(load_index(folder, None, load_stopwords()))
    assert not store.has(first)
