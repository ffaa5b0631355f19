"""Membership of a list of places: whether the asker's place is among those a notice lists."""

from __future__ import annotations

import pytest

from corpus.document import Clause
from corpus.units import load_aliases
from engine.membership import asks_places, places_first
from engine.question import Question, understand
from engine.reply import yes_no_line
from engine.verdict import decide, load_signals
from index.search import Hit
from tests.engine.test_verdict import CUES, PHRASING, Places


class Gazetteer(Places):
    """A stand-in dictionary knowing some cities and provinces."""

    PLACES = ("南京", "无锡", "苏州", "南通", "合肥", "北京", "上海", "江苏", "浙江", "安徽",
              "城市", "姑苏区", "浦东")

    def places(self, text: str) -> frozenset[str]:
        return frozenset(p for p in self.PLACES if p in text)


def _q(text: str) -> Question:
    return understand(text, CUES, load_aliases(), (), (), PHRASING, Gazetteer())


CITIES = "选择南京、无锡、苏州、南通四个城市开展示范。"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    ("我在苏州做事，苏州是不是这次示范城市之一？", CITIES, "yes"),
    ("我在合肥做事，合肥是不是这次示范城市之一？", CITIES, "no"),
    ("合肥在示范名单里吗？", CITIES, "no"),
    # A known city lies in its own province only, not in 北京 or 上海.
    ("我在合肥做事，合肥是不是这次示范城市之一？", "选择北京、上海、南京、无锡开展示范。", "no"),
])
def test_a_place_listed_or_not(question: str, sentence: str, verdict: str) -> None:
    reading = decide(_q(question), [sentence], [], load_signals(), Gazetteer())
    assert (reading.verdict, reading.action) == (verdict, "member")


@pytest.mark.parametrize(("question", "sentence"), [
    # A province listed may hold the city; a listed city may hold the district.
    ("我在合肥做事，合肥是不是这次示范城市之一？", "选择江苏、浙江、安徽开展示范。"),
    ("我在姑苏区做事，姑苏区是不是这次示范城市之一？", CITIES),
    # 北京 and 上海 are provinces too: a listed one may hold districts named without 区.
    ("我在浦东做事，浦东是不是这次示范城市之一？", "选择北京、上海、南京、无锡开展示范。"),
    # An open list (等) may hold the place; a list after 除 names the places left out.
    ("我在合肥做事，合肥是不是这次示范城市之一？", "选择南京、无锡、苏州等四个城市开展示范。"),
    ("我在合肥做事，合肥是不是这次示范城市之一？", "除南京、无锡、苏州外，全面开展示范。"),
    # Not asked whether it is among those listed, or asked whether it is not.
    ("合肥有示范补贴吗？", CITIES),
    ("合肥是不是不在示范名单里？", CITIES),
])
def test_no_membership_verdict(question: str, sentence: str) -> None:
    reading = decide(_q(question), [sentence], [], load_signals(), Gazetteer())
    assert reading.action != "member"


def test_the_reply_quotes_the_list() -> None:
    question = _q("我在合肥做事，合肥是不是这次示范城市之一？")
    reading = decide(question, [CITIES], [], load_signals(), Gazetteer())
    assert yes_no_line(question, reading, None, CITIES).startswith("不是，文件规定：选择南京、")


def _hit(clause_id: str, text: str, doc_id: str = "d") -> Hit:
    clause = Clause(doc_id=doc_id, clause_id=clause_id, kind="clause", label=clause_id,
                    heading=clause_id, text=text)
    return Hit(clause=clause, score=0.5, sentences=())


RUN = _hit("5.1", "加强组织领导，确保网络图书馆试点工作顺利推进。")
LISTED = _hit("2", "确定南京、无锡、苏州、南通作为网络图书馆试点地区。")
OTHER = _hit("3.4", "在南京、无锡、苏州开展农机补贴试点。")


@pytest.mark.parametrize(("question", "first"), [
    ("合肥是不是网络图书馆的示范城市之一？", LISTED),  # is my place among them
    ("网络图书馆试点放在哪几个市？", LISTED),  # which places
    ("网络图书馆试点要做什么工作？", RUN),  # not about places
    ("农机补贴放在哪几个市试点？", OTHER),  # the list about what is asked, not another one
])
def test_the_list_of_places_answers_a_question_about_places(question: str, first: Hit) -> None:
    hits = places_first(_q(question), [RUN, OTHER, LISTED], load_signals(), Gazetteer())
    assert hits[0] is first and len(hits) == 3


@pytest.mark.parametrize("question", [
    "网络图书馆由哪个市场监管部门审批？",  # 哪个市场 is no city
    "网络图书馆试点的经费从哪里出？",  # a bare 哪里 asks where to turn
    "我在合肥，网络图书馆试点都包括些什么工作？",  # a place and a cue, but no yes/no on it
])
def test_no_question_about_places(question: str) -> None:
    assert not asks_places(_q(question), load_signals())
