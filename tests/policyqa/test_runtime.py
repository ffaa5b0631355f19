"""PolicyQA assembly: a reindex reuses the loaded model and lets the old index go."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from corpus.document import Document
from engine.service import PolicyQA
from index.batching import BatchingEncoder
from index.fake import HashingEncoder
from index.lexicon import load_stopwords
from index.store import load_index
from policyqa.runtime import ServiceEditor, rebuild
from tests.conftest import FAKE_REFUSAL, build_fake


class CountingEncoder(HashingEncoder):
    """Counts how many models were made (a reindex must make none)."""

    made = 0

    def __init__(self) -> None:
        super().__init__()
        CountingEncoder.made += 1


def _runtime(folder: Path) -> PolicyQA:
    encoder = BatchingEncoder(CountingEncoder(), cache_size=16)
    return PolicyQA.over(load_index(folder, encoder, load_stopwords()), encoder, FAKE_REFUSAL)


def test_rebuild_reuses_the_model(tmp_path: Path, fujian: Document,
                                  govcn: dict[str, Document]) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    current = _runtime(folder)
    made = CountingEncoder.made
    fresh = rebuild(current, [fujian, govcn["国发〔2018〕39号"]], folder)
    assert CountingEncoder.made == made
    assert fresh.encoder is current.encoder
    assert fresh.index.manifest.counts["documents"] == 2


def test_a_reindex_through_the_api_frees_the_old_runtime(tmp_path: Path,
                                                         fujian: Document) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    app = create_app([_runtime(folder)].pop, admin_key="k",
                     rebuild=lambda current: rebuild(current, [fujian], folder),
                     rate_limit_per_minute=0)
    with TestClient(app) as client:
        assert client.post("/v1/ask", json={"question": "养老机构设立许可"}).status_code == 200
        old = weakref.ref(app.state.service)
        old_index = weakref.ref(app.state.service.index)
        assert client.post("/v1/admin/reindex", headers={"X-API-Key": "k"}).status_code == 200
        gc.collect()
        assert old() is None and old_index() is None  # nothing holds the replaced index
        assert client.post("/v1/ask", json={"question": "养老机构设立许可"}).status_code == 200


def test_edits_reuse_the_model_and_its_question_cache(tmp_path: Path, fujian: Document,
                                                      govcn: dict[str, Document]) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    current = _runtime(folder)
    made = CountingEncoder.made
    editor = ServiceEditor(folder)
    added, report = editor.add(current, [govcn["国发〔2018〕39号"]])
    assert report.published and added is not current
    assert added.encoder is current.encoder and added.answerer.refusal is FAKE_REFUSAL
    assert [d.doc_id for d in added.documents] == ["fujian_2021_fangguanfu", "gf-2018-39"]
    same, unchanged = editor.add(added, [govcn["国发〔2018〕39号"]])
    assert same is added and not unchanged.published
    marked, _ = editor.set_status(added, "gf-2018-39", "已修订")
    assert marked.document("gf-2018-39").status == "已修订"
    removed, _ = editor.remove(marked, "gf-2018-39")
    assert [d.doc_id for d in removed.documents] == ["fujian_2021_fangguanfu"]
    assert CountingEncoder.made == made
