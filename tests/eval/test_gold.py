"""The gold sets meet the issue's requirements and agree with the parsed notices."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from contract.errors import InputError
from corpus.document import Document
from eval.gold import GOLD_DIR, GoldQuestion, load_gold

FUJIAN_GOLD = load_gold(GOLD_DIR / "fujian.jsonl")
JIUYE_GOLD = load_gold(GOLD_DIR / "govcn_jiuye.jsonl")
TRADITIONAL_ONLY = re.compile(r"[還開誰負責辦養機構許診備]")


def _units_and_deadlines(doc: Document, q: GoldQuestion) -> tuple[set[str], set[str]]:
    clauses = [doc.clause(c) for c in q.clauses]
    linked = [doc.clause(link) for c in clauses for link in c.links]
    units = {u.name for c in clauses + linked for u in c.units}
    deadlines = {d.text.lstrip("到至从自") for c in clauses + linked for d in c.deadlines}
    return units, deadlines


def test_fujian_gold_size_and_mix() -> None:
    kinds = Counter(q.kind for q in FUJIAN_GOLD)
    assert len(FUJIAN_GOLD) >= 150
    assert sum(q.verdict is not None for q in FUJIAN_GOLD) >= 30
    assert kinds["who"] >= 15 and kinds["when"] >= 10
    assert kinds["list_unit"] + kinds["list_deadline"] >= 10
    assert sum(not q.in_scope for q in FUJIAN_GOLD) >= 12
    assert kinds["traditional"] >= 3 and kinds["english"] >= 3
    assert all(TRADITIONAL_ONLY.search(q.question) for q in FUJIAN_GOLD if q.kind == "traditional")
    assert all(q.question.isascii() for q in FUJIAN_GOLD if q.kind == "english")


def test_every_sub_clause_and_row_is_targeted(fujian: Document) -> None:
    targeted = {c for q in FUJIAN_GOLD for c in q.clauses}
    wanted = {c.clause_id for c in fujian.clauses if c.kind in ("clause", "appendix_task")}
    assert wanted <= targeted, sorted(wanted - targeted)


@pytest.mark.parametrize("q", FUJIAN_GOLD, ids=lambda q: q.id)
def test_fujian_gold_agrees_with_the_notice(fujian: Document, q: GoldQuestion) -> None:
    units, deadlines = _units_and_deadlines(fujian, q)
    assert set(q.units) <= units
    if q.deadline:
        assert q.deadline in deadlines


def test_questions_do_not_copy_clause_text(fujian: Document) -> None:
    # At least half are asked in everyday words: no 8-character run copied from the notice.
    texts = "".join(c.text for c in fujian.clauses)
    copied = [q for q in FUJIAN_GOLD
              if any(q.question[i:i + 8] in texts for i in range(len(q.question) - 7))]
    assert len(copied) <= len(FUJIAN_GOLD) // 2


def test_jiuye_gold(govcn: dict[str, Document]) -> None:
    doc = govcn["国发〔2018〕39号"]
    assert len(JIUYE_GOLD) >= 30
    for q in JIUYE_GOLD:
        assert q.doc_id in (None, doc.doc_id)
        units, deadlines = _units_and_deadlines(doc, q) if q.in_scope else (set(), set())
        assert set(q.units) <= units, q.id
        if q.deadline:
            assert q.deadline.lstrip("到至从自") in deadlines, q.id


@pytest.mark.parametrize(("content", "message"), [
    ('{"id": "x"}\n', "invalid gold question"),
    ("not json\n", "invalid gold question"),
    ("", "no gold questions"),
    ('{"id":"a","question":"q","clauses":[],"kind":"oos"}\n' * 2, "not unique"),
])
def test_bad_gold_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_gold(path)
