"""`policyqa store sync`, and the edits with POLICYQA_STORE=milvus: what the index folder holds
goes live in Milvus (Milvus Lite here), nothing embedded again."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.document import Document
from index.lexicon import load_stopwords
from index.milvus import MilvusStore, lineage_of
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
    synced = load_index(folder, None, load_stopwords())
    lineage = lineage_of(synced)
    assert store.live() == lineage and store.complete(synced)
    # An edit is the lineage's next generation, written in place: only the edited document's
    # records are new (its status is a filter field), and the others are left as they were.
    assert main(["status", "--index", str(folder), other.doc_id, "废止"]) == 0
    edited = load_index(folder, None, load_stopwords())
    assert (lineage_of(edited), edited.manifest.generation) == (lineage, 1)
    assert store.live() == lineage and store.complete(edited)
    theirs = sum(1 for c, _ in edited.vector_rows if edited.clauses[c].doc_id == other.doc_id)
    rows, _ = store.names(lineage)
    written = store.client.query(rows, filter="since == 1", output_fields=["doc_id"])
    assert len(written) == theirs and {r["doc_id"] for r in written} == {other.doc_id}
    assert main(["remove", "--index", str(folder), other.doc_id]) == 0
    removed = load_index(folder, None, load_stopwords())
    assert removed.manifest.generation == 2 and store.complete(removed)
    assert store.client.query(rows, filter="since == 2", output_fields=["count(*)"])[0][
        "count(*)"] == 0
    assert main(["store", "sync", "--index", str(folder)]) == 0  # nothing left to do
    assert store.complete(removed)
