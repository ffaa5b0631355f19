"""Index persistence: round trip, and refusal of truncated, altered or mismatched indexes."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from contract.errors import ConfigurationError, IndexUnavailable
from corpus.document import Document
from index.fake import HashingEncoder
from index.lexicon import load_stopwords
from index.store import FORMAT_VERSION, load_index, verify
from tests.conftest import build_fake


def _copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(source.resolve(), target)
    return target


def test_round_trip(fake_index_dir: Path, fujian: Document) -> None:
    loaded = load_index(fake_index_dir, HashingEncoder(), load_stopwords())
    assert loaded.documents == (fujian,)
    assert len(loaded.clauses) == 78
    assert loaded.vectors is not None
    assert loaded.vectors.size == len(loaded.vector_rows) == loaded.manifest.counts["vectors"]
    manifest = json.loads((fake_index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["model_id"] == "fake-hashing" and manifest["dim"] == 256
    assert set(manifest["files"]) >= {"vectors.faiss", "dictionary.txt", "bm25/tokens.json"}
    assert len(manifest["corpus_sha256"]) == 64 and manifest["created_at"]
    (segment,) = manifest["segments"]
    assert segment["doc_id"] == fujian.doc_id and segment["folder"] == f"segments/{fujian.doc_id}"
    assert set(segment["files"]) == {"document.json", "vectors.npy", "vector_rows.json"}
    assert segment["clauses"] == 78 and segment["vectors"] == loaded.manifest.counts["vectors"]
    assert loaded.manifest.segments[0].content_sha256 == segment["content_sha256"]
    assert "segments" not in loaded.manifest.model_dump()  # not in the readiness probe


def test_no_pickle_in_the_index(fake_index_dir: Path) -> None:
    for path in fake_index_dir.rglob("*"):
        if path.suffix == ".npy":
            np.load(path, allow_pickle=False)  # raises if an array needed pickle
        assert path.suffix not in (".pkl", ".pickle")


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete"])
@pytest.mark.parametrize("name", ["vectors.faiss", "vectors.slots.npy",
                                  "segments/fujian_2021_fangguanfu/document.json",
                                  "segments/fujian_2021_fangguanfu/vectors.npy",
                                  "bm25/data.npy"])
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
    assert _leftovers(tmp_path) == []  # no temporary folders left


def test_rebuild_replaces_the_index(tmp_path: Path, fujian: Document,
                                    govcn: dict[str, Document]) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    build_fake([fujian, govcn["国发〔2018〕39号"]], folder)
    loaded = load_index(folder, HashingEncoder(), load_stopwords())
    assert [d.doc_id for d in loaded.documents] == ["fujian_2021_fangguanfu", "gf-2018-39"]
    assert _leftovers(tmp_path) == []


def test_empty_corpus_is_refused(tmp_path: Path) -> None:
    doc = Document(doc_id="x", title="x")
    with pytest.raises(IndexUnavailable, match="nothing to index"):
        build_fake([doc], tmp_path / "index")


def _leftovers(parent: Path) -> list[str]:
    """Names beside an index that are neither its link nor one of its (at most two) versions."""
    names = sorted(p.name for p in parent.iterdir())
    versions = [n for n in names if n.startswith(".index@")]
    assert len(versions) <= 2
    return [n for n in names if n not in ("index", ".index.lock") and n not in versions]


def test_a_folder_that_is_not_an_index_is_left_untouched(tmp_path: Path, fujian: Document) -> None:
    precious = tmp_path / "precious"
    precious.mkdir(mode=0o755)
    (precious / "notes.txt").write_text("important", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not a policyqa index"):
        build_fake([fujian], precious)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "important"
    assert precious.stat().st_mode & 0o777 == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious"]


def test_a_file_is_not_an_index_folder(tmp_path: Path, fujian: Document) -> None:
    target = tmp_path / "index"
    target.write_text("data", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="is a file"):
        build_fake([fujian], target)
    assert target.read_text(encoding="utf-8") == "data"


def test_an_empty_folder_becomes_an_index_with_normal_permissions(tmp_path: Path,
                                                                  fujian: Document) -> None:
    folder = tmp_path / "index"
    folder.mkdir()
    old = os.umask(0o022)
    try:
        build_fake([fujian], folder)
    finally:
        os.umask(old)
    assert folder.is_symlink() and (folder / "manifest.json").is_file()
    assert folder.resolve().stat().st_mode & 0o777 == 0o755  # not mkdtemp's 0700


def test_the_swap_is_one_rename_of_a_link(tmp_path: Path, fujian: Document,
                                          govcn: dict[str, Document],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    first = folder.resolve()
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        renames.append((Path(src).name, Path(dst).name))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    build_fake([fujian, govcn["国发〔2018〕39号"]], folder)
    # The build folder becomes a version, then one rename puts the new link over the old one:
    # at no moment is there no index at the path.
    assert [dst for _, dst in renames][-1] == "index" and len(renames) == 2
    assert folder.is_symlink() and folder.resolve() != first
    assert first.is_dir()  # the previous version stays for readers that resolved it just before
    assert load_index(folder, HashingEncoder(), load_stopwords()).manifest.counts["documents"] == 2


def test_a_killed_build_is_cleaned_up_by_the_next(tmp_path: Path, fujian: Document) -> None:
    dead = tmp_path / ".index.building-999999999-abcd"  # no such process
    dead.mkdir()
    (dead / "vectors.faiss").write_bytes(b"half")
    build_fake([fujian], tmp_path / "index")
    assert not dead.exists() and _leftovers(tmp_path) == []


def test_an_index_of_the_older_layout_is_replaced_in_place(tmp_path: Path, fujian: Document,
                                                           fake_index_dir: Path) -> None:
    folder = tmp_path / "index"
    shutil.copytree(fake_index_dir.resolve(), folder)  # a real folder, as older builds left it
    build_fake([fujian], folder)
    assert folder.is_symlink() and _leftovers(tmp_path) == []


def test_a_manifest_must_vouch_for_every_file(fake_index_dir: Path, tmp_path: Path) -> None:
    folder = _copy(fake_index_dir, tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = {}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    vectors = folder / "vectors.faiss"
    data = bytearray(vectors.read_bytes())
    data[-64:] = bytes(64)  # scrambled
    vectors.write_bytes(bytes(data))
    with pytest.raises(IndexUnavailable, match=r"no checksum for .*vectors\.faiss"):
        load_index(folder, HashingEncoder(), load_stopwords())


def test_an_unreadable_file_is_a_clear_error(fake_index_dir: Path, tmp_path: Path) -> None:
    folder = _copy(fake_index_dir, tmp_path)
    document = folder / "segments" / "fujian_2021_fangguanfu" / "document.json"
    document.unlink()
    document.mkdir()  # reading it fails with an OSError, as a denied one does
    with pytest.raises(IndexUnavailable, match=r"document\.json"):
        load_index(folder, HashingEncoder(), load_stopwords())


def test_another_stopword_list_is_refused(fake_index_dir: Path) -> None:
    changed = load_stopwords() | {"养老"}
    with pytest.raises(IndexUnavailable, match="another stopword list"):
        load_index(fake_index_dir, HashingEncoder(), changed)
    assert load_index(fake_index_dir, HashingEncoder(), load_stopwords()).manifest.stopwords_sha256


def test_an_index_of_an_older_format_is_rebuilt_in_place(tmp_path: Path, fujian: Document) -> None:
    folder = tmp_path / "index"
    build_fake([fujian], folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = 1
    del manifest["stopwords_sha256"]
    (folder.resolve() / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="rebuild"):
        load_index(folder, HashingEncoder(), load_stopwords())
    build_fake([fujian], folder)  # an upgrade rebuilds it rather than refusing the folder
    assert load_index(folder, HashingEncoder(), load_stopwords()).manifest.format_version == \
        FORMAT_VERSION


class RecordingMirror:
    """A store that keeps its own copy of each version: records what it saw, may fail."""

    def __init__(self, folder: Path, fail: bool = False) -> None:
        self.folder = folder
        self.fail = fail
        self.events: list[tuple[str, str]] = []

    def stage(self, work: Path, previous: Path | None = None) -> None:
        # The folder still points at the previous version while the store loads the new one,
        # and the store is told which version that is.
        before = os.readlink(self.folder) if self.folder.is_symlink() else ""
        assert previous == (self.folder.resolve() if before else None)
        self.events.append(("stage", before))
        assert (work / "manifest.json").is_file()
        if self.fail:
            raise IndexUnavailable("the store refused the load")

    def activate(self) -> None:
        self.events.append(("activate", os.readlink(self.folder)))


def test_a_mirror_loads_before_the_folder_moves_and_goes_live_after(
        tmp_path: Path, fujian: Document) -> None:
    from corpus.units import load_aliases
    from index.lexicon import load_lexicon
    from index.store import build_index

    folder = tmp_path / "index"
    build_fake([fujian], folder)
    first = os.readlink(folder)
    failing = RecordingMirror(folder, fail=True)
    with pytest.raises(IndexUnavailable, match="refused"):
        build_index([fujian], HashingEncoder(), folder, aliases=load_aliases(),
                    lexicon=load_lexicon(), stopwords=load_stopwords(), mirror=failing)
    assert os.readlink(folder) == first  # nothing published
    assert failing.events == [("stage", first)]
    mirror = RecordingMirror(folder)
    build_index([fujian], HashingEncoder(), folder, aliases=load_aliases(),
                lexicon=load_lexicon(), stopwords=load_stopwords(), mirror=mirror)
    assert mirror.events == [("stage", first), ("activate", os.readlink(folder))]
    assert os.readlink(folder) != first
