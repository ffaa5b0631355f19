"""The report page and its tables: question text escaped, charts drawn, CSV that parses back."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from usage.charts import Series, axis, bar_chart, fit, hbar_chart, line_chart
from usage.clusters import Cluster, Question
from usage.page import render_page
from usage.report import ALL_CHANNELS, DayStats, Disliked, Period, Ratings, Report, Topic
from usage.tables import NAMES, tables, to_csv, to_plain_text, to_text

from .logrows import at

EVIL = '<script>alert("问")</script>'
IMG = "<img src=x onerror=alert(1)>"


class Parsed(HTMLParser):
    """The tags, attributes and text of a page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def report() -> Report:
    period = Period(at(1, 0), at(8, 0))
    return Report(
        period=period, asked=9, answered=6,
        topics=(Topic("fj", "7.1", 4, 1, "七、（一）创新养老 & 医疗服务供给"),
                Topic("gf-2018-39", "A1.9", 2, 0, None)),
        days=(DayStats(date(2026, 3, 2), "api", 5, 4, 18.0, 30.5),
              DayStats(date(2026, 3, 2), "widget", 2, 1, 25.0, 40.0),
              DayStats(date(2026, 3, 2), ALL_CHANNELS, 7, 5, 20.0, 39.0),
              DayStats(date(2026, 3, 5), "telegram", 2, 1, 15.0, 16.0),
              DayStats(date(2026, 3, 5), ALL_CHANNELS, 2, 1, 15.0, 16.0)),
        ratings=Ratings(3, 2, (("答非所问", 1), ("条款过时", 1))),
        disliked=(Disliked("a1", at(3), at(2), "widget", EVIL, "answered", ("fj:7.1",),
                           "off_topic", IMG),
                  Disliked("a2", at(4), at(2), "api", "=1+1", "not_found", (), "outdated", None)),
        unanswered=(Cluster(EVIL, 2, (Question(EVIL, 1), Question("驾照&换证", 1))),
                    Cluster("你好", 1, (Question("你好", 1),))))


def test_question_text_and_comments_are_escaped() -> None:
    page = render_page(report(), nonce="n0nce")
    parsed = Parsed(page)
    tags = [tag for tag, _ in parsed.tags]
    assert "script" not in tags and "img" not in tags
    assert EVIL not in page and IMG not in page
    assert "&lt;script&gt;alert(&quot;问&quot;)&lt;/script&gt;" in page
    text = "".join(parsed.text)
    assert EVIL in text and IMG in text and "驾照&换证" in text
    assert "七、（一）创新养老 & 医疗服务供给" in text
    # The only style is the nonced element, and no element carries a style attribute.
    assert [attrs.get("nonce") for tag, attrs in parsed.tags if tag == "style"] == ["n0nce"]
    assert not [tag for tag, attrs in parsed.tags if "style" in attrs]
    assert not [tag for tag, attrs in parsed.tags if any(k.startswith("on") for k in attrs)]


def test_the_page_has_its_charts_sections_and_csv_links() -> None:
    page = render_page(report(), csv_href=lambda name: f"/v1/admin/reports/{name}.csv")
    parsed = Parsed(page)
    charts = [attrs.get("aria-label") for tag, attrs in parsed.tags if tag == "svg"]
    assert charts == ["每日提问数与已回答数", "每日回答率（%）", "每日回答耗时（毫秒）",
                      "最常作为首要依据的条款（前 10）", "点踩的原因"]
    sections = [attrs.get("id") for tag, attrs in parsed.tags if tag == "section"]
    assert [s for s in sections if s] == ["unanswered", "topics", "disliked", "daily"]
    links = [attrs.get("href") for tag, attrs in parsed.tags if tag == "a"]
    assert links == [f"/v1/admin/reports/{name}.csv" for name in sections if name]
    text = "".join(parsed.text)
    for label in ("问答使用报告", "概况", "回答率", "66.7%", "未回答的问题（按相似度分组）", "被点踩的回答"):
        assert label in text
    # One bar per day of the period with questions, for each series; a gap in the lines.
    bars = re.findall(r"<rect [^>]*><title>03-0[25] (提问|已回答)", page)
    assert len(bars) == 4
    assert "<html" in page and page.rstrip().endswith("</html>") and "<style>" in page


def test_an_empty_report_renders() -> None:
    empty = Report(Period(at(1), at(2)), 0, 0, (), (), Ratings(0, 0, ()), (), ())
    page = render_page(empty)
    assert "本期没有未回答的问题" in page and "（无）" in page
    assert len(re.findall("<svg", page)) == 3  # the daily charts, empty
    assert "下载 CSV" not in page


def test_times_and_days_are_shown_in_the_report_time_zone() -> None:
    beijing = replace(report(), period=Period(at(1, 16), at(8, 16), ZoneInfo("Asia/Shanghai")))
    page = render_page(beijing)
    assert "统计区间：2026-03-02 00:00 至 2026-03-09 00:00（Asia/Shanghai）" in page
    assert "每日回答率与耗时（Asia/Shanghai 日期）" in page
    text = to_plain_text(beijing)
    assert "统计区间：2026-03-02 00:00 至 2026-03-09 00:00（Asia/Shanghai）" in text
    disliked = list(csv.reader(io.StringIO(to_csv(tables(beijing)["disliked"]))))
    assert disliked[0][0] == "点踩时间(Asia/Shanghai)"
    assert disliked[1][0] == "2026-03-03 20:00"  # 12:00 UTC
    days = sorted(set(re.findall(r">(03-\d\d)[< ]", page)))
    assert days == [f"03-0{day}" for day in range(2, 9)]  # the days of Beijing on the charts
    utc = render_page(report())
    assert "统计区间：2026-03-01 00:00 至 2026-03-08 00:00（UTC）" in utc
    assert "点踩时间(UTC)" in utc


def test_the_questions_past_the_clustering_bound_are_said_to_be_ungrouped() -> None:
    bounded = replace(report(), ungrouped=1)
    page = render_page(bounded)
    assert "只分组了提问最多的 2 个；其余 1 个问题未分组，各自单列在最后。" in page
    assert "分为 2 组（其中 1 个问题提问较少、未分组）" in to_plain_text(bounded)
    assert "未分组" not in render_page(report()) and "未分组" not in to_plain_text(report())


def test_every_table_parses_back_from_its_csv() -> None:
    parts = tables(report())
    assert tuple(parts) == NAMES
    for table in parts.values():
        rows = list(csv.reader(io.StringIO(to_csv(table))))
        assert tuple(rows[0]) == table.headers
        assert len(rows) == len(table.rows) + 1
        for written, row in zip(rows[1:], table.rows, strict=True):
            assert written == [_as_written(value) for value in row]
    unanswered = list(csv.reader(io.StringIO(to_csv(parts["unanswered"]))))
    assert unanswered[1:] == [["1", EVIL, "2", EVIL, "1"], ["1", EVIL, "2", "驾照&换证", "1"],
                              ["2", "你好", "1", "你好", "1"]]
    disliked = list(csv.reader(io.StringIO(to_csv(parts["disliked"]))))
    assert disliked[1][2:7] == [EVIL, "已回答", "fj:7.1", "答非所问", IMG]
    assert disliked[2][2] == "'=1+1"  # a spreadsheet would read it as a formula
    daily = list(csv.reader(io.StringIO(to_csv(parts["daily"]))))
    assert daily[3] == ["2026-03-02", "全部渠道", "7", "5", "71.4%", "20.0", "39.0"]


def _as_written(value: str | int | float) -> str:
    text = str(value)
    return "'" + text if isinstance(value, str) and text[:1] in ("=", "+", "-", "@") else text


def test_the_text_report_aligns_wide_characters() -> None:
    text = to_plain_text(report())
    assert "提问 9 次，已回答 6 次（回答率 66.7%）" in text and "分为 2 组" in text
    assert "点赞 3 次，点踩 2 次（答非所问 1，条款过时 1）" in text
    topics = to_text(tables(report())["topics"]).splitlines()
    assert topics[0] == "最常问的条款（2）"
    # Columns start at the same display column on every row (CJK characters are two wide).
    assert _display_index(topics[1], "作为首要依据") == _display_index(topics[2], "4 ") == \
        _display_index(topics[3], "2 ")
    assert topics[2].startswith("  fj:7.1           七、（一）")


def _display_index(line: str, part: str) -> int:
    before = line[: line.rindex(part)]
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in before)


def test_charts_scale_to_a_nice_top_and_escape_labels() -> None:
    assert [axis(v) for v in (0, 3, 7, 11, 39, 240, 1000)] == [
        (4, 4), (3, 3), (8, 4), (15, 3), (40, 4), (250, 5), (1000, 5)]
    assert axis(0.7) == pytest.approx((0.8, 4))
    svg = bar_chart("t<", ["a&b"], [Series("s", (5.0,), "#000")])
    assert "a&amp;b" in svg and "t&lt;" in svg and 'height="188.0"' in svg  # 5 of 5: full
    assert ">37.5<" not in bar_chart("t", ["d"], [Series("s", (39.0,), "#000")])  # 0, 10 … 40
    lines = line_chart("l", ["d1", "d2", "d3", "d4"],
                       [Series("s", (1.0, 2.0, None, 4.0), "#000")])
    assert lines.count("<polyline") == 1 and lines.count("<circle") == 3
    bars = hbar_chart("h", [("条" * 20, 2.0), ("y", 1.0)])
    assert ">" + "条" * 16 + "…<" in bars and bars.count("<rect") == 2
    assert fit("x" * 34) == "x" * 34 and fit("x" * 35) == "x" * 33 + "…"


@pytest.mark.parametrize("name", NAMES)
def test_empty_tables_still_have_headers(name: str) -> None:
    empty = Report(Period(at(1), at(2)), 0, 0, (), (), Ratings(0, 0, ()), (), ())
    table = tables(empty)[name]
    assert list(csv.reader(io.StringIO(to_csv(table)))) == [list(table.headers)]
    assert to_text(table).endswith("（无）\n")
