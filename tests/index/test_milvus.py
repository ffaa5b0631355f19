"""The Milvus store against a real Milvus (Milvus Lite, in a file): the same rankings as the
embedded store under every filter, versions behind aliases, a failed load that changes
nothing, and values that cannot change a filter expression."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from contract.errors import IndexUnavailable
from corpus.document import Document
from corpus.units import load_aliases
from index.backend import Where
from index.embedded import EmbeddedBackend
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.milvus import MilvusBackend, MilvusStore, lineage_of
from index.search import HybridRetriever
from index.store import Lexical, LoadedIndex, build_index, changed_documents, load_index
from tests.index.test_embedded import WHERES

LEXICAL = Lexical(load_aliases(), load_lexicon(), load_stopwords())

pytest.importorskip("milvus_lite", reason="Milvus Lite is installed with policyqa[milvus]")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> MilvusStore:
    return MilvusStore.connect(str(tmp_path_factory.mktemp("milvus") / "milvus.db"),
                               prefix="test")


@pytest.fixture(scope="module")
def live(store: MilvusStore, two: LoadedIndex) -> MilvusBackend:
    assert two.vectors is not None
    lineage = store.load(two, two.vectors.all())
    store.activate(lineage)
    return MilvusBackend(store, two)


QUESTIONS = ["养老机构设立许可", "省民政厅牵头", "企业开办时间压缩", "工程建设项目审批"]


@pytest.mark.parametrize("where", WHERES)
def test_rankings_match_the_embedded_store(two: LoadedIndex, live: MilvusBackend,
                                           where: Where) -> None:
    embedded = EmbeddedBackend(two)
    encoder = HashingEncoder()
    for question in QUESTIONS:
        vector = encoder.encode([question], "query")[0]
        assert [c for c, _ in live.dense(vector, 30, where)] == \
            [c for c, _ in embedded.dense(vector, 30, where)]
        terms = [(t, 1.0) for t in two.tokenizer.tokens(question)] + [("许可", 0.5)]
        mine, theirs = live.lexical(terms, 30, where), embedded.lexical(terms, 30, where)
        assert [c for c, _ in mine] == [c for c, _ in theirs]
        assert np.allclose([s for _, s in mine], [s for _, s in theirs], atol=1e-4)


def test_search_gives_the_same_hits(two: LoadedIndex, live: MilvusBackend) -> None:
    over_milvus = HybridRetriever(two, HashingEncoder(), load_lexicon(), backend=live)
    embedded = HybridRetriever(two, HashingEncoder(), load_lexicon())
    for question in QUESTIONS:
        mine, theirs = over_milvus.search(question, k=5), embedded.search(question, k=5)
        assert [(h.clause.clause_id, h.sentences) for h in mine] == \
            [(h.clause.clause_id, h.sentences) for h in theirs]
        assert [h.similarity for h in mine] == pytest.approx([h.similarity for h in theirs],
                                                             abs=1e-5)


def test_a_new_build_goes_live_behind_the_alias(store: MilvusStore, two: LoadedIndex,
                                                live: MilvusBackend, fujian: Document) -> None:
    assert two.vectors is not None
    before = store.live()
    assert before == lineage_of(two)
    assert store.load(two, two.vectors.all()) == before  # loaded once
    # A new build: the State Council notice left out.
    smaller = _only(two, fujian.doc_id)
    lineage = store.load(smaller, smaller_vectors(two, fujian.doc_id))
    assert store.live() == before  # loading does not activate
    store.activate(lineage)
    assert store.live() == lineage
    vector = HashingEncoder().encode(["国务院"], "query")[0]
    # A worker that has not reloaded yet still answers from its own version, whole; one over
    # the new build finds only Fujian's clauses.
    assert {two.clauses[c].doc_id for c, _ in live.dense(vector, 50, Where(repealed=True))} \
        == {d.doc_id for d in two.documents}
    found = MilvusBackend.over(store, smaller).dense(vector, 50, Where(repealed=True))
    assert found and all(smaller.clauses[c].doc_id == fujian.doc_id for c, _ in found)
    assert store.prune([lineage, before]) == []
    assert store.prune([lineage]) == [before]
    assert not store.has(before)
    store.activate(store.load(two, two.vectors.all()))  # back, for the other tests


def test_a_failed_load_changes_nothing(store: MilvusStore, two: LoadedIndex) -> None:
    live_before = store.live()
    collections = set(store.client.list_collections())
    broken = _only(two, two.documents[0].doc_id, "broken")
    with pytest.raises(IndexUnavailable, match="Milvus"):
        store.load(broken, np.zeros((len(broken.vector_rows), 3), dtype=np.float32)[:1])
    assert store.live() == live_before
    assert set(store.client.list_collections()) == collections
    with pytest.raises(IndexUnavailable, match="not in Milvus"):
        store.activate("0" * 16)


@pytest.mark.parametrize("value", ['省民政厅" or doc_id != "', '\\" or true or "', "x\x00y"])
def test_values_cannot_change_the_filter(live: MilvusBackend, value: str) -> None:
    vector = HashingEncoder().encode(["许可"], "query")[0]
    assert live.dense(vector, 10, Where(unit=value)) == []
    assert live.lexical([("许可", 1.0)], 10, Where(doc_id=value)) == []


def test_an_unreachable_milvus_is_said(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="cannot connect to Milvus"):
        MilvusStore.connect("http://127.0.0.1:9", prefix="x")


def _only(index: LoadedIndex, doc_id: str, name: str = "another") -> LoadedIndex:
    """The index as if it held one document (clauses, rows and BM25 kept as they are, which is
    all a load reads)."""
    from dataclasses import replace

    keep = [i for i, c in enumerate(index.clauses) if c.doc_id == doc_id]
    assert keep == list(range(len(keep)))  # the first document
    rows = tuple(r for r in index.vector_rows if r[0] in set(keep))
    return replace(index, documents=tuple(d for d in index.documents if d.doc_id == doc_id),
                   clauses=index.clauses[:len(keep)], vector_rows=rows,
                   manifest=index.manifest.model_copy(update={
                       "lineage": hashlib.sha256(name.encode()).hexdigest()[:16]}))


def smaller_vectors(index: LoadedIndex, doc_id: str) -> np.ndarray:
    assert index.vectors is not None
    rows = [i for i, (c, _) in enumerate(index.vector_rows) if index.clauses[c].doc_id == doc_id]
    return index.vectors.all()[rows]


def test_swapping_versions_under_load_loses_no_search(store: MilvusStore, two: LoadedIndex,
                                                       live: MilvusBackend,
                                                       fujian: Document) -> None:
    """Searches keep answering while the aliases swap between two versions back and forth."""
    import threading

    assert two.vectors is not None
    whole = store.load(two, two.vectors.all())
    smaller = _only(two, fujian.doc_id, "swapped")
    other = store.load(smaller, smaller_vectors(two, fujian.doc_id))
    retriever = HybridRetriever(two, HashingEncoder(), load_lexicon(), backend=live)
    failures: list[BaseException] = []
    answered = [0]
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                hits = retriever.search("取消养老机构设立许可", k=3)
                assert hits and hits[0].clause.clause_id == "7.1"
                answered[0] += 1
            except BaseException as exc:  # every failure is the finding
                failures.append(exc)
                return

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(6):
            store.activate(other)
            store.activate(whole)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not failures, failures[0]
    assert answered[0] > 0
    assert store.live() == whole
    store.prune([whole])


def test_an_index_never_loaded_into_milvus_is_refused(store: MilvusStore, two: LoadedIndex,
                                                      live: MilvusBackend) -> None:
    unknown = _only(two, two.documents[0].doc_id, "never loaded")
    with pytest.raises(IndexUnavailable, match="policyqa store sync"):
        MilvusBackend.over(store, unknown, wait=0)
    assert MilvusBackend.over(store, two).dense(
        HashingEncoder().encode(["许可"], "query")[0], 3, Where())


def test_a_loaded_version_that_is_not_live_is_refused(store: MilvusStore, two: LoadedIndex,
                                                     live: MilvusBackend,
                                                     fujian: Document) -> None:
    """Another index under the same prefix (or an activation that never came): refused, after
    waiting, rather than searched with another corpus's numbers."""
    other = _only(two, fujian.doc_id, "not live")
    store.load(other, smaller_vectors(two, fujian.doc_id))
    waited: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        now[0] += seconds

    with pytest.raises(IndexUnavailable, match="POLICYQA_MILVUS_PREFIX"):
        MilvusBackend.over(store, other, wait=1.0, clock=lambda: now[0], sleep=sleep)
    assert waited and sum(waited) >= 1.0
    store.prune([lineage_of(two)])


def test_a_killed_load_is_loaded_again(store: MilvusStore, two: LoadedIndex,
                                       fujian: Document) -> None:
    """Collections left short by a load that was killed are not taken for the version."""
    partial = _only(two, fujian.doc_id, "killed")
    vectors = smaller_vectors(two, fujian.doc_id)
    lineage = store.load(partial, vectors)
    rows_name, _ = store.names(lineage)
    store.client.delete(rows_name, filter='sentence >= 0')  # as if killed half-way
    assert not store.complete(partial)
    assert store.load(partial, vectors) == lineage
    assert store.complete(partial)
    store.drop(lineage)


def test_milvus_failing_while_serving_is_unavailable(store: MilvusStore, two: LoadedIndex,
                                                     fujian: Document) -> None:
    """A search on a version whose collections went away says the index is unavailable (the
    API's 503), not an internal error."""
    gone = _only(two, fujian.doc_id, "gone")
    lineage = store.load(gone, smaller_vectors(two, fujian.doc_id))
    backend = MilvusBackend(MilvusStore(store.client, prefix="nothing-here"), gone)
    with pytest.raises(IndexUnavailable, match="Milvus store did not answer"):
        backend.dense(HashingEncoder().encode(["许可"], "query")[0], 3, Where())
    store.drop(lineage)


def _edited(index: LoadedIndex, generation: int, *, only: str | None = None,
            repealed: str | None = None) -> LoadedIndex:
    """The same lineage ``generation`` edits on: only document ``only`` kept, or document
    ``repealed`` set to 废止 (BM25 parts kept as they are, which an edit does too)."""
    from dataclasses import replace

    edited = replace(_only(index, only), manifest=index.manifest) if only else index
    segments = [e for e in index.manifest.segments if only is None or e.doc_id == only]
    if repealed:
        edited = replace(edited, documents=tuple(
            d.model_copy(update={"status": "废止"}) if d.doc_id == repealed else d
            for d in edited.documents))
        segments = [e.model_copy(update={"files": {**e.files, "document.json": "0" * 64}})
                    if e.doc_id == repealed else e for e in segments]
    return replace(edited, manifest=index.manifest.model_copy(
        update={"generation": generation, "segments": tuple(segments)}))


def _records(store: MilvusStore, lineage: str, condition: str) -> tuple[int, int]:
    """Records of the rows and of the clauses collection matching ``condition``."""
    return tuple(int(store.client.query(name, filter=condition, output_fields=["count(*)"],
                                        consistency_level="Strong")[0]["count(*)"])
                 for name in store.names(lineage))  # type: ignore[return-value]


def _rankings(backend: MilvusBackend, where: Where) -> list[list[int]]:
    encoder = HashingEncoder()
    found = []
    for question in QUESTIONS:
        found.append([c for c, _ in backend.dense(encoder.encode([question], "query")[0], 30,
                                                  where)])
        found.append([c for c, _ in backend.lexical([(t, 1.0) for t in question], 30, where)])
    return found


def test_an_edit_writes_only_its_own_documents(store: MilvusStore, two: LoadedIndex,
                                               fujian: Document) -> None:
    """Removing a document retires its records and writes nothing else; putting it back
    inserts only its records; readers of each generation see exactly their version."""
    assert two.vectors is not None
    edits = MilvusStore(store.client, prefix="edits")
    lineage = edits.load(two, two.vectors.all())
    edits.activate(lineage, 0)
    other = next(d.doc_id for d in two.documents if d.doc_id != fujian.doc_id)
    theirs = (sum(1 for c, _ in two.vector_rows if two.clauses[c].doc_id == other),
              sum(1 for i, w in enumerate(two.bm25.parts())
                  if w and two.clauses[i].doc_id == other))
    first = MilvusBackend.over(edits, two)
    before = _rankings(first, Where())

    smaller = _edited(two, 1, only=fujian.doc_id)
    for name in edits.names(lineage):  # as another process finds it after a restart
        store.client.release_collection(name)
    assert edits.load(smaller, smaller_vectors(two, fujian.doc_id)) == lineage
    assert _records(edits, lineage, "since == 1") == (0, 0)  # nothing written anew
    assert _records(edits, lineage, "until == 1") == theirs  # the removed one's, retired
    assert _rankings(first, Where()) == before  # the published generation is untouched
    edits.activate(lineage, 1)
    second = MilvusBackend.over(edits, smaller)
    assert _rankings(second, Where()) == _rankings(first, Where(doc_id=fujian.doc_id))
    assert _rankings(first, Where()) == before  # still whole for searches under way

    again = _edited(two, 2)
    edits.load(again, two.vectors.all())
    assert _records(edits, lineage, "since == 2") == theirs  # only the document put back
    edits.activate(lineage, 2)
    assert _records(edits, lineage, "until <= 1") == (0, 0)  # no reader can see them now
    assert _rankings(MilvusBackend.over(edits, again), Where()) == before
    edits.drop(lineage)


class _FailingUpserts:
    """A Milvus client whose upserts fail (a connection lost half-way through a load)."""

    def __init__(self, client: object) -> None:
        self._client = client

    def upsert(self, *args: object, **kwargs: object) -> None:
        raise ConnectionError("lost")

    def __getattr__(self, name: str) -> object:
        return getattr(self._client, name)


def test_a_failed_edit_is_invisible_and_the_next_load_finishes_it(
        store: MilvusStore, two: LoadedIndex, fujian: Document) -> None:
    assert two.vectors is not None
    edits = MilvusStore(store.client, prefix="failing")
    lineage = edits.load(two, two.vectors.all())
    edits.activate(lineage, 0)
    first = MilvusBackend.over(edits, two)
    before = _rankings(first, Where())
    repealed = _edited(two, 1, repealed=fujian.doc_id)
    with pytest.raises(IndexUnavailable, match="loading the index into Milvus failed"):
        MilvusStore(_FailingUpserts(store.client), prefix="failing").load(
            repealed, two.vectors.all())
    assert _records(edits, lineage, "since == 1") != (0, 0)  # written, then the failure
    assert _rankings(first, Where()) == before
    assert not edits.complete(repealed)
    assert edits.load(repealed, two.vectors.all()) == lineage
    assert edits.complete(repealed)
    edits.activate(lineage, 1)
    found = _rankings(MilvusBackend.over(edits, repealed), Where())
    assert all(two.clauses[c].doc_id != fujian.doc_id for ranked in found for c in ranked)
    assert _rankings(first, Where()) == before
    edits.drop(lineage)


@pytest.mark.parametrize("told", [True, False])
def test_an_edit_compares_only_the_documents_it_changed(
        store: MilvusStore, two: LoadedIndex, fujian: Document, told: bool,
        caplog: pytest.LogCaptureFixture) -> None:
    """Told the version it replaces (and Milvus holding it), a load reads and compares only
    the changed documents' records; otherwise every record. The result is the same."""
    assert two.vectors is not None
    edits = MilvusStore(store.client, prefix=f"compare{int(told)}")
    lineage = edits.load(two, two.vectors.all())
    edits.activate(lineage, 0)
    before = _rankings(MilvusBackend.over(edits, two), Where())
    other = next(d.doc_id for d in two.documents if d.doc_id != fujian.doc_id)
    smaller = _edited(two, 1, only=fujian.doc_id)
    caplog.set_level("INFO", logger="index.milvus")
    edits.load(smaller, smaller_vectors(two, fujian.doc_id), two.manifest if told else None)
    assert ("(1 documents compared)" if told else "(all documents compared)") in caplog.text
    assert edits.complete(smaller) and edits.generation(lineage) == 1
    edits.activate(lineage, 1)
    assert _rankings(MilvusBackend.over(edits, smaller), Where()) == \
        _rankings(MilvusBackend.over(edits, two), Where(doc_id=fujian.doc_id))
    # An edit made without the store (generation 2) is not a basis: the next load compares
    # every record.
    again = _edited(two, 3)
    caplog.clear()
    edits.load(again, two.vectors.all(), _edited(two, 2).manifest)
    assert "(all documents compared)" in caplog.text
    assert edits.complete(again)
    assert _rankings(MilvusBackend.over(edits, again), Where()) == before
    assert other in {d.doc_id for d in again.documents}
    edits.drop(lineage)


def test_a_retried_edit_reconciles_what_a_failed_one_left(store: MilvusStore, two: LoadedIndex,
                                                          fujian: Document) -> None:
    """A load of generation 1 fails after writing for one edit; the generation 1 published in
    the end is another edit. Told only of that one's document, the load still finds and
    undoes what the failed one left."""
    assert two.vectors is not None
    edits = MilvusStore(store.client, prefix="retried")
    lineage = edits.load(two, two.vectors.all())
    edits.activate(lineage, 0)
    other = next(d.doc_id for d in two.documents if d.doc_id != fujian.doc_id)
    with pytest.raises(IndexUnavailable):
        MilvusStore(_FailingUpserts(store.client), prefix="retried").load(
            _edited(two, 1, repealed=fujian.doc_id), two.vectors.all(), two.manifest)
    instead = _edited(two, 1, repealed=other)
    assert changed_documents(two.manifest, instead.manifest) == {other}
    edits.load(instead, two.vectors.all(), two.manifest)
    assert edits.complete(instead)
    edits.activate(lineage, 1)
    found = _rankings(MilvusBackend.over(edits, instead), Where())
    assert {two.clauses[c].doc_id for ranked in found for c in ranked} == {fujian.doc_id}
    edits.drop(lineage)


def _renamed(document: Document, doc_id: str) -> Document:
    return document.model_copy(update={"doc_id": doc_id, "clauses": tuple(
        c.model_copy(update={"doc_id": doc_id}) for c in document.clauses)})


@pytest.mark.parametrize("doc_id", [
    "notice#7",  # the key separator
    'q"] or doc_id != "\\',  # quotes and a backslash
    '~" or until >= 0 or key > "',  # what a query iterator's cursor splices in
    "z'] or until >= 0 or key in ['",  # what delete(ids=…) splices in
])
def test_any_document_id_is_kept_and_edited_safely(tmp_path: Path, store: MilvusStore,
                                                  fujian: Document, govcn: dict[str, Document],
                                                  doc_id: str) -> None:
    """Record keys and the filters a load makes are hashes, so a document id can neither
    break a load nor reach into other records; a failed edit of it, then another edit, leaves
    every generation as it should be."""
    from index.edit import set_status
    from index.milvus_mirror import MilvusMirror

    odd = _renamed(fujian, doc_id)
    other = next(iter(govcn.values()))
    folder = tmp_path / "index"
    edits = MilvusStore(store.client, prefix="odd")
    build_index([other, odd], HashingEncoder(), folder, aliases=load_aliases(),
                lexicon=load_lexicon(), stopwords=load_stopwords(), mirror=MilvusMirror(edits))
    built = load_index(folder, HashingEncoder(), load_stopwords())
    assert built.vectors is not None
    reader = MilvusBackend.over(edits, built)
    before = _rankings(reader, Where(repealed=True))
    with pytest.raises(IndexUnavailable):
        MilvusStore(_FailingUpserts(store.client), prefix="odd").load(
            _edited(built, 1, repealed=doc_id), built.vectors.all(), built.manifest)
    set_status(folder, other.doc_id, "废止", lexical=LEXICAL, mirror=MilvusMirror(edits))
    edited = load_index(folder, HashingEncoder(), load_stopwords())
    assert edits.complete(edited)
    assert _rankings(reader, Where(repealed=True)) == before
    embedded, milvus = EmbeddedBackend(edited), MilvusBackend.over(edits, edited)
    vector = HashingEncoder().encode(["许可"], "query")[0]
    for where in (Where(), Where(repealed=True), Where(repealed=True, doc_id=doc_id)):
        assert [c for c, _ in milvus.dense(vector, 40, where)] == \
            [c for c, _ in embedded.dense(vector, 40, where)]
    edits.drop(lineage_of(edited))


def test_documents_sharing_a_long_prefix_stay_apart(tmp_path: Path, store: MilvusStore,
                                                    fujian: Document,
                                                    govcn: dict[str, Document]) -> None:
    """Stored ids are cut at 512 characters; an edit finds a document by a hash of its whole
    id, so it never touches another whose id starts the same."""
    from index.edit import set_status
    from index.milvus_mirror import MilvusMirror

    a, b = _renamed(fujian, "x" * 520 + "a"), _renamed(next(iter(govcn.values())), "x" * 520 + "b")
    folder = tmp_path / "index"
    edits = MilvusStore(store.client, prefix="long")
    build_index([a, b], HashingEncoder(), folder, aliases=load_aliases(),
                lexicon=load_lexicon(), stopwords=load_stopwords(), mirror=MilvusMirror(edits))
    set_status(folder, a.doc_id, "废止", lexical=LEXICAL, mirror=MilvusMirror(edits))
    edited = load_index(folder, HashingEncoder(), load_stopwords())
    assert edits.complete(edited)
    found = MilvusBackend.over(edits, edited).dense(
        HashingEncoder().encode(["国务院"], "query")[0], 50, Where(repealed=True))
    assert {edited.clauses[c].doc_id[-1] for c, _ in found} == {"a", "b"}
    edits.drop(lineage_of(edited))


def test_another_stopword_list_rewrites_every_clause(tmp_path: Path, store: MilvusStore,
                                                     fujian: Document, govcn: dict[str, Document],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit made under another stopword list cuts every clause anew: every clause record
    is compared, not only the edited document's."""
    import index.milvus_mirror as mirrors
    from index.edit import set_status

    old, new = load_stopwords() | {"许可", "养老"}, load_stopwords()
    other = next(iter(govcn.values()))
    folder = tmp_path / "index"
    edits = MilvusStore(store.client, prefix="stop")
    monkeypatch.setattr(mirrors, "load_stopwords", lambda: old)
    build_index([fujian, other], HashingEncoder(), folder, aliases=load_aliases(),
                lexicon=load_lexicon(), stopwords=old, mirror=mirrors.MilvusMirror(edits))
    monkeypatch.setattr(mirrors, "load_stopwords", lambda: new)
    set_status(folder, other.doc_id, "废止", lexical=Lexical(load_aliases(), load_lexicon(), new),
               mirror=mirrors.MilvusMirror(edits))
    edited = load_index(folder, HashingEncoder(), new)
    terms = [("许可", 1.0), ("养老", 1.0)]
    mine = MilvusBackend.over(edits, edited).lexical(terms, 30, Where(repealed=True))
    assert mine and [c for c, _ in mine] == \
        [c for c, _ in EmbeddedBackend(edited).lexical(terms, 30, Where(repealed=True))]
    edits.drop(lineage_of(edited))


def test_only_the_version_milvus_wrote_is_served(store: MilvusStore, two: LoadedIndex,
                                                fujian: Document) -> None:
    """A load staged but never published, then another version of the same generation made
    without Milvus: the mark names the version, not its number, so the next edit compares
    every record, and a worker is served only the version Milvus holds (or the one before)."""
    assert two.vectors is not None
    edits = MilvusStore(store.client, prefix="mark")
    lineage = edits.load(two, two.vectors.all())
    edits.activate(lineage, 0)
    staged = _edited(two, 1, repealed=fujian.doc_id)
    edits.load(staged, two.vectors.all(), two.manifest)  # its publication failed
    published = _edited(two, 1, only=fujian.doc_id)  # made with the embedded store
    with pytest.raises(IndexUnavailable, match="policyqa store sync"):
        MilvusBackend.over(edits, published, wait=0)
    following = _edited(two, 2, only=fujian.doc_id)
    edits.load(following, smaller_vectors(two, fujian.doc_id), published.manifest)
    edits.activate(lineage, 2)
    assert edits.complete(following)
    assert any(_rankings(MilvusBackend.over(edits, following), Where()))
    for unheld in (published, two):  # not the version before the one Milvus wrote
        with pytest.raises(IndexUnavailable, match="policyqa store sync"):
            MilvusBackend.over(edits, unheld, wait=0)
    edits.drop(lineage)
