"""The 60 State Council documents: every one parses; the structured ones give their clauses."""

from __future__ import annotations

import json
import re

import pytest

from corpus.document import Document
from corpus.numerals import chinese_to_int
from corpus.parse import parse_notice
from corpus.units import load_aliases
from tests.conftest import GOVCN

SUB_CLAUSE = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")


def _texts() -> dict[str, str]:
    with GOVCN.open(encoding="utf-8") as f:
        return {r["num"]: r["text"] for r in map(json.loads, f)}


def test_all_documents_parse(govcn: dict[str, Document]) -> None:
    assert len(govcn) == 60
    ids = [doc.doc_id for doc in govcn.values()]
    assert len(set(ids)) == 60
    for doc in govcn.values():
        assert re.fullmatch(r"[a-z0-9_-]+", doc.doc_id), doc.doc_id
        assert doc.clauses, doc.number
        clause_ids = [c.clause_id for c in doc.clauses]
        assert len(clause_ids) == len(set(clause_ids)), doc.number


def test_doc_ids_come_from_the_document_number(govcn: dict[str, Document]) -> None:
    assert govcn["国发〔2018〕39号"].doc_id == "gf-2018-39"
    assert govcn["国办发〔2018〕129号"].doc_id == "gbf-2018-129"
    assert govcn["国令第706号"].doc_id == "gl-706"


@pytest.mark.parametrize("number", ["国发〔2018〕39号", "国办发〔2018〕129号", "国发〔2018〕42号",
                                    "国办发〔2018〕121号"])
def test_every_sub_clause_is_found_with_its_units(govcn: dict[str, Document], number: str) -> None:
    doc = govcn[number]
    lines = [line.strip() for line in _texts()[number].splitlines()]
    expected = [chinese_to_int(m.group(1)) for line in lines if (m := SUB_CLAUSE.match(line))]
    clauses = [c for c in doc.clauses if c.kind == "clause"]
    assert [int(c.clause_id.split(".")[-1]) for c in clauses] == expected
    for clause, line in zip(clauses, (x for x in lines if SUB_CLAUSE.match(x)), strict=True):
        if re.search(r"负责）$", line):
            assert clause.units, clause.clause_id
            first = re.search(r"（([^（）]*?)(?:按职责分工)?负责）$", line)
            assert first is not None
            named = re.split(r"[、，]|等", first.group(1))[0]
            if "有关" not in named:  # 各有关部门和单位 yields to the units named after it
                assert clause.units[0].name == load_aliases().canonical(named), clause.clause_id


def test_sub_clauses_run_on_across_sections(govcn: dict[str, Document]) -> None:
    doc = govcn["国发〔2018〕39号"]
    clause = doc.clause("2.3")
    assert clause.label.startswith("二、（三）加大创业担保贷款贴息")
    # 列第一位者为牵头单位，下同: the first unit leads here and in every later clause.
    assert [(u.name, u.lead) for u in doc.clause("1.1").units] == [
        ("人力资源社会保障部", True), ("财政部", False)]
    assert doc.clause("2.3").units[0] == doc.clause("2.3").units[0].model_copy(
        update={"lead": True})
    assert doc.clause("2.3").units[0].name == "财政部"
    assert doc.clause("5.13").units[0].name == "各有关部门和单位"
    assert doc.clause("1.1").deadlines[0].text == "2019年1月1日至12月31日"


def test_three_levels(govcn: dict[str, Document]) -> None:
    doc = govcn["国发〔2019〕3号"]
    items = [c for c in doc.clauses if c.kind == "item"]
    assert len(items) == 21
    assert [int(c.clause_id.split(".")[-1]) for c in items] == list(range(1, 22))
    assert all(c.units for c in items)
    assert doc.clause("4.1.1").label == "四、（一）1.拓展两个市场"
    assert [(u.name, u.lead) for u in doc.clause("4.1.1").units] == [
        ("税务总局", True), ("财政部", False), ("海关总署", False)]
    assert doc.clause("4.5.21").units[0].name == "海关总署"


def test_regulation_articles(govcn: dict[str, Document]) -> None:
    doc = govcn["国令第706号"]
    articles = [c for c in doc.clauses if c.kind == "article"]
    written = re.findall(r"^第([一二三四五六七八九十]+)条", _texts()["国令第706号"], re.M)
    assert [c.clause_id for c in articles] == [str(chinese_to_int(n)) for n in written]
    assert doc.clause("5").text.startswith("国务院专利行政部门负责全国的专利代理管理工作。")
    assert doc.clause("5").label == "第五条"
    assert doc.clause("8").section == "专利代理机构和专利代理师"
    assert "（一）有符合法律、行政法规规定的专利代理机构名称；" in doc.clause("8").text


def test_closing_block_is_not_clause_text(govcn: dict[str, Document]) -> None:
    doc = govcn["国发〔2018〕39号"]
    assert doc.closing == "国务院\n2018年11月16日\n（此件公开发布）"
    assert doc.issuer == "国务院"
    assert str(doc.signed) == "2018-11-16" and str(doc.published) == "2018-12-05"
    assert "此件公开发布" not in doc.clauses[-1].text


def test_a_title_broken_over_lines_is_read_whole() -> None:
    """Read from the text alone (a Word file or PDF has no title field), every govcn title
    comes out as the portal gives it, also when the notice breaks it over two or three lines;
    only a 国务院令 opens with the order's name instead."""
    records = [json.loads(line) for line in GOVCN.read_text(encoding="utf-8").splitlines()]
    titles = {r["num"]: parse_notice(r["text"], doc_id="x").title for r in records}
    wrong = {n: t for n, t in titles.items()
             if t != records[[r["num"] for r in records].index(n)]["title"].replace(" ", "")}
    assert set(wrong) == {"国令第707号", "国令第706号"}


def _clause_texts(*lines: str) -> dict[str, str]:
    """Clause id → text of a notice given line by line."""
    return {c.clause_id: c.text for c in parse_notice("\n".join(lines), doc_id="x").clauses}


def test_a_paragraph_after_a_list_of_one_line_entries_is_the_sections_own() -> None:
    clauses = _clause_texts(
        "某市图书馆工作规则",
        "一、馆务会议由馆长召集和主持。馆务会议的主要任务是：",
        "（一）讨论年度采购计划。",
        "（二）通报读者意见。",
        "馆务会议一般每季度召开一次。",
        "二、借阅安排如下：",
        "（一）第一阶段为登记阶段。",
        "读者持证登记，领取借书卡。",
        "（二）第二阶段为借阅阶段。",
        "读者凭卡借阅。",
    )
    assert clauses["1"].endswith("馆务会议一般每季度召开一次。")
    assert clauses["1.2"] == "通报读者意见。"
    # Entries that carry paragraphs of their own keep them.
    assert clauses["2.1"].endswith("领取借书卡。") and clauses["2.2"].endswith("读者凭卡借阅。")


def test_a_paragraph_about_the_last_entry_stays_with_it() -> None:
    clauses = _clause_texts(
        "某县公租房申请须知",
        "一、申请人需提交以下材料：",
        "（一）身份证。",
        "（二）户口簿。",
        "（三）无房证明。",
        "无房证明由县不动产登记中心免费出具。",
    )
    assert clauses["1.3"].endswith("无房证明由县不动产登记中心免费出具。")
