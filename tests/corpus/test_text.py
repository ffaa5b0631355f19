"""Cleaning PDF artefacts without changing the wording."""

from __future__ import annotations

import pytest

from corpus.numerals import chinese_to_int
from corpus.text import clean_line, clean_text, join_lines, split_sentences


@pytest.mark.parametrize(("raw", "clean"), [
    ("进一步做好 “放管服 ”改革", "进一步做好“放管服”改革"),
    ("国办发〔 2021〕10号", "国办发〔2021〕10号"),
    ("　　（二）完善信用惠企机制", "（二）完善信用惠企机制"),
    ("推动已建 APP和第三方平台", "推动已建APP和第三方平台"),
    ("Article 5 applies", "Article 5 applies"),
    ("提升到 3万个以上", "提升到3万个以上"),
])
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_broken_lines_are_rejoined_and_paragraphs_kept() -> None:
    assert join_lines(["形成政府主导制定的标准与市场自主制定", "的标准协同发展。", "下一段。"]) == (
        "形成政府主导制定的标准与市场自主制定的标准协同发展。\n下一段。")
    assert clean_text("作为评判的标准， 2021 \n年底前在门户网站") == "作为评判的标准，2021年底前在门户网站"


def test_header_lines_stay_apart() -> None:
    assert join_lines(["某某关于印发实施方案的通知", "发布日期:2021-08-20", "福建省人民政府办公厅",
                       "2021年8月12日"]).count("\n") == 3


def test_sentences_do_not_split_inside_brackets() -> None:
    text = "取消许可；实行备案制。（省民政厅负责。以下任务均需落实）\n第二段"
    assert split_sentences(text) == ["取消许可；", "实行备案制。", "（省民政厅负责。以下任务均需落实）", "第二段"]


@pytest.mark.parametrize(("numeral", "value"), [
    ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("一百零五", 105), ("32", 32)])
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_to_int(numeral) == value


@pytest.mark.parametrize("bad", ["", "甲"])
def test_bad_numerals(bad: str) -> None:
    with pytest.raises(ValueError):
        chinese_to_int(bad)
