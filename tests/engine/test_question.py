"""Question understanding: kinds, polarity, units, deadlines, traditional characters."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.document import Document
from corpus.units import load_aliases
from engine.deadlines import KnownDeadlines
from engine.question import Question, load_cues, understand


@pytest.fixture(scope="module")
def read(fujian: Document):  # type: ignore[no-untyped-def]
    units = {u.name for c in fujian.clauses for u in c.units}
    deadlines = {d.text for c in fujian.clauses for d in c.deadlines}
    cues, aliases = load_cues(), load_aliases()
    return lambda text: understand(text, cues, aliases, units, deadlines)


@pytest.mark.parametrize(("text", "kind", "polarity"), [
    ("开诊所还需要许可证吗", "yesno", "need"),
    ("能不能用手机办社保", "yesno", "can"),
    ("能自己决定要不要请中介吗", "yesno", "can"),
    ("二手车还有限制吗？", "yesno", "has"),
    ("培训学校设立要审批吗", "yesno", "need"),
    ("这个事归哪个部门管", "who", None),
    ("这项改革什么时候完成", "when", None),
    ("年度统计报表报送的时限是？", "when", None),
    ("要达到多少项", "how_many", None),
    ("改革的目标是什么", "what", None),
    ("怎么申请", "what", None),
    ("Do clinics still need a license?", "yesno", "need"),
    ("My shop is in a mall. Is a fire safety check still required?", "yesno", "need"),
    ("Which department is responsible?", "who", None),
    ("Which city government agency handles the parks plan?", "who", None),
    ("工作专班由哪三个部门组成？", "who", None),
    ("由哪三家单位共同牵头？", "who", None),
    ("Which local bodies run the trial?", "who", None),
    ("Which sectors benefit from the plan?", "what", None),
    ("Whose job is it to check the parks?", "who", None),
])
def test_kinds(read, text: str, kind: str, polarity: str | None) -> None:  # type: ignore[no-untyped-def]
    question: Question = read(text)
    assert (question.kind, question.polarity) == (kind, polarity)


def test_list_questions(read) -> None:  # type: ignore[no-untyped-def]
    by_unit = read("民政厅负责哪些任务")
    assert by_unit.kind == "list_unit" and by_unit.units == ("省民政厅",)
    assert read("人力资源和社会保障厅牵头的任务").units == ("省人社厅",)
    by_deadline = read("2022年底前要完成哪些任务")
    assert by_deadline.kind == "list_deadline" and by_deadline.deadline == "2022年底前"
    assert read("哪些任务要到2025年才完成").years == (2025,)


def test_normalisation(read) -> None:  # type: ignore[no-untyped-def]
    question = read("養老機構還需要許可嗎？")
    assert question.normalized == "养老机构还需要许可吗？"
    assert question.kind == "yesno"
    assert read("ＡＰＰ能用吗").normalized.startswith("APP")


@pytest.mark.parametrize(("text", "kind", "polarity"), [
    ("面馆开在小区里也能办照吧？", "yesno", "can"),  # a statement with 吧 asks to confirm
    ("你说一下吧", "what", None),  # without a question mark 吧 only softens a request
    # A 吧 clause restated by a question-marked clause that asks for nothing confirms it too.
    ("周六也放假吧，不用去单位了？", "yesno", "has"),
    ("周六也放假吧，那要找谁值班？", "who", None),
    ("先这样吧，还有什么要准备的？", "what", None),
    ("给我讲讲吧，小微企业的优惠政策？", "what", None),  # a request, then the topic
    # Owing a tax or being liable to a rule is a burden asked about; whole words only.
    ("Does she owe tax for a prize won abroad?", "yesno", "need"),
    ("Are small shops subject to the new inspection rules?", "yesno", "need"),
    ("However, is there a subsidy for power tillers?", "yesno", "has"),
    ("我想开个网吧，请问流程？", "what", None),
    ("帮我看看吧，咋办理？", "what", None),
    ("好几个部门都来检查，是不是要分别接待？", "yesno", "is"),  # 好几个 = "quite a few"
    ("几户人家合开的小店，是否需要办执照？", "yesno", "need"),  # 几户 in the story, not asked
    ("几年前办的证还有效吗", "yesno", "has"),  # 几年前 = "a few years ago"
    ("中秋放几天假", "how_many", None),
    ("一年能申请几次", "how_many", None),
    ("这个证要办几个", "how_many", None),
    # In a clause before the one that asks, 几 counts people or things (after 我们 or not).
    ("咱们几个同事想合伙开家诊所，还要先办许可吗？", "yesno", "need"),
    ("我们几个可以合伙开药店，还需要办许可吗？", "yesno", "need"),  # asked in the last clause
    ("家里雇了几个帮工，还需要给他们办保险吗？", "yesno", "need"),  # people counted in the story
    # …but not a measure after 几个, nor a 几 that asks.
    ("你们几个工作日能办完吗？", "how_many", None),
    ("我们几个工作日能办完吗，", "how_many", None),
    ("你们几天能办完，能加急吗？", "how_many", None),
    ("学徒们几年能出师，要考证吗？", "how_many", None),
    ("办这个证要几个工作日，能加急吗？", "how_many", None),
    # A choice whose first option is asked with 能/可以/要, or a choice between two statements
    # (是A，还是B), is a yes/no question on that option; one asking for content asks what.
    ("体检报告可以在手机上查，还是只能去医院打印？", "yesno", "can"),
    ("这批树苗是林业站统一发，还是各村自己买？", "yesno", "is"),
    ("需要提交哪些材料，还是只要身份证？", "what", None),
    # A 哪家/谁 that is the object of a verb steering the asker (指定, 要求) after 能 is part of
    # what is asked yes or no; asking whom to turn to still asks who.
    ("驾校能要求学员去哪家医院体检吗？", "yesno", "can"),
    ("我可以找谁投诉吗？", "who", None),
    ("能告诉我这事找哪个部门吗？", "who", None),
    # 哪几 asks which, not how many.
    ("这所学校开设哪几种外语课？", "what", None),
    # An English question whose last clause opens with an auxiliary asks yes or no, whatever
    # the clause before it (When…, If…); a wh-word in that clause still asks for content.
    ("When the library is closed on holidays, can we still return books at the gate?",
     "yesno", "can"),
    ("If my permit expires abroad, do I need to apply again?", "yesno", "need"),
    ("Is there a deadline, and when is it?", "when", None),
    # …but not a wh-question before it, a request to tell, or "when" asking when.
    ("What papers do I need, can I send them by post?", "what", None),
    ("Can you tell me the deadline for the annual report?", "when", None),
    ("When will the new rule start, is it this year?", "when", None),
    ("Did the county cancel the parking permit?", "yesno", "has"),  # no "can" in cancel
])
def test_shapes(read, text: str, kind: str, polarity: str | None) -> None:  # type: ignore[no-untyped-def]
    question: Question = read(text)
    assert (question.kind, question.polarity) == (kind, polarity)


def test_a_year_that_dates_the_topic_is_no_deadline_to_list_by(read) -> None:  # type: ignore[no-untyped-def]
    assert read("2030年国庆期间，各单位要做好哪些工作？").kind == "what"
    assert read("哪些任务2030年要完成").kind == "list_deadline"
    assert read("到2030年有哪些任务").kind == "list_deadline"


def test_a_deadline_asked_in_its_short_form_is_found_as_written() -> None:
    known = KnownDeadlines(["按照上级要求落实", "2031年底前"])
    assert known.find("有没有任务是按上级要求落实的") == "按照上级要求落实"


@given(st.lists(st.text(alphabet="年底前后月日12半", min_size=1, max_size=7), max_size=12),
       st.text(alphabet="年底前后月日12半问吗", max_size=30))
def test_known_deadlines_find_what_a_pass_over_all_of_them_finds(
        deadlines: list[str], text: str) -> None:
    naive = next((d for d in sorted(set(deadlines), key=lambda d: (-len(d), d))
                  if len(d) >= 4 and d in text), None)
    assert KnownDeadlines(deadlines).find(text) == naive


@pytest.mark.parametrize("question", ["办居住证要准备哪些材料", "身份证丢了怎么挂失",
                                      "公司怎么注销", "这个去哪办"])
def test_procedure_questions_ask_for_an_office_detail(question: str) -> None:
    # Notices hold no forms, offices or materials lists: the refusal model weighs this.
    assert load_cues().has("detail", question)


@pytest.mark.parametrize(("text", "polarity"), [
    ("这块地出让是不是要公开招标？", "is"),  # 出让: a transfer, not "let"
    ("单位让不让带孩子上班？", "can"),
])
def test_rang_inside_a_word_does_not_ask_leave(read, text: str, polarity: str) -> None:  # type: ignore[no-untyped-def]
    assert read(text).polarity == polarity


@pytest.mark.parametrize(("text", "adverse"), [
    ("登记完就没人检查了吗", True),
    ("往后就不查了吗", True),
    ("没有人再管了吗", True),
    # An easing before the fear is its cause, not a remedy.
    ("取消审批后从此没人检查了吗", True),
    # Not a fear of nobody watching: 不管 meaning "whatever", a search that found nothing.
    ("不管住在哪个区都可以申请吗", False),
    ("我没查到办理地点，可以网上办吗", False),
])
def test_nobody_keeping_watch_is_a_fear(text: str, adverse: bool) -> None:
    question = understand(text, load_cues(), load_aliases(), (), ())
    assert (question.stance == "adverse") is adverse


@pytest.mark.parametrize(("text", "stance"), [
    ("中介能不守规矩吗", "adverse"),  # the thing asked about is itself a failing
    ("可以不提交原件吗", "relief"),  # a step of a procedure left out: hoped for
    ("能不去窗口跑一趟吗", "relief"),
])
def test_a_negated_act_is_a_fear_unless_it_leaves_out_a_step(text: str, stance: str) -> None:
    assert understand(text, load_cues(), load_aliases(), (), ()).stance == stance


def test_arbitrary_action_is_a_fear() -> None:
    # 动不动就… / 动辄…: the asker fears it done at every turn.
    for text in ("监管人员是否动不动就叫我们停业", "是不是动辄罚款"):
        assert understand(text, load_cues(), load_aliases(), (), ()).stance == "adverse"
    # 推动 + 不动产 is no 动不动.
    assert understand("是不是推动不动产登记联办了", load_cues(), load_aliases(), (), ()).stance \
        != "adverse"


def test_asking_whether_the_government_acts_on_a_wrong_is_a_hope() -> None:
    # 管不管…乱收费: a fear the asker asks the government to act on, as 是否会清理乱收费.
    assert understand("区里管不管物业乱收押金", load_cues(), load_aliases(), (), ()).stance \
        == "relief"
    assert understand("将来会不会乱收押金", load_cues(), load_aliases(), (), ()).stance == "adverse"
