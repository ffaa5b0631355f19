"""The answer engine over the fake-encoder index: every question kind, refusal, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from contract.errors import DataError, InputError
from corpus.document import Clause, Document, Sentence
from corpus.parse import parse_notice
from corpus.reader import read_path
from corpus.units import load_aliases
from engine.answerer import Answerer
from engine.closeness import load_closeness
from engine.overlap import longest_shared, verbatim_first
from engine.question import load_cues, understand
from engine.reading import Reading
from engine.reply import yes_no_line
from engine.service import PolicyQA
from engine.verdict import load_signals
from index.lexicon import load_lexicon
from index.search import Hit, HybridRetriever
from tests.conftest import FAKE_REFUSAL, REPO, build_fake, fake_service


def _saying(fujian: Document, text: str, score: float = 1.0, clause_id: str = "3.4") -> Hit:
    """A hit on a copy of one of the plan's clauses that says only ``text``."""
    base = {c.clause_id: c for c in fujian.clauses}["3.4"]
    clause = base.model_copy(update={"clause_id": clause_id, "text": text,
                                     "sentences": (Sentence(text=text),)})
    return Hit(clause, score, (0,))


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
    runtime = fake_service(tmp_path / "index")
    answer = runtime.ask("月球旅游签证怎么办理")
    assert answer.citations[0].clause_id == "1.1"
    assert answer.citations[0].quote.startswith("月球旅游签证实行网上预约")


def test_list_for_a_department_named_without_its_place(engine: Answerer) -> None:
    answer = engine.ask("税务局负责哪些任务")
    assert answer.units == ("厦门市税务局", "福建省税务局")
    assert answer.answer.startswith("共找到") and "厦门市税务局、福建省税务局" in answer.answer
    for citation in answer.citations:
        assert {"厦门市税务局", "福建省税务局"} & {u.name for u in citation.units}


NATIONAL = """国务院关于进一步放开养老服务市场的通知
国发〔2030〕1号
各省、自治区、直辖市人民政府：
一、放开养老服务市场
（一）取消养老机构设立许可。取消养老机构设立许可，实行备案制；加强事中事后监管。（民政部负责）
"""


def test_the_local_document_answers_when_two_say_the_same(tmp_path: Path, fujian) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "national.txt"
    source.write_text(NATIONAL, encoding="utf-8")
    (national,) = read_path(source)
    assert national.level == "national" and fujian.region == "福建"
    build_fake([national, fujian], tmp_path / "index")
    runtime = fake_service(tmp_path / "index")
    answer = runtime.ask("养老机构设立还需要许可吗", top_k=5)
    top = answer.citations[0]
    assert (top.doc_id, top.clause_id) == ("fujian_2021_fangguanfu", "7.1")
    assert national.doc_id in {c.doc_id for c in answer.citations[1:]}  # a further citation
    assert "《福建省服务“六稳”“六保”进一步做好“放管服”改革有关工作实施方案》" in answer.answer
    assert top.doc_title.startswith("福建省服务")
    # A question that names the other region's place asks about it; no home preference then
    # when there is no home region at all.
    from engine.answerer import Answerer as Engine

    plain = Engine(runtime.retriever, runtime.lexicon, runtime.answerer._aliases,
                   runtime.answerer._cues, runtime.answerer._signals, runtime.answerer.refusal,
                   home_region=None)
    assert plain.ask("养老机构设立还需要许可吗").citations[0].doc_id == national.doc_id


def test_a_local_clause_that_only_shares_the_topic_does_not_answer_first(  # type: ignore[no-untyped-def]
        tmp_path: Path, fujian) -> None:
    """Close in score is not enough: the local clause must be about as close in meaning."""
    from dataclasses import replace

    source = tmp_path / "national.txt"
    source.write_text(NATIONAL, encoding="utf-8")
    (national,) = read_path(source)
    build_fake([national, fujian], tmp_path / "index")
    runtime = fake_service(tmp_path / "index")
    engine = Answerer(runtime.retriever, runtime.lexicon, runtime.answerer._aliases,
                      runtime.answerer._cues, runtime.answerer._signals, FAKE_REFUSAL,
                      local_closeness=0.03)
    ask = engine.understand("养老机构设立还需要许可吗")
    hits = runtime.retriever.search(ask.search, k=10)
    best = next(h for h in hits if h.clause.doc_id == national.doc_id)
    local = next(h for h in hits if h.clause.doc_id == fujian.doc_id)
    best = replace(best, score=1.0, similarity=0.90)

    def first(hit: Hit) -> str:
        return engine._prefer_home(ask, [best, hit])[0].clause.doc_id

    assert first(replace(local, score=0.9, similarity=0.88)) == fujian.doc_id
    assert first(replace(local, score=0.9, similarity=0.85)) == national.doc_id
    assert first(replace(local, score=0.6, similarity=0.90)) == national.doc_id


def test_closeness_is_the_embedding_models_own(tmp_path: Path) -> None:
    assert load_closeness("multilingual-e5-small") == pytest.approx(0.03)
    assert load_closeness("multilingual-e5-small+float16") == pytest.approx(0.03)
    assert load_closeness("fake-hashing") is None  # another scale: not checked
    broken = tmp_path / "closeness.json"
    for value in ('"near"', "true", "-0.1", "NaN"):
        broken.write_text(f'{{"models": {{"m": {value}}}}}', encoding="utf-8")
        with pytest.raises(DataError):
            load_closeness("m", broken)


def test_a_citation_carries_its_own_sentence_deadline(engine: Answerer) -> None:
    """The 养老 sentence has no deadline; the clause's 2021年底前 belongs to another sentence."""
    answer = engine.ask("养老机构设立还需要许可吗")
    assert answer.citations[0].clause_id == "7.1"
    assert answer.deadline is None and answer.citations[0].deadline is None
    assert "完成时限" not in answer.answer


# -- repealed notices ----------------------------------------------------------------------

REPLACEMENT = """福建省人民政府办公厅关于深化养老服务改革的通知
闽政办〔2030〕2号
一、深化养老服务改革
（一）养老机构实行备案。养老机构设立不再需要许可，实行备案管理；加强事中事后监管。（省民政厅负责）
"""
PENSION = "养老机构设立还需要许可吗"


def _service_over(documents: list[Document], folder: Path) -> PolicyQA:
    build_fake(documents, folder)
    return fake_service(folder)


@pytest.fixture(scope="module")
def replacement() -> Document:
    return parse_notice(REPLACEMENT, doc_id="fujian_2030_yanglao")


@pytest.fixture(scope="module")
def replaced(tmp_path_factory: pytest.TempPathFactory, fujian: Document,
             replacement: Document) -> PolicyQA:
    """The Fujian notice repealed, beside a notice in force that says the same."""
    return _service_over([fujian.model_copy(update={"status": "废止"}), replacement],
                         tmp_path_factory.mktemp("replaced"))


@pytest.mark.parametrize("status", ["现行", "已修订", "废止"])
def test_a_repealed_notice_is_never_cited(tmp_path: Path, fujian: Document, status: str) -> None:
    service = _service_over([fujian.model_copy(update={"status": status})], tmp_path)
    answer = service.ask(PENSION)
    if status == "废止":
        assert answer.status == "not_found" and answer.citations == ()
        assert f"《{fujian.short_title}》已废止" in answer.answer
        assert service.search(PENSION, k=5) == []
        assert service.units() == [] and service.unit_tasks("省民政厅")[1] == []
        assert service.ask("省民政厅负责哪些任务").status == "not_found"
    else:
        assert answer.status == "answered" and "已废止" not in answer.answer
        assert (answer.citations[0].doc_id, answer.citations[0].clause_id) == (
            fujian.doc_id, "7.1")
        assert service.search(PENSION, k=5)[0].clause.clause_id == "7.1"
        assert "省民政厅" in {u.name for u in service.units()}


def test_a_notice_in_force_answers_instead(replaced: PolicyQA, replacement: Document,
                                           fujian: Document) -> None:
    # The repealed notice matches best (放宽养老服务市场准入 is its wording): the one in force
    # answers, and a note says the other no longer holds.
    answer = replaced.ask("放宽养老服务市场准入后，养老机构设立还需要许可吗", top_k=5)
    assert answer.status == "answered"
    assert {c.doc_id for c in answer.citations} == {replacement.doc_id}
    assert answer.answer.splitlines()[-1] == \
        f"注意：《{fujian.short_title}》已废止，其中的相关规定不再作为依据。"
    hits = replaced.search(PENSION, k=10)
    assert hits and {h.clause.doc_id for h in hits} == {replacement.doc_id}


def test_no_note_when_a_notice_in_force_matches_best(replaced: PolicyQA,
                                                     replacement: Document) -> None:
    answer = replaced.ask(PENSION)
    assert (answer.citations[0].doc_id, answer.citations[0].clause_id) == (
        replacement.doc_id, "1.1")
    assert "已废止" not in answer.answer


def test_no_note_when_the_repealed_notice_does_not_answer(replaced: PolicyQA) -> None:
    answer = replaced.ask("今天天气怎么样")
    assert answer.status == "not_found" and "已废止" not in answer.answer


def test_lists_leave_repealed_tasks_out(replaced: PolicyQA, replacement: Document) -> None:
    answer = replaced.ask("省民政厅负责哪些任务")
    assert answer.status == "answered"
    assert [(c.doc_id, c.clause_id) for c in answer.citations] == [(replacement.doc_id, "1.1")]
    assert [c.doc_id for c in replaced.unit_tasks("省民政厅")[1]] == [replacement.doc_id]
    assert all(task.startswith(replacement.doc_id)
               for unit in replaced.units() for task in unit.leads + unit.shares)
    assert replaced.find_clause("7.1") is not None  # still there to look up, not to cite


def test_a_close_clause_that_holds_the_date_asked_for_answers_first(engine: Answerer,
                                                                    fujian: Document) -> None:
    from index.search import Hit

    clauses = {c.clause_id: c for c in fujian.clauses}
    undated, dated = clauses["3.4"], clauses["7.2"]
    assert not undated.deadlines and not undated.links and dated.deadlines
    q = engine.understand("这件事什么时候完成")
    close = [Hit(undated, 1.0, ()), Hit(dated, 0.8, ())]
    assert [h.clause.clause_id for h in engine.types.first(q, close)] == ["7.2", "3.4"]
    far = [Hit(undated, 1.0, ()), Hit(dated, 0.5, ())]
    assert engine.types.first(q, far) == far  # too far behind to answer instead
    other = [Hit(undated, 1.0, ()), Hit(dated.model_copy(update={"doc_id": "other"}), 0.9, ())]
    assert engine.types.first(q, other) == other  # another notice does not fill the gap
    what = engine.understand("这件事是怎么规定的")
    assert engine.types.first(what, close) == close  # any clause answers a what question


@pytest.mark.parametrize(("question", "units"), [
    ("养老金调整幅度是多少", ("%",)),
    ("工资涨多少", ("%", "元")),
    ("办证要多少钱", ("元", "%")),
    ("要交多少", ()),
    # …个工作日 asks for working days, not for any count of 个.
    ("办结时限是多少个工作日", ("个工作日", "工作日")),
    ("能领几个", ("个", "项", "家", "名")),
    ("证件编号一共几位", ("位", "名", "人")),  # 几位 counts people as often as digits
    # 几个税 / 几项费 count kinds of tax or fee (5税合并), not an amount of money.
    ("本次共有几个税一起申报", ("个", "项", "家", "名", "税")),
    ("要交多少税", ("元", "%")),
])
def test_the_measure_a_number_question_names(engine: Answerer, question: str,
                                             units: tuple[str, ...]) -> None:
    assert engine.types.measure_units(engine.understand(question)) == units


def test_a_second_yes_no_question_is_answered_too(engine: Answerer) -> None:
    answer = engine.ask("养老机构设立归哪个部门管？还需要许可吗？")
    assert answer.kind == "who" and answer.citations[0].clause_id == "7.1"
    assert answer.verdict == "no"
    assert answer.answer.splitlines()[1] == "还需要许可吗？不需要。"
    assert engine.ask("养老机构设立归哪个部门管？").verdict is None


def test_the_measure_named_first_outranks_one_that_may_also_answer(engine: Answerer,
                                                                   fujian: Document) -> None:
    """For 多少钱, a close clause with an amount in 元 answers before one with only a %."""
    share = _saying(fujian, "双方可各按标准的50%扣除。", 1.0, "x")
    amount = _saying(fujian, "每月按1000元标准扣除。", 0.9, "y")
    q = engine.understand("每个月能扣多少钱")
    assert [h.clause.clause_id for h in engine.types.first(q, [share, amount])] == ["y", "x"]
    assert engine.types.first(q, [amount, share])[0] is amount
    rate = engine.understand("扣除比例是多少")
    assert engine.types.first(rate, [share, amount])[0] is share


def test_a_close_clause_listing_the_items_asked_for_answers_first(engine: Answerer,
                                                                  fujian: Document) -> None:
    """For 哪几个方面 / 哪几类, a close clause that lists them answers before one that does not."""
    goal = _saying(fujian, "到2030年，全面建立养老服务评价制度。", 1.0, "x")
    listing = _saying(fujian, "评价内容由服务质量、安全管理、人员配备、群众满意度等4个方面构成。", 0.9,
                      "y")
    q = engine.understand("养老服务评价包括哪几个方面")
    assert engine.types.items_of(q) == "方面"
    assert [h.clause.clause_id for h in engine.types.first(q, [goal, listing])] == ["y", "x"]
    # Any clause may still answer: the list is a preference, not a gate.
    assert engine.types.holds(q, goal)
    # Too far behind, or a question asking for no items: the closer clause stays first.
    far = _saying(fujian, listing.clause.text, 0.5, "y")
    assert engine.types.first(q, [goal, far])[0] is goal
    plain = engine.understand("养老服务评价是怎么规定的")
    assert engine.types.first(plain, [goal, listing])[0] is goal


def test_a_unit_named_alike_in_two_notices_lists_the_local_tasks_first(
        tmp_path: Path, fujian: Document, govcn: dict[str, Document]) -> None:
    national = govcn["国办发〔2018〕129号"]  # a bare 卫健委 among its units; Fujian has 省卫健委
    build_fake([national, fujian], tmp_path / "index")
    answer = fake_service(tmp_path / "index").ask("卫健委要做哪些事")
    cited = [c.doc_id for c in answer.citations]
    assert {"卫健委", "省卫健委"} <= set(answer.units)
    assert national.doc_id in cited and fujian.doc_id in cited
    assert cited.index(national.doc_id) > max(i for i, d in enumerate(cited) if d == fujian.doc_id)


def test_a_negated_supposition_is_answered_as_asked(engine: Answerer) -> None:
    answer = engine.ask("二手车迁入，总不会还有限制吧？")
    assert answer.verdict == "yes" and answer.answer.startswith("对，没有。")


TRAINING = """国务院关于做好技能培训补贴工作的通知
国发〔2030〕2号
各省、自治区、直辖市人民政府：
一、道路养护
（一）推进国省道养护。2030年底前完成国省道养护工程招标。（交通运输部负责）
二、技能培训补贴
（二）扩大技能培训补贴范围。2029年1月1日至2030年12月31日，对参加技能培训的失业人员给予培训补贴。（人力资源社会保障部负责）
（三）加强技能培训补贴资金监管。2030年底前建立技能培训补贴资金发放台账。（财政部负责）
"""

HARBOURS = """国务院关于加快港口建设的通知
国发〔2030〕3号
各省、自治区、直辖市人民政府：
一、港口建设
（一）推进港口航道建设。2030年底前完成沿海港口航道疏浚。（交通运输部负责）
"""


def test_a_list_by_deadline_keeps_to_the_document_and_topic_asked_about(
        tmp_path: Path, fujian: Document) -> None:
    documents = []
    for name, text in (("training", TRAINING), ("harbours", HARBOURS)):
        source = tmp_path / f"{name}.txt"
        source.write_text(text, encoding="utf-8")
        documents.extend(read_path(source))
    training = documents[0]
    build_fake([*documents, fujian], tmp_path / "index")
    runtime = fake_service(tmp_path / "index")
    answer = runtime.ask("技能培训补贴方面，哪些工作要在2030年底前完成？")
    listed = [(c.doc_id, c.clause_id) for c in answer.citations]
    # A period ending in 2030 is due by then; the tasks on the topic come first, and only
    # that notice's tasks are listed.
    assert set(listed[:2]) == {(training.doc_id, "2.2"), (training.doc_id, "2.3")}
    assert {doc for doc, _ in listed} == {training.doc_id}


def _hit(clause_id: str, text: str, score: float) -> Hit:
    clause = Clause(doc_id="d", clause_id=clause_id, kind="clause", label=clause_id, text=text)
    return Hit(clause=clause, score=score, sentences=())


def test_a_close_hit_sharing_a_phrase_word_for_word_answers_first() -> None:
    question = "村委会能否向村民收取垃圾清运费"
    hits = [_hit("2.4", "各村要健全垃圾分类收运体系，村委会组织保洁员定期清运。", 0.17),
            _hit("1.2", "村委会不得向村民收取垃圾清运费，不得增加农民负担。", 0.16),
            _hit("3.1", "完善村级考核办法。", 0.15)]
    q = understand(question, load_cues(), load_aliases(), (), ())
    assert [h.clause.clause_id for h in verbatim_first(q, hits)] == ["1.2", "2.4", "3.1"]
    # Spread-out words, a phrase hardly longer than the first hit's, or a hit scoring far
    # below the first change nothing.
    close = [hits[0], _hit("1.2", "村委会要为村民提供清运服务。", 0.16)]
    assert verbatim_first(q, close) == close
    far = [hits[0], _hit("1.2", "村委会不得向村民收取垃圾清运费，不得增加农民负担。", 0.05)]
    assert verbatim_first(q, far) == far
    assert longest_shared("向村民收取垃圾清运费", "不得向村民收取垃圾清运费") == 10
    assert longest_shared("abc", "xyz") == 0


def test_a_verb_asked_as_a_not_a_is_matched_as_the_notice_writes_it() -> None:
    hits = [_hit("3", "将滨海新城纳入国家级新区建设统筹指导。", 0.17),
            _hit("2", "同意滨海新城享受新区相关扶持政策。", 0.16)]
    q = understand("滨海新城享不享受新区那套扶持政策？", load_cues(), load_aliases(), (), ())
    assert [h.clause.clause_id for h in verbatim_first(q, hits)] == ["2", "3"]


def test_a_negated_supposition_that_does_not_hold_is_denied() -> None:
    q = understand("换了老板，总不会还得重新办许可吧？", load_cues(), load_aliases(), (), ())
    reading = Reading("no", "仍须重新办理许可", "require", turned=True)
    assert yes_no_line(q, reading, None, "仍须重新办理许可。").startswith("不，需要")


@pytest.mark.parametrize(("question", "detail"), [
    ("养老机构的投诉电话是多少？", True),
    # Whether there is such a line at all is something a notice may say.
    ("养老机构有没有投诉电话？", False),
])
def test_asking_whether_there_is_a_contact_is_not_asking_for_it(engine: Answerer, question: str,
                                                                detail: bool) -> None:
    evidence = engine.evidence(question)
    assert evidence is not None and evidence.asks_detail is detail


WARDENS = """国务院办公厅关于加强城市公园管理工作的意见
国办发〔2031〕9号
一、明确职责
本意见所称城市公园，是指经城市园林绿化主管部门认定、向公众开放的公园和游园。住房城乡建设部办公厅是全国城市公园管理工作的主管单位，地方各级人民政府是本地区城市公园管理的责任主体。
"""


def test_who_without_a_responsibility_list_quotes_the_sentence_naming_a_body(
        tmp_path: Path) -> None:
    service = _service_over([parse_notice(WARDENS, doc_id="gbf-2031-9")], tmp_path)
    answer = service.ask("城市公园由哪个部门主管？")
    assert answer.citations[0].quote.startswith("住房城乡建设部办公厅是全国")
    assert "住房城乡建设部办公厅" in answer.units


PANEL = """国务院关于成立城市公园评审小组的通知
国发〔2031〕10号
一、组织
成立城市公园评审小组，组长由国务院副秘书长担任，成员由住房城乡建设部、文化和旅游部、财政部等单位负责同志组成，评审小组秘书处的值班安排由成员单位轮流负责。评审小组秘书处设在住房城乡建设部。
"""


def test_who_quotes_the_sentence_holding_the_words_before_its_question_word(
        tmp_path: Path) -> None:
    service = _service_over([parse_notice(PANEL, doc_id="gf-2031-10")], tmp_path)
    # 那几家 typed for 哪几家; 设在哪: the sentence saying where the office is, not the members.
    answer = service.ask("城市公园评审小组的秘书处设在那几家单位？")
    assert answer.kind == "who"
    assert answer.citations[0].quote.startswith("评审小组秘书处设在")
    assert "住房城乡建设部" in answer.units and "财政部" not in answer.units


DEPUTY = """国务院关于医学科学院工作规则的通知
国发〔2031〕11号
一、会议
院长出差期间，由分管日常工作的副院长主持全体会议。
"""


def test_who_names_the_role_a_sentence_gives_the_act(tmp_path: Path) -> None:
    service = _service_over([parse_notice(DEPUTY, doc_id="gf-2031-11")], tmp_path)
    answer = service.ask("院长出差的时候，谁来主持全体会议？")
    assert answer.units == ("分管日常工作的副院长",)
    assert answer.answer.startswith("院长出差期间，由分管日常工作的副院长主持全体会议")


@pytest.mark.parametrize(("question", "text", "holds"), [
    ("居住登记去哪儿办？", "推行居住登记全程网上办理。", True),
    ("居住登记去哪办？", "居住登记可在居住地派出所窗口办理。", True),
    ("投诉材料该往哪个地址寄？", "进一步畅通群众来信渠道，及时回应群众诉求。", False),
    ("导游证考在哪儿报名？", "具有大专以上学历的人员可以参加导游资格考试。", False),
    # A where-question is answered by where a pilot runs; 在哪些方面 asks for items.
    ("药店连锁经营去哪儿先办？", "有条件的市、县（区）先行开展药店连锁经营。", True),
    ("养老服务要在哪些方面加强？", "加强养老服务人才培养。", True),
    # Not a where-question: any clause may answer.
    ("职业资格考试有哪些条件？", "具有大专以上学历的人员可以参加职业资格考试。", True),
    ("这项改革的难点在哪里？", "加强养老服务人才培养。", True),
    ("这次改革减去哪些环节？", "加强养老服务人才培养。", True),
    # An office or a body to go to answers.
    ("社保卡去哪补办？", "参保人可到社保经办机构补办。", True),
])
def test_a_where_question_needs_a_place_office_line_or_site(engine: Answerer, fujian: Document,
                                                            question: str, text: str,
                                                            holds: bool) -> None:
    assert engine.types.holds(engine.understand(question), _saying(fujian, text)) is holds


def test_a_score_question_needs_points(engine: Answerer, fujian: Document) -> None:
    from engine.answertype import QUANTITY

    q = engine.understand("这次招考最低分数线为多少？")
    assert engine.types.measure_units(q) == ("分",)
    for text, holds in [("录取总分不低于480分。", True), ("做好招生录取工作十分重要。", False)]:
        assert engine.types.holds(q, _saying(fujian, text)) is holds
    assert [m.group(0) for m in QUANTITY.finditer("总分达到480分，占百分之六十")] == ["480分"]
    assert [m.group(0) for m in QUANTITY.finditer("工作十分必要，提高3个百分点")] == ["3个"]


@pytest.mark.parametrize(("question", "text", "holds"), [
    ("装电梯政府发不发补助？", "推进既有住宅加装电梯，简化审批流程。", False),
    ("装电梯政府发不发补助？", "对既有住宅加装电梯给予一次性补助。", True),
    ("装电梯可以有些优惠吗？", "推进既有住宅加装电梯，简化审批流程。", True),  # no money named
    ("Is there a subsidy for installing lifts?", "推进既有住宅加装电梯，简化审批流程。", False),
    # A question naming money only as its topic is not asking whether it is given.
    ("加装电梯补贴能在网上申请吗？", "推进既有住宅加装电梯，简化审批流程。", True),
    ("冒领加装电梯补贴会被处罚吗？", "推进既有住宅加装电梯，简化审批流程。", True),
])
def test_a_yes_no_question_about_money_needs_a_clause_granting_some(
        engine: Answerer, fujian: Document, question: str, text: str, holds: bool) -> None:
    assert engine.types.holds(engine.understand(question), _saying(fujian, text)) is holds


def test_a_close_clause_holding_the_place_asked_for_answers_first(engine: Answerer,
                                                                 fujian: Document) -> None:
    plain = _saying(fujian, "营业执照实行一照通办。", 1.0, "x")
    placed = _saying(fujian, "营业执照可在住所地行政服务大厅窗口申领。", 0.9, "y")
    q = engine.understand("营业执照去哪申领？")
    assert [h.clause.clause_id for h in engine.types.first(q, [plain, placed])] == ["y", "x"]


def _headed(fujian: Document, heading: str, rule: str) -> Hit:
    """A hit on a clause whose first sentence repeats its heading, then states ``rule``."""
    base = {c.clause_id: c for c in fujian.clauses}["3.4"]
    clause = base.model_copy(update={
        "clause_id": "x", "heading": heading, "text": f"{heading}。{rule}",
        "sentences": (Sentence(text=f"{heading}。"), Sentence(text=rule))})
    return Hit(clause, 1.0, (0, 1))


def test_a_heading_naming_a_task_settles_no_verdict(engine: Answerer, fujian: Document) -> None:
    """规范…使用。 repeating the heading supervises; the rule after it forbids what is asked."""
    hit = _headed(fujian, "规范小区配套养老院使用",
                  "小区配套养老院移交民政部门后，应当办成公办机构，不得办成营利性养老院。")
    q = engine.understand("小区配套养老院打算由营利性机构来办，可以吗？")
    answer = engine._compose(q, [hit], 1.0)
    assert answer.verdict == "no"
    assert "不得办成营利性养老院" in answer.citations[0].quote


def test_a_heading_that_states_the_rule_still_answers(engine: Answerer, fujian: Document) -> None:
    hit = _headed(fujian, "不再收取押金", "对已收取的押金，于年底前全部退还。")
    assert engine._compose(engine.understand("还要交押金吗"), [hit], 1.0).verdict == "no"


def test_a_year_asked_for_is_the_quoted_sentences_own_target(engine: Answerer) -> None:
    # 哪一年: the sentence's 到2025年…; 何时: the task row's end-of-year deadline.
    year = engine.ask("培育农村创业创新带头人目标定在哪一年实现")
    assert year.citations[0].clause_id in ("2.3", "A1.7")
    assert year.deadline == "到2025年"
    when = engine.ask("全省培育农村创业创新带头人这项任务何时办结")
    assert when.deadline == "2025年底前"


def test_a_when_question_quotes_the_dated_sentence_naming_its_year(engine: Answerer) -> None:
    from corpus.deadline import find_deadlines

    texts = ("在2030年9月底前完成首次评估。", "自2031年起，每年1月底前完成上一年度评估。")
    sentences = tuple(Sentence(text=t, deadlines=find_deadlines(t)) for t in texts)
    clause = Clause(doc_id="fujian_2021_fangguanfu", clause_id="4.1",
                    kind="clause", label="4.1", text="".join(texts), sentences=sentences)
    hit = Hit(clause, 1.0, (0, 1))
    question = engine.understand("自2031年起，每年最晚哪天要交评估？")
    assert question.kind == "when"
    assert engine._quote_index(question, hit, Reading(None)) == 1
    # A question naming no year takes the closest dated sentence.
    assert engine._quote_index(engine.understand("首次评估最晚哪天要交？"), hit,
                               Reading(None)) == 0
