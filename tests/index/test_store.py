"""Index persistence: round trip, and refusal of truncated, altered or mismatched indexes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from corpus.document import Document
from index.fake import HashingEncoder
from index.lexicon import load_stopwords
from index.store import FORMAT_VERSION, load_index, verify
from policyqa.errors import IndexUnavailable
from tests.conftest import build_fake


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(source, target)
    return target


def test_round_trip(fake_index_dir: Path, fujian: Document) -> None:
    loaded = load_index(fake_index_dir, HashingEncoder(), load_stopwords())
    assert loaded.documents == (fujian,)
    assert len(loaded.clauses) == 78
    assert loaded.vectors.size == len(loaded.vector_rows) == loaded.manifest.counts["vectors"]
    manifest = json.loads((fake_index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model_id"] == "fake-hashing" and manifest["dim"] == 256
    assert set(manifest["files"]) >= {"documents.json", "vectors.faiss", "vector_rows.json",
                                      "dictionary.txt", "bm25/vocab.index.json"}
    assert len(manifest["corpus_sha256"]) == 64 and manifest["created_at"]


def test_no_pickle_in_the_index(fake_index_dir: Path) -> None:
    for path in fake_index_dir.rglob("*"):
        if path.suffix == ".npy":
            np.load(path, allow_pickle=False)  # raises if an array needed pickle
        assert path.suffix not in (".pkl", ".pickle")


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
@pytest.mark.parametrize("name", ["vectors.faiss", "documents.json", "bm25/data.csc.index.npy"])
def test_damaged_files_are_refused(fake_index_dir: Path, tmp_path: Path, name: str,
                                   damage: str) -> None:
    folder = _copy(fake_index_dir, tmp_path)
    path = folder / name
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])
    else:
        path.unlink()
    with pytest.raises(IndexUnavailable, match="policyqa build"):
        load_index(folder, HashingEncoder(), load_stopwords())


def test_another_model_is_refused(fake_index_dir: Path) -> None:
    with pytest.raises(IndexUnavailable, match="built with the model fake-hashing"):
        verify(fake_index_dir, HashingEncoder(dim=256, model_id="other-model"))
    with pytest.raises(IndexUnavailable, match="256 dims"):
        verify(fake_index_dir, HashingEncoder(dim=128))


def test_missing_and_damaged_manifest(tmp_path: Path, fake_index_dir: Path) -> None:
    with pytest.raises(IndexUnavailable, match=r"no index in .*policyqa build"):
        verify(tmp_path / "nothing")
    folder = _copy(fake_index_dir, tmp_path)
    (folder / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="damaged"):
        verify(folder)
    manifest = json.loads((fake_index_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = FORMAT_VERSION + 1
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="index format"):
        verify(folder)


class ExplodingEncoder(HashingEncoder):
    """Fails half-way through embedding, as a crash during a build would."""

    def encode(self, texts, kind, progress=None):  # type: ignore[no-untyped-def]
        if len(texts) > 1:
            raise RuntimeError("simulated crash while embedding")
        return super().encode(texts, kind, progress)


def test_crash_mid_build_keeps_the_previous_index(tmp_path: Path, fujian: Document,
                                                  govcn: dict[str, Document]) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    before = (folder / "manifest.json").read_bytes()
    with pytest.raises(RuntimeError, match="simulated crash"):
        build_fake([fujian, govcn["国发〔2018〕39号"]], folder, encoder=ExplodingEncoder())
    assert (folder / "manifest.json").read_bytes() == before
    assert load_index(folder, HashingEncoder(), load_stopwords()).manifest.counts["documents"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["index"]  # no temporary folders left


def test_rebuild_replaces_the_index(tmp_path: Path, fujian: Document,
                                    govcn: dict[str, Document]) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    build_fake([fujian, govcn["国发〔2018〕39号"]], folder)
    loaded = load_index(folder, HashingEncoder(), load_stopwords())
    assert [d.doc_id for d in loaded.documents] == ["fujian_2021_fangguanfu", "gf-2018-39"]
    assert [p.name for p in tmp_path.iterdir()] == ["index"]


def test_empty_corpus_is_refused(tmp_path: Path) -> None:
    doc = Document(doc_id="x", title="x")
    with pytest.raises(IndexUnavailable, match="nothing to index"):
        build_fake([doc], tmp_path / "index")
