"""Over the whole corpus, units are units: the Fujian notice keeps every unit it had, and no
State Council document yields numbering, sentences or table notes as units."""

from __future__ import annotations

import json
import re
from pathlib import Path

from corpus.document import Document
from corpus.units import is_unit, load_aliases

SNAPSHOT = Path(__file__).parent / "data" / "fujian_units.json"
# Written independently of corpus/units.py, so a loosened is_unit cannot pass here unnoticed.
_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.、])")
_SENTENCE = re.compile(r"[。：:；;！？，,]")


def _names(doc: Document) -> list[str]:
    return [name for c in doc.clauses
            for name in (*(u.name for u in c.units), *c.standing_units)]


def test_fujian_units_are_unchanged(fujian: Document) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["clauses"]
    parsed = {c.clause_id: {"units": [u.name + ("*" if u.lead else "") for u in c.units],
                            "standing_units": list(c.standing_units)} for c in fujian.clauses}
    assert parsed == expected


def test_every_unit_in_the_corpus_is_a_unit(fujian: Document, govcn: dict[str, Document]) -> None:
    aliases = load_aliases()
    names = {name for doc in (fujian, *govcn.values()) for name in _names(doc)}
    assert len(names) > 80  # the filter must not empty the corpus
    assert [n for n in names if not is_unit(n, aliases)] == []
    assert [n for n in names if _NUMBERING.match(n) or _SENTENCE.search(n) or len(n) > 20] == []


def test_indicator_table_yields_no_units(govcn: dict[str, Document]) -> None:
    # 国办发〔2019〕4号's table has a 指标来源 column and row numbering where units would be.
    doc = govcn["国办发〔2019〕4号"]
    assert [c.clause_id for c in doc.clauses if c.units] == []
    assert doc.clause("A1.1").text  # the rows themselves are still there


def test_named_units_survive(govcn: dict[str, Document]) -> None:
    assert [u.name for u in govcn["国办发〔2018〕129号"].clause("2.3").units][:7] == [
        "全国工商联", "发改委", "民政部", "农业农村部", "扶贫办", "全国总工会", "共青团中央"]
    assert [(u.name, u.lead) for u in govcn["国办发〔2018〕117号"].clause("18").units] == [
        ("国家发展改革委", True), ("财政部", True)]
