"""Editing an index a document at a time: add, replace, remove and status, each published
atomically over segments whose checksums are checked, embedding only what is new."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from contract.errors import IndexUnavailable, InputError, NotFound
from corpus.document import Document
from corpus.units import load_aliases
from engine.service import PolicyQA
from index.edit import EditReport, add_documents, remove_documents, set_status
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.segment import content_sha256, segment_folder
from index.store import FORMAT_VERSION, Lexical, LoadedIndex, document_passages, load_index
from index.versions import editing
from tests.conftest import build_fake, fake_service

LEXICAL = Lexical(load_aliases(), load_lexicon(), load_stopwords())
QUESTIONS = ("养老机构还需要许可吗", "企业开办时间压缩到几个工作日", "哪个部门牵头推进证照分离改革",
             "就业补贴怎么申请", "减税降费有哪些措施", "跨省通办什么时候完成")


class CountingEncoder(HashingEncoder):
    """Records every text it is asked to encode."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], kind: str,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        self.seen += list(texts)
        return super().encode(texts, kind, progress)


class ExplodingEncoder(HashingEncoder):
    """Fails while embedding, as a crash during an edit would."""

    def encode(self, texts, kind, progress=None):  # type: ignore[no-untyped-def]
        raise RuntimeError("simulated crash while embedding")


@pytest.fixture()
def docs(fujian: Document, govcn: dict[str, Document]) -> list[Document]:
    return [fujian, govcn["国发〔2018〕39号"], govcn["国办发〔2019〕6号"]]


@pytest.fixture()
def index(tmp_path: Path, docs: list[Document]) -> Path:
    folder = tmp_path / "index"
    build_fake(docs[:2], folder)
    return folder


def _add(folder: Path, documents: Sequence[Document],
         encoder: HashingEncoder | None = None) -> EditReport:
    return add_documents(folder, documents, encoder or HashingEncoder(), lexical=LEXICAL)


def _load(folder: Path) -> LoadedIndex:
    return load_index(folder, HashingEncoder(), load_stopwords())


def _answers(service: PolicyQA) -> list[str]:
    return [service.ask(q).model_dump_json() for q in QUESTIONS] + \
        [repr([(h.clause.doc_id, h.clause.clause_id, h.score, h.sentences)
               for h in service.search(q, k=10)]) for q in QUESTIONS]


def _vectors(index: LoadedIndex) -> np.ndarray:
    assert index.vectors is not None
    return index.vectors.all()


def _derived(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder.resolve())): p.read_bytes()
            for p in sorted(folder.resolve().rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


def test_add_then_remove_restores_the_index_exactly(index: Path, docs: list[Document]) -> None:
    before = _load(index)
    answers = _answers(fake_service(before))
    files = _derived(index)

    added = _add(index, [docs[2]])
    assert [(c.doc_id, c.action) for c in added.changes] == [(docs[2].doc_id, "added")]
    grown = _load(index)
    assert [d.doc_id for d in grown.documents] == [d.doc_id for d in docs]
    assert grown.clauses[: len(before.clauses)] == before.clauses
    assert grown.manifest.counts["documents"] == 3

    removed = remove_documents(index, [docs[2].doc_id], lexical=LEXICAL)
    assert [(c.doc_id, c.action) for c in removed.changes] == [(docs[2].doc_id, "removed")]
    after = _load(index)
    assert after.documents == before.documents and after.clauses == before.clauses
    assert after.vector_rows == before.vector_rows
    assert np.array_equal(_vectors(after), _vectors(before))
    assert _derived(index) == files  # segments, dictionary, BM25 and FAISS byte for byte
    assert after.manifest.corpus_sha256 == before.manifest.corpus_sha256
    assert after.manifest.segments == before.manifest.segments
    assert _answers(fake_service(after)) == answers


def test_an_added_document_is_answered_and_searched(index: Path, docs: list[Document]) -> None:
    _add(index, [docs[2]])
    service = fake_service(index)
    hits = service.search("减轻企业负担", k=50)
    assert docs[2].doc_id in {h.clause.doc_id for h in hits}
    assert service.document(docs[2].doc_id).title == docs[2].title


def test_only_the_new_document_is_embedded(index: Path, docs: list[Document]) -> None:
    encoder = CountingEncoder()
    report = _add(index, [docs[2]], encoder)
    _, texts = document_passages(docs[2])
    indexed = {t for d in docs[:2] for t in document_passages(d)[1]}
    assert sorted(encoder.seen) == sorted(set(texts) - indexed)  # each distinct new text once
    assert report.embedding is not None and report.embedding.passages == len(texts)
    assert report.embedding.encoded == len(encoder.seen)
    # The new segment's vectors are the ones a full build gives.
    folder = index.resolve() / segment_folder(docs[2].doc_id)
    assert np.array_equal(np.load(folder / "vectors.npy"),
                          HashingEncoder().encode(texts, "passage"))


def test_kept_segments_are_linked_not_rewritten(index: Path, docs: list[Document]) -> None:
    old = index.resolve()
    _add(index, [docs[2]])
    new = index.resolve()
    assert new != old
    for doc in docs[:2]:
        for name in ("document.json", "vectors.npy", "vector_rows.json"):
            path = Path(segment_folder(doc.doc_id)) / name
            assert os.stat(new / path).st_ino == os.stat(old / path).st_ino


def test_an_indexed_document_is_not_embedded_again(index: Path, docs: list[Document]) -> None:
    version = index.resolve()
    manifest = (index / "manifest.json").read_bytes()
    encoder = CountingEncoder()
    again = docs[1].model_copy(update={"source": "/elsewhere/notice.jsonl:3", "status": "已修订"})
    report = _add(index, [again], encoder)
    assert [(c.doc_id, c.action) for c in report.changes] == [(docs[1].doc_id, "unchanged")]
    assert not report.published and encoder.seen == []
    assert index.resolve() == version and (index / "manifest.json").read_bytes() == manifest
    assert "unchanged" in report.summary()


def test_the_same_content_under_another_id_is_a_duplicate(index: Path,
                                                          docs: list[Document]) -> None:
    twin = docs[1].model_copy(update={
        "doc_id": "twin", "clauses": tuple(c.model_copy(update={"doc_id": "twin"})
                                           for c in docs[1].clauses)})
    assert content_sha256(twin) == content_sha256(docs[1])
    report = _add(index, [twin, docs[2]])
    assert [(c.doc_id, c.action, c.detail) for c in report.changes] == [
        ("twin", "duplicate", docs[1].doc_id), (docs[2].doc_id, "added", "")]
    assert [d.doc_id for d in _load(index).documents] == [d.doc_id for d in docs]


def test_a_new_version_replaces_the_old_in_place(index: Path, docs: list[Document]) -> None:
    old = docs[0]
    changed_clause = old.clauses[5].model_copy(update={"text": old.clauses[5].text + "（已调整）"})
    newer = old.model_copy(update={"clauses": (*old.clauses[:5], changed_clause,
                                               *old.clauses[6:])})
    encoder = CountingEncoder()
    report = _add(index, [newer], encoder)
    assert [(c.doc_id, c.action) for c in report.changes] == [(old.doc_id, "replaced")]
    assert encoder.seen == [f"{changed_clause.label}\n{changed_clause.text}"]  # the rest reused
    loaded = _load(index)
    assert [d.doc_id for d in loaded.documents] == [d.doc_id for d in docs[:2]]
    assert loaded.documents[0].clauses[5].text.endswith("（已调整）")
    assert loaded.manifest.counts["vectors"] == _load_counts(docs[:2])


def _load_counts(documents: Sequence[Document]) -> int:
    return sum(len(document_passages(d)[0]) for d in documents)


def test_a_damaged_segment_is_refused_by_name(index: Path, docs: list[Document]) -> None:
    damaged = index.resolve() / segment_folder(docs[1].doc_id) / "vectors.npy"
    data = damaged.read_bytes()
    damaged.unlink()  # a hard link may share it with an older version: replace, do not write
    damaged.write_bytes(data[: len(data) // 2])
    message = rf"segment {docs[1].doc_id}: vectors\.npy is truncated or altered"
    with pytest.raises(IndexUnavailable, match=message):
        _load(index)
    with pytest.raises(IndexUnavailable, match=message):
        _add(index, [docs[2]])  # nothing is built on a damaged segment
    # Removing the damaged document reads only the others, and mends the index.
    remove_documents(index, [docs[1].doc_id], lexical=LEXICAL)
    assert [d.doc_id for d in _load(index).documents] == [docs[0].doc_id]


def test_an_altered_document_file_is_refused(index: Path, docs: list[Document]) -> None:
    path = index.resolve() / segment_folder(docs[0].doc_id) / "document.json"
    data = path.read_text(encoding="utf-8").replace("养老", "医疗", 1)
    path.unlink()
    path.write_text(data, encoding="utf-8")
    with pytest.raises(IndexUnavailable, match=rf"segment {docs[0].doc_id}: document\.json"):
        _load(index)


def test_a_crash_mid_add_leaves_the_previous_index(index: Path, docs: list[Document]) -> None:
    version = index.resolve()
    manifest = (index / "manifest.json").read_bytes()
    with pytest.raises(RuntimeError, match="simulated crash"):
        _add(index, [docs[2]], ExplodingEncoder())
    assert index.resolve() == version and (index / "manifest.json").read_bytes() == manifest
    assert _load(index).manifest.counts["documents"] == 2
    leftovers = [p.name for p in index.parent.iterdir() if ".building-" in p.name]
    assert leftovers == []


def test_removing_what_is_not_there_is_a_clear_error(index: Path, docs: list[Document]) -> None:
    version = index.resolve()
    with pytest.raises(NotFound, match=rf"no document 'gf-2099-1'; it holds {docs[0].doc_id}"):
        remove_documents(index, ["gf-2099-1"], lexical=LEXICAL)
    with pytest.raises(InputError, match=r"would leave .* empty"):
        remove_documents(index, [d.doc_id for d in docs[:2]], lexical=LEXICAL)
    assert index.resolve() == version


def test_add_refuses_bad_input_and_another_model(index: Path, docs: list[Document]) -> None:
    with pytest.raises(InputError, match="share the id"):
        _add(index, [docs[2], docs[2]])
    with pytest.raises(InputError, match="no clauses"):
        _add(index, [Document(doc_id="empty", title="空")])
    with pytest.raises(IndexUnavailable, match="built with the model fake-hashing"):
        add_documents(index, [docs[2]], HashingEncoder(model_id="other"), lexical=LEXICAL)
    with pytest.raises(IndexUnavailable, match=r"no index in .*policyqa build"):
        _add(index.parent / "nothing", [docs[2]])


def test_an_index_of_an_older_format_is_not_edited(index: Path, docs: list[Document]) -> None:
    path = index.resolve() / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["format_version"] = 2
    path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match=r"format 2, this version reads 5; rebuild with"):
        _add(index, [docs[2]])
    assert FORMAT_VERSION == 5


def test_a_status_changes_only_the_document_file(index: Path, docs: list[Document]) -> None:
    before = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    old = index.resolve()
    report = set_status(index, docs[1].doc_id, "废止", lexical=LEXICAL)
    assert report.published and report.embedding is None
    assert report.changes[0].detail == "现行 → 废止"
    after = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    assert after["files"] == before["files"]  # BM25, dictionary, FAISS: the same
    for a, b in zip(before["segments"], after["segments"], strict=True):
        changed = {k for k in a["files"] if a["files"][k] != b["files"][k]}
        assert changed == ({"document.json"} if a["doc_id"] == docs[1].doc_id else set())
        assert a["content_sha256"] == b["content_sha256"]
    new = index.resolve()
    vectors = Path(segment_folder(docs[1].doc_id)) / "vectors.npy"
    assert os.stat(new / vectors).st_ino == os.stat(old / vectors).st_ino  # not even rewritten
    assert os.stat(new / "vectors.faiss").st_ino == os.stat(old / "vectors.faiss").st_ino
    loaded = _load(index)
    assert [d.status for d in loaded.documents] == ["现行", "废止"]
    again = set_status(index, docs[1].doc_id, "废止", lexical=LEXICAL)
    assert not again.published and index.resolve() == new
    with pytest.raises(NotFound, match="no document 'nope'"):
        set_status(index, "nope", "废止", lexical=LEXICAL)


def test_a_status_survives_adding_the_same_notice_again(index: Path,
                                                        docs: list[Document]) -> None:
    set_status(index, docs[1].doc_id, "废止", lexical=LEXICAL)
    assert _add(index, [docs[1]]).changes[0].action == "unchanged"
    assert _load(index).documents[1].status == "废止"


def test_a_doc_id_that_is_no_file_name(index: Path, docs: list[Document]) -> None:
    odd = "国发/2018/../x"
    renamed = docs[2].model_copy(update={
        "doc_id": odd, "clauses": tuple(c.model_copy(update={"doc_id": odd})
                                        for c in docs[2].clauses)})
    _add(index, [renamed])
    folder = segment_folder(odd)
    assert folder.startswith("segments/~") and "/" not in folder[len("segments/"):]
    assert (index / folder / "document.json").is_file()
    assert _load(index).documents[-1].doc_id == odd
    remove_documents(index, [odd], lexical=LEXICAL)


def test_edits_take_turns(index: Path, docs: list[Document]) -> None:
    """An edit waits for the one holding the lock, then edits what that one published: no
    edit is lost when the API and the command line change the same index."""
    done = threading.Event()

    def add_third() -> None:
        _add(index, [docs[2]])
        done.set()

    with editing(index):
        worker = threading.Thread(target=add_third)
        worker.start()
        time.sleep(0.5)
        assert not done.is_set()
    worker.join(timeout=60)
    assert done.is_set()
    assert [d.doc_id for d in _load(index).documents] == [d.doc_id for d in docs]


def test_a_full_build_keeps_the_corpus_order(tmp_path: Path, docs: list[Document]) -> None:
    folder = tmp_path / "index"
    build_fake([docs[2], docs[0], docs[1]], folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [s["doc_id"] for s in manifest["segments"]] == [docs[2].doc_id, docs[0].doc_id,
                                                           docs[1].doc_id]


def test_edits_continue_the_lineage_and_keep_the_average_length(index: Path,
                                                               docs: list[Document]) -> None:
    """Each edit is its build's next generation and keeps BM25's average clause length (a
    store holding its own copy rewrites only the documents edited); a build starts afresh."""
    built = _load(index)
    assert built.manifest.generation == 0 and len(built.manifest.lineage) == 16
    _add(index, docs[2:])
    set_status(index, docs[2].doc_id, "废止", lexical=LEXICAL)
    remove_documents(index, [docs[1].doc_id], lexical=LEXICAL)
    edited = _load(index)
    assert (edited.manifest.lineage, edited.manifest.generation) == (built.manifest.lineage, 3)
    assert edited.bm25.avgdl == built.bm25.avgdl
    fujian = [i for i, c in enumerate(built.clauses) if c.doc_id == docs[0].doc_id]
    assert [edited.bm25.parts()[i] for i in fujian] == [built.bm25.parts()[i] for i in fujian]
    encoder = CountingEncoder()
    build_fake([docs[0], docs[2]], index, encoder)
    rebuilt = _load(index)
    assert rebuilt.manifest.lineage != built.manifest.lineage
    assert rebuilt.manifest.generation == 0
    assert encoder.seen == []  # every passage's vector was in the index already
    assert np.array_equal(_vectors(rebuilt), _vectors(edited))
