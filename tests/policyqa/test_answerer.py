"""The answer engine over the fake-encoder index: every question kind, refusal, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.reader import read_path
from corpus.units import load_aliases
from index.lexicon import load_lexicon
from index.search import HybridRetriever
from policyqa.answerer import Answerer
from policyqa.errors import InputError
from policyqa.question import load_cues
from policyqa.verdict import load_signals
from tests.conftest import FAKE_REFUSAL, REPO, build_fake, fake_runtime


@pytest.fixture(scope="module")
def engine(fake_retriever: HybridRetriever) -> Answerer:
    return Answerer(fake_retriever, load_lexicon(), load_aliases(), load_cues(), load_signals(),
                    FAKE_REFUSAL)


def test_yes_no(engine: Answerer) -> None:
    answer = engine.ask("养老机构设立还需要许可吗")
    assert answer.status == "answered" and answer.verdict == "no"
    assert answer.answer.splitlines()[0] == "不需要。"
    top = answer.citations[0]
    assert top.clause_id == "7.1" and "取消养老机构设立许可" in top.quote
    assert top.quote in top.text  # verbatim
    assert "七、（一）创新养老和医疗服务供给" in answer.answer
    assert answer.units[0] == "省民政厅"


def test_can_question(engine: Answerer) -> None:
    answer = engine.ask("灵活就业人员可以凭居住证办理医保登记吗")
    assert answer.verdict == "yes" and answer.answer.startswith("可以。")
    assert answer.citations[0].clause_id in ("2.3", "A1.9")
    assert "省医保局" in answer.units


def test_who(engine: Answerer) -> None:
    answer = engine.ask("诊所备案管理试点由哪个部门负责")
    assert answer.citations[0].clause_id in ("A6.1", "7.1")
    assert answer.units[0] == "省卫健委"
    assert answer.answer.startswith("由省卫健委牵头")
    assert "责任单位：省卫健委（牵头）" in answer.answer
    assert "各设区市人民政府" in answer.answer  # the standing rule


def test_who_with_several_leads(engine: Answerer) -> None:
    answer = engine.ask("证照分离改革由哪些部门负责")
    assert answer.answer.startswith("由省审改办、省市场监管局牵头")


def test_when(engine: Answerer) -> None:
    answer = engine.ask("证照分离改革全覆盖什么时候完成")
    assert answer.deadline == "2021年底前"
    assert answer.answer.startswith("2021年底前。")


def test_list_by_unit(engine: Answerer) -> None:
    answer = engine.ask("省民政厅负责哪些任务", top_k=3)
    ids = [c.clause_id for c in answer.citations]
    assert set(ids) == {"A6.3", "2.2", "7.1", "7.2"}
    assert ids[0] == "A6.3"  # tasks it leads come first
    assert answer.units == ("省民政厅",)
    assert answer.answer.startswith("共找到4项")


def test_list_by_deadline(engine: Answerer) -> None:
    answer = engine.ask("2022年底前要完成哪些任务")
    ids = {c.clause_id for c in answer.citations}
    assert {"A2.2", "A2.8", "A6.8"} <= ids
    assert answer.deadline == "2022年底前"


def test_refusal(engine: Answerer) -> None:
    answer = engine.ask("福州地铁晚上几点停运")
    assert answer.status == "not_found"
    assert answer.verdict is None and answer.units == () and answer.deadline is None
    assert answer.citations == ()
    assert "没有在已收录的政策文件中找到" in answer.answer


def test_how_many_needs_a_quantity(engine: Answerer) -> None:
    assert engine.ask("养老机构的床位补贴是多少钱").status == "not_found"
    answer = engine.ask("高频政务服务事项跨省通办有多少项")
    assert answer.status == "answered" and "129项" in answer.citations[0].quote


@pytest.mark.parametrize("bad", ["", "   ", "问" * 501])
def test_bad_questions(engine: Answerer, bad: str) -> None:
    with pytest.raises(InputError):
        engine.ask(bad)


def test_deterministic(engine: Answerer) -> None:
    assert engine.ask("养老机构设立还需要许可吗") == engine.ask("养老机构设立还需要许可吗")


def test_quote_is_not_a_bare_heading(tmp_path: Path) -> None:
    """A clause opening with its heading as a sentence is quoted from its substance."""
    notice = read_path(REPO / "tests" / "api" / "data" / "hostile_notice.txt")
    build_fake(notice, tmp_path / "index")
    runtime = fake_runtime(tmp_path / "index")
    answer = runtime.answerer.ask("月球旅游签证怎么办理")
    assert answer.citations[0].clause_id == "1.1"
    assert answer.citations[0].quote.startswith("月球旅游签证实行网上预约")


def test_list_for_a_department_named_without_its_place(engine: Answerer) -> None:
    answer = engine.ask("税务局负责哪些任务")
    assert answer.units == ("厦门市税务局", "福建省税务局")
    assert answer.answer.startswith("共找到") and "厦门市税务局、福建省税务局" in answer.answer
    for citation in answer.citations:
        assert {"厦门市税务局", "福建省税务局"} & {u.name for u in citation.units}
