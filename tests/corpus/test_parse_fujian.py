"""The Fujian 2021 放管服 notice, parsed end to end from the project's copy."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from corpus.document import Document
from tests.conftest import FUJIAN

# Every sub-clause of sections 二–八 with the units of its parenthesis, in order; "*" marks a lead.
BODY_UNITS = {
    "2.1": "省人社厅 省住建厅 省农业农村厅 省市场监管局 各设区市人民政府 平潭综合实验区管委会",
    "2.2": "省人社厅 省商务厅 省民政厅 省财政厅",
    "2.3": "省发改委 省教育厅 省人社厅 省农业农村厅 省退役军人厅 省市场监管局 省医保局",
    "2.4": "省财政厅 省金融监管局 省人社厅 人行福州中心支行 福建省税务局 厦门市税务局 福建银保监局 厦门银保监局",
    "3.1": "省财政厅 福建省税务局 厦门市税务局",
    "3.2": "省发改委 省人社厅 省市场监管局 省医保局 省金融监管局 人行福州中心支行 福建银保监局 厦门银保监局",
    "3.3": "省发改委 省市场监管局",
    "3.4": "省审改办 省市场监管局",
    "3.5": "省市场监管局*",
    "3.6": "省审改办 省市场监管局",
    "4.1": "省发改委 省自然资源厅 省住建厅 省交通运输厅 省水利厅",
    "4.2": "省住建厅*",
    "5.1": "省发改委 省公安厅 省生态环境厅 省商务厅 省文旅厅 省市场监管局",
    "5.2": "省市场监管局 省商务厅 省财政厅 福州海关 厦门海关",
    "6.1": "省发改委 省商务厅 省市场监管局",
    "6.2": "省商务厅 福州海关 厦门海关 省交通运输厅 省金融监管局 省数字办 中铁南昌局集团公司福州办事处",
    "6.3": "省发改委 省财政厅 省交通运输厅 省商务厅 省国资委 省市场监管局",
    "7.1": "省民政厅 省卫健委 省药监局",
    "7.2": "省民政厅 省人社厅 省农业农村厅 省医保局 省数字办 省残联",
    "7.3": "省审改办 省司法厅 省市场监管局 省数字办",
    "7.4": "省数字办* 省审改办*",
    "8.1": "省委编办 省审改办 省市场监管局 省司法厅 省生态环境厅 省交通运输厅",
    "8.2": "省审改办 省数字办 省市场监管局 省司法厅",
    "8.3": "省司法厅*",
}

# Every appendix row: lead units (all lead) | deadline as written.
ROWS = {
    "A1.1": "省人社厅|按照国家部署推进", "A1.2": "省住建厅|按照国家部署推进",
    "A1.3": "省农业农村厅|按照国家部署推进", "A1.4": "省人社厅 省商务厅|按照国家部署推进",
    "A1.5": "省发改委|2021年底前", "A1.6": "省教育厅|2021年底前",
    "A1.7": "省农业农村厅|2025年底前", "A1.8": "省人社厅|按照国家部署推进",
    "A1.9": "省医保局|2021年底前",
    "A2.1": "省财政厅 福建省税务局 厦门市税务局|2021年底前",
    "A2.2": "福建省税务局 厦门市税务局|2022年底前",
    "A2.3": "省市场监管局 省发改委|2021年底前", "A2.4": "省人社厅 省医保局|2021年底前",
    "A2.5": "省发改委 省金融监管局|2021年底前", "A2.6": "省市场监管局|2021年底前",
    "A2.7": "省市场监管局|2021年底前", "A2.8": "省市场监管局|2022年底前",
    "A2.9": "省审改办|按照国家部署推进", "A2.10": "省审改办 省市场监管局|2021年底前",
    "A2.11": "省市场监管局|按照国家部署推进",
    "A3.1": "省自然资源厅|2021年底前", "A3.2": "省住建厅|2021年底前",
    "A3.3": "省住建厅|2021年底前", "A3.4": "省住建厅|2021年底前",
    "A3.5": "省住建厅|2021年底前", "A3.6": "省住建厅|2021年底前",
    "A4.1": "省商务厅 省公安厅 省生态环境厅|按照国家部署推进",
    "A4.2": "省商务厅 省生态环境厅|按照国家部署推进", "A4.3": "省文旅厅|2021年底前",
    "A4.4": "省文旅厅|按照国家部署推进", "A4.5": "省商务厅|2021年底前",
    "A5.1": "省发改委 省商务厅|2021年底前",
    "A5.2": "省商务厅 福州海关 厦门海关 省交通运输厅 省金融监管局 省数字办 "
            "中铁南昌局集团公司福州办事处|2021年底前",
    "A5.3": "省交通运输厅 省发改委 省国资委|按照国家部署推进",
    "A6.1": "省卫健委|2021年底前", "A6.2": "省卫健委|2021年底前", "A6.3": "省民政厅|2021年底前",
    "A6.4": "省司法厅|2021年底前", "A6.5": "省审改办 省数字办|2021年底前",
    "A6.6": "省审改办 省数字办|2021年底前", "A6.7": "省数字办|2021年底前",
    "A6.8": "省审改办 省市场监管局|2022年底前",
    "A7.1": "省审改办 省司法厅|2021年底前",
    "A7.2": "省委编办 省生态环境厅 省交通运输厅 省市场监管局|2021年底前",
    "A7.3": "省审改办 省市场监管局 省司法厅 省数字办|2021年底前",
    "A7.4": "省市场监管局|2021年底前", "A7.5": "省司法厅|2021年底前",
    "A8.1": "各省级牵头单位|2021年和2022年年底前分别报送",
    "A8.2": "省审改办|根据工作需要适时开展", "A8.3": "省审改办|按年度进行",
}


def test_metadata(fujian: Document) -> None:
    assert fujian.doc_id == "fujian_2021_fangguanfu"
    assert fujian.title.startswith("福建省人民政府办公厅关于印发福建省服务“六稳”“六保”")
    assert fujian.issuer == "福建省人民政府办公厅"
    assert fujian.published == dt.date(2021, 8, 20)
    assert fujian.signed == dt.date(2021, 8, 12)
    assert fujian.number is None  # the notice carries no 文号 of its own
    assert fujian.attachments == ("福建省服务“六稳”“六保”进一步做好“放管服”改革工作任务分工表",)


def test_structure_counts(fujian: Document) -> None:
    kinds = [c.kind for c in fujian.clauses]
    sub_clauses = [c for c in fujian.clauses if c.kind == "clause"]
    assert len(sub_clauses) == 26
    assert {c.clause_id.split(".")[0] for c in sub_clauses} == {str(n) for n in range(2, 10)}
    assert fujian.clauses[0].clause_id == "preamble"
    assert fujian.clause("1").kind == "section"
    assert kinds.count("section") == 1 and kinds.count("preamble") == 1
    rows = [c for c in fujian.clauses if c.kind == "appendix_task"]
    assert len(rows) == 50
    per_group = [sum(c.clause_id.startswith(f"A{g}.") for c in rows) for g in range(1, 9)]
    assert per_group == [9, 11, 6, 5, 3, 8, 5, 3]
    assert [c.clause_id for c in rows] == list(ROWS)


def test_labels_and_headings(fujian: Document) -> None:
    clause = fujian.clause("7.1")
    assert clause.label == "七、（一）创新养老和医疗服务供给"
    assert clause.heading == "创新养老和医疗服务供给"
    assert clause.section == "进一步推动优化民生服务"
    assert clause.number == "（一）"
    assert fujian.clause("A6.1").section == "进一步推动优化民生服务"


@pytest.mark.parametrize(("clause_id", "expected"), BODY_UNITS.items())
def test_body_units(fujian: Document, clause_id: str, expected: str) -> None:
    units = fujian.clause(clause_id).units
    assert [u.name + ("*" if u.lead else "") for u in units] == expected.split()


def test_sections_without_units(fujian: Document) -> None:
    assert fujian.clause("9.1").units == ()
    assert fujian.clause("1").units == ()


def test_standing_rule_applies_to_later_clauses(fujian: Document) -> None:
    standing = ("各设区市人民政府", "平潭综合实验区管委会")
    assert fujian.clause("2.1").standing_units == ()
    assert "以下任务均需各设区市人民政府、平潭综合实验区管委会落实，不再列出" in fujian.clause("2.1").notes
    for clause in fujian.clauses[fujian.clauses.index(fujian.clause("2.2")):]:
        assert clause.standing_units == standing, clause.clause_id


@pytest.mark.parametrize(("clause_id", "expected"), ROWS.items())
def test_appendix_rows(fujian: Document, clause_id: str, expected: str) -> None:
    units, deadline = expected.split("|")
    row = fujian.clause(clause_id)
    assert [u.name for u in row.units] == units.split()
    assert all(u.lead for u in row.units)
    assert row.deadline is not None and row.deadline.text == deadline
    assert not row.text.endswith(deadline)
    assert row.text.endswith("。")


def test_deadline_dates(fujian: Document) -> None:
    def deadline_of(clause_id: str) -> tuple[str | None, dt.date | None]:
        d = fujian.clause(clause_id).deadline
        assert d is not None
        return d.kind, d.date

    assert deadline_of("A1.5") == ("by", dt.date(2021, 12, 31))
    assert deadline_of("A1.7") == ("by", dt.date(2025, 12, 31))
    assert deadline_of("A1.1") == ("ongoing", None)
    assert deadline_of("A8.1")[1] == dt.date(2022, 12, 31)
    body = fujian.clause("3.1")
    texts = {d.text: d for s in body.sentences for d in s.deadlines}
    assert texts["2022年底前"].date == dt.date(2022, 12, 31)
    assert texts["2021年6月1日起"].kind == "from"
    assert texts["2021年6月1日起"].date == dt.date(2021, 6, 1)
    growth = [d for s in fujian.clause("2.3").sentences for d in s.deadlines]
    assert [d.text for d in growth] == ["到2025年"]


def test_sentences_carry_their_own_deadlines(fujian: Document) -> None:
    clause = fujian.clause("7.1")
    first = clause.sentences[0]
    assert first.text == "创新养老和医疗服务供给。"
    with_deadline = [s for s in clause.sentences if s.deadlines]
    assert [s.deadlines[0].text for s in with_deadline] == ["2021年底前", "2022年底前"]
    assert any("取消养老机构设立许可" in s.text for s in clause.sentences)
    # The responsibility parenthesis is metadata, not a sentence.
    assert not any("按职责分工负责" in s.text for s in clause.sentences)


def test_pdf_artefacts_are_cleaned(fujian: Document) -> None:
    for clause in fujian.clauses:
        assert not re.search(r"[ \t\u3000\u00a0]", clause.text), clause.clause_id
    assert "形成政府主导制定的标准与市场自主制定的标准协同发展" in fujian.clause("5.2").text
    assert "“放管服”改革成效的标准，2021年底前在福建省人民政府门户网站" in fujian.clause("9.1").text
    assert "“三创教育示范院校”和“产创融合教育实践示范基地”" in fujian.clause("2.3").text


def test_wording_is_unchanged(fujian: Document) -> None:
    squeezed = re.sub(r"\s+", "", FUJIAN.read_text(encoding="utf-8"))
    for clause in fujian.clauses:
        if clause.kind != "appendix_task":
            assert re.sub(r"\s+", "", clause.text) in squeezed, clause.clause_id


def test_links_between_rows_and_body(fujian: Document) -> None:
    for clause in fujian.clauses:
        if clause.kind != "appendix_task":
            continue
        group = int(clause.clause_id[1:].split(".")[0])
        (target,) = clause.links
        assert target.split(".")[0] == str(group + 1), clause.clause_id
        assert clause.clause_id in fujian.clause(target).links
    assert fujian.clause("A6.1").links == ("7.1",)
    assert fujian.clause("A3.6").links == ("4.2",)
    assert set(fujian.clause("7.3").links) == {"A6.4", "A6.5", "A6.6", "A6.8"}
