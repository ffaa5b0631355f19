"""Button payloads: within 64 bytes whatever the ids, true across a restart, refused (never
misread) after the notice changed or went, and nothing garbled or foreign is obeyed."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.payload import (
    MAX_BYTES,
    REASON_CODES,
    AskQuestion,
    Expired,
    Payloads,
    Rate,
    ShowClause,
    ShowRelated,
    doc_key,
    rating_payload,
)
from contract.answer import Citation
from contract.errors import InputError
from corpus.document import Document
from engine.service import PolicyQA
from tests.bot.notices import LONG_ID, edited, hostile, long_notice, renamed
from tests.conftest import build_fake, fake_service

FUJIAN_ID = "fujian_2021_fangguanfu"
QUESTION = "养老机构还需要许可吗"  # answered from 7.1, with 2.2 and A1.8 as further citations


@dataclass(frozen=True)
class Indexes:
    folder: Path
    """fujian, the hostile notice, the long notice and the hostile one under a very long id."""
    reindexed: Path
    """After a reindex: the hostile notice first, fujian with 7.1 edited, the long one gone."""


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> Indexes:
    root = tmp_path_factory.mktemp("payloads")
    build_fake([fujian, hostile(), long_notice(), renamed(hostile(), LONG_ID)], root / "one")
    changed = edited(fujian, "7.1", "养老机构设立实行许可制。")
    build_fake([hostile(), changed, renamed(hostile(), LONG_ID)], root / "two")
    return Indexes(root / "one", root / "two")


@pytest.fixture(scope="module")
def service(indexes: Indexes) -> PolicyQA:
    return fake_service(indexes.folder)


@pytest.fixture(scope="module")
def restarted(indexes: Indexes) -> PolicyQA:
    """Another process over the same index: nothing shared with ``service`` but the files."""
    return fake_service(indexes.folder)


@pytest.fixture(scope="module")
def reindexed(indexes: Indexes) -> PolicyQA:
    return fake_service(indexes.reindexed)


def _same(a: Citation, b: Citation) -> bool:
    """Equal as shown (the score is not shown)."""
    return a.model_dump(exclude={"score"}) == b.model_dump(exclude={"score"})


def test_every_clause_fits_and_comes_back(service: PolicyQA) -> None:
    payloads = Payloads(service)
    for document in service.documents:
        for clause in document.clauses:
            data = payloads.show_clause(document.doc_id, clause.clause_id)
            assert len(data.encode("utf-8")) <= MAX_BYTES and data.isascii(), data
            assert payloads.resolve(data) == ShowClause(document, clause)


def test_payload_names_document_version_and_clause(service: PolicyQA) -> None:
    data = Payloads(service).show_clause(LONG_ID, "1.1")
    key, version, clause_id = data.removeprefix("c|").split(".", 2)
    assert key == doc_key(LONG_ID) and clause_id == "1.1"
    assert service.version(LONG_ID).startswith(version) and len(version) == 8
    # The same notice under two ids is one version, two documents.
    assert service.version(LONG_ID) == service.version("hostile_notice")
    resolved = Payloads(service).resolve(data)
    assert isinstance(resolved, ShowClause) and resolved.document.doc_id == LONG_ID


def test_related_quotes_what_the_answer_quoted(service: PolicyQA) -> None:
    answer = service.ask(QUESTION)
    further = answer.citations[1:]
    assert len(further) == 2
    data = Payloads(service).related(further)
    assert data is not None and len(data.encode("utf-8")) <= MAX_BYTES
    resolved = Payloads(service).resolve(data)
    assert isinstance(resolved, ShowRelated)
    assert len(resolved.citations) == 2
    assert all(_same(a, b) for a, b in zip(resolved.citations, further, strict=True))


def test_related_keeps_what_fits(service: PolicyQA) -> None:
    clauses = [c for c in service.document(FUJIAN_ID).clauses if c.sentences][:6]
    citations = [service.ask(QUESTION).citations[0].model_copy(update={
        "clause_id": c.clause_id, "label": c.label, "quote": c.sentences[0].text})
        for c in clauses]
    data = Payloads(service).related(citations)
    assert data is not None and len(data.encode("utf-8")) <= MAX_BYTES
    resolved = Payloads(service).resolve(data)
    assert isinstance(resolved, ShowRelated)
    assert 1 <= len(resolved.citations) < len(citations)
    assert [c.clause_id for c in resolved.citations] == \
        [c.clause_id for c in citations[: len(resolved.citations)]]
    assert Payloads(service).related(citations, limit=2 + 1 + 1) is None  # not even one


def test_suggestions_by_number_of_this_corpus(service: PolicyQA, reindexed: PolicyQA) -> None:
    payloads = Payloads(service)
    for n, question in enumerate(service.suggestions):
        assert payloads.resolve(payloads.ask(n)) == AskQuestion(question)
    with pytest.raises(Expired):
        payloads.resolve(payloads.ask(len(service.suggestions)))
    with pytest.raises(Expired):  # another corpus may number its suggestions differently
        Payloads(reindexed).resolve(payloads.ask(0))


def test_a_restart_changes_nothing(service: PolicyQA, restarted: PolicyQA) -> None:
    before, after = Payloads(service), Payloads(restarted)
    answer = service.ask(QUESTION)
    for citation in answer.citations:
        data = before.show_clause(citation.doc_id, citation.clause_id)
        assert after.resolve(data) == before.resolve(data)
        assert data == after.show_clause(citation.doc_id, citation.clause_id)
    related = before.related(answer.citations[1:])
    assert related is not None and after.resolve(related) == before.resolve(related)
    assert after.resolve(before.ask(1)) == AskQuestion(service.suggestions[1])


def test_a_reindex_refuses_what_changed_or_went(service: PolicyQA, reindexed: PolicyQA) -> None:
    before, after = Payloads(service), Payloads(reindexed)
    answer = service.ask(QUESTION)
    related = before.related(answer.citations[1:])
    stale = [before.show_clause(FUJIAN_ID, "7.1"),  # the clause itself was edited
             before.show_clause(FUJIAN_ID, "2.2"),  # another clause of the edited notice
             before.show_clause("long_notice", "11.1"),  # the notice was removed
             related]
    for data in stale:
        with pytest.raises(Expired):
            after.resolve(data)
    # An unchanged notice, now at another position in the index, shows the same clause.
    for doc_id in ("hostile_notice", LONG_ID):
        data = before.show_clause(doc_id, "1.2")
        resolved = after.resolve(data)
        assert isinstance(resolved, ShowClause) and resolved.document.doc_id == doc_id
        assert resolved.clause == service.clause(doc_id, "1.2")
    assert reindexed.documents[0].doc_id == "hostile_notice"


def test_a_sentence_that_is_not_there_is_refused(service: PolicyQA) -> None:
    ref = Payloads(service).show_clause(FUJIAN_ID, "A1.8").removeprefix("c|")
    assert isinstance(Payloads(service).resolve(f"m|{ref}~0"), ShowRelated)
    assert isinstance(Payloads(service).resolve(f"m|{ref}~"), ShowRelated)  # the clause text
    with pytest.raises(Expired):
        Payloads(service).resolve(f"m|{ref}~99")


@pytest.mark.parametrize("data", [
    None, "", "c", "c|", "x|1", "c|0|7.1", "m|1f|1", "q|2", "q|999", "delete|all",
    "c|AAAAAA.00000000.7.1", "c|EHigIi.72d9e92c", "c|EHigIi.72D9E92C.7.1",
    "m|EHigIi.72d9e92c.2.2", "m|EHigIi.72d9e92c.2.2~x", "q|00000000|0", "q|0000000|0",
    "c|" + "A" * 2000,
])
def test_garbled_or_foreign_is_refused(service: PolicyQA, data: str | None) -> None:
    with pytest.raises(Expired):
        Payloads(service).resolve(data)


ANSWER = "0123456789abcdef" * 2


def test_ratings_fit_and_come_back(service: PolicyQA, reindexed: PolicyQA) -> None:
    made = {rating_payload(ANSWER, 1): Rate(ANSWER, 1),
            rating_payload(ANSWER, -1): Rate(ANSWER, -1)}
    made |= {rating_payload(ANSWER, -1, reason): Rate(ANSWER, -1, reason)
             for reason in REASON_CODES}
    assert list(made)[:3] == [f"f|{ANSWER}|+", f"f|{ANSWER}|-", f"f|{ANSWER}|-|o"]
    for data, rate in made.items():
        assert data.isascii() and len(data.encode("utf-8")) <= 40 <= MAX_BYTES
        assert Payloads(service).resolve(data) == rate
        assert Payloads(reindexed).resolve(data) == rate  # a rating names no notice
    assert len({r.reason for r in made.values()}) == 5  # None and the four reasons
    for bad_id in ("", ANSWER.upper(), ANSWER[:-1], ANSWER + "0", "g" * 32, "0|" + ANSWER[2:]):
        with pytest.raises(InputError):
            rating_payload(bad_id, 1)
    with pytest.raises(InputError):
        rating_payload(ANSWER, 1, "outdated")


@pytest.mark.parametrize("data", [
    "f", "f|", f"f|{ANSWER}", f"f|{ANSWER}|", f"f|{ANSWER}|1", f"f|{ANSWER}|+|o",
    f"f|{ANSWER}|-|", f"f|{ANSWER}|-|q", f"f|{ANSWER}|-|oo", f"f|{ANSWER}|-|o|",
    f"f|{ANSWER}|-|O", f"f|{ANSWER.upper()}|+", f"f|{ANSWER[:-1]}|+", f"f|{ANSWER}0|+",
    f"f|{ANSWER}|+\n", f" f|{ANSWER}|+", f"f|{ANSWER}|−", f"F|{ANSWER}|+",
    f"f|{ANSWER[:-1]}٣|+", f"f|{ANSWER}|--",
])
def test_garbled_ratings_are_refused(service: PolicyQA, data: str) -> None:
    with pytest.raises(Expired):
        Payloads(service).resolve(data)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.from_regex(r"[cmqf]\|[A-Za-z0-9_.|~-]{0,70}",
                                                      fullmatch=True)))
def test_nothing_unexpected_escapes(service: PolicyQA, data: str) -> None:
    with contextlib.suppress(Expired):  # anything else fails the test
        Payloads(service).resolve(data)


def test_unusable_clause_ids_make_no_button(service: PolicyQA) -> None:
    with pytest.raises(InputError):
        Payloads(service).show_clause(FUJIAN_ID, "7|1")
    with pytest.raises(InputError):
        Payloads(service).show_clause(FUJIAN_ID, "7" * 60)
