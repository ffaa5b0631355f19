"""Verdict logic on crafted sentences: 取消 vs 保留, scope, negation, polarity."""

from __future__ import annotations

import pytest

from corpus.units import load_aliases
from engine.phrasing import load_phrasing
from engine.question import Question, load_cues, understand
from engine.reading import segments
from engine.verdict import decide, load_signals
from index.lexicon import load_lexicon
from index.tokenize import Tokenizer

SIGNALS = load_signals()
CUES = load_cues()
PHRASING = load_phrasing()


_cut = Tokenizer([], frozenset()).cut  # jieba's own dictionary: categories as whole words


class Places:
    """A stand-in dictionary that knows a few place names and words."""

    KNOWN = frozenset({"福州", "厦门", "泉州", "水泥", "危化品"})

    def is_word(self, text: str) -> bool:
        return text in self.KNOWN

    def places(self, text: str) -> frozenset[str]:
        return frozenset(p for p in ("福州", "厦门", "泉州", "思明区") if p in text)

    def correct(self, text: str) -> str:
        return text

    def cut(self, text: str) -> list[str]:
        return _cut(text)


def q(text: str, polarity: str | None = None) -> Question:
    question = understand(text, CUES, load_aliases(), (), (), PHRASING, Places())
    assert question.kind == "yesno", text
    if polarity is not None:
        assert question.polarity == polarity, (text, question.polarity)
    return question


@pytest.mark.parametrize(("question", "polarity", "sentence", "verdict"), [
    ("开养老机构还需要设立许可吗", "need", "取消养老机构设立许可，实行备案制；", "no"),
    ("养老机构设立还要审批吗", "need", "保留养老机构设立许可，加强审批管理。", "yes"),
    ("养老机构能直接备案吗", "can", "取消养老机构设立许可，实行备案制；", "yes"),
    ("政府能指定中介机构吗", "can", "清单之外政府部门不得指定中介机构提供服务。", "no"),
    ("乡村兽医需要备案吗", "need", "开展乡村兽医备案，加强事中事后监管。", "yes"),
    ("公司还要做年检吗", "need", "推动年检改年报。", "no"),
    ("二手车迁入还有限制吗", "has", "全面取消二手车迁入限制政策。", "no"),
    ("巡演审批简化了吗", "is", "依法依规简化跨地区巡演审批程序。", "yes"),
    ("公建民营养老机构能不讲公益吗", "can", "坚持公建民营养老机构社会公益属性。", "no"),
    # …but a step of a procedure left out is an easing hoped for, granted by a part allowing it.
    ("进口仪器只用来展览，能不办理注册吗", "can", "进口仪器用于展览的，可不办理注册手续。", "yes"),
    # What the notice enjoins in its own voice (…要推行…) is required; 不要 / 只要 enjoin nothing.
    ("现场执法必须推行全程录像吗", "need", "对现场执法活动，要推行全程录像记录。", "yes"),
    ("现场执法必须推行全程录像吗", "need", "只要推行全程录像记录，就能减少执法争议。", None),
    ("企业能享受这项补贴吗", "can", "符合条件的企业要按照规定享受补贴。", "yes"),
    # 可以不定期 is no step left out.
    ("企业还要接受抽查吗", "need", "市场监管部门可以不定期开展抽查。", "yes"),
    # A step the notice says may be left out (可不办理, 无须, 不必) is no longer needed.
    ("进口仪器只用来展览，还要办理注册吗", "need", "进口仪器用于展览的，可不办理注册手续。", "no"),
    ("展览用的仪器还需要办理注册吗", "need", "展览用的仪器无须办理注册手续。", "no"),
    ("行政裁量基准会公开吗", "will", "行政执法机关制定并公布行政裁量基准。", "yes"),
    # Sparing a check it names (免检查) relaxes it; 避免 spares nothing.
    ("明年的例行检查是不是可以免掉了", "is", "对连续三年无违规的企业，下一年度实行“免检查”。", "yes"),
    # A halt (暂停) settles whether something may go on.
    ("整改期间还能继续受理新的开店申请吗", "can", "整改期间暂停受理新的开店申请。", "no"),
    # Making a service's platform work (发挥…作用) provides it.
    ("网上能预约挂号吗", "can", "充分发挥网上预约挂号平台作用。", "yes"),
])
def test_verdicts(question: str, polarity: str, sentence: str, verdict: str) -> None:
    reading = decide(q(question, polarity), [sentence], [], SIGNALS, Places())
    assert reading.verdict == verdict
    assert reading.segment and reading.segment in sentence


# Every shape of yes/no question, on crafted sentences: what is asked, how it leans, and what
# the sentence does decide the answer.
@pytest.mark.parametrize(("question", "polarity", "sentence", "verdict"), [
    # 会…吗 / 会不会 / 是否会: will the government do it — a commitment is a yes.
    ("政府会帮小店主做线上推广吗", "will", "支持小店主开展线上推广，2022年底前覆盖全省。", "yes"),
    ("省里会不会建设统一的预约平台", "will", "2021年底前建设全省统一的预约平台。", "yes"),
    ("以后是否会简化退休手续", "will", "进一步简化退休手续，压减办理时限。", "yes"),
    ("会不会允许部门指定评估机构", "will", "部门不得指定评估机构。", "no"),
    # 是不是: is it so — a relaxation the question hopes for is a yes, a burden it supposes is no.
    ("是不是以后开面馆不用先办许可了", "is", "小型餐饮店取消开业许可，改为备案。", "yes"),
    ("年度报告是不是还得分别报给几个部门", "is", "年度报告多报合一，一次报送。", "no"),
    # 有没有 / 有…吗: is there such a thing.
    ("有没有统一的收费标准", "has", "制定并公布统一的收费标准。", "yes"),
    ("开药店还有没有距离限制", "has", "取消药店间距限制。", "no"),
    # A不A: 支不支持, 让不让, 收不收.
    ("政府支不支持社区食堂", "will", "鼓励和支持社区食堂建设。", "yes"),
    ("社区让不让摆夜市", "can", "允许社区在规定区域设置夜市。", "yes"),
    ("办居住登记收不收费", "need", "居住登记一律免收费用。", "no"),
    # 是否 / 还能 / 以后能不能.
    ("小作坊是否需要办生产许可", "need", "对小作坊实行登记管理，取消生产许可。", "no"),
    ("退休以后还能在原单位交医保吗", "can", "不得在原单位继续缴纳医保。", "no"),
    ("以后能不能在手机上补领证件", "can", "推动证件补领在移动端办理。", "yes"),
    # Negative framings: the feared thing is not so when the notice acts on it.
    ("是不是以后谁都能随便开诊所了", None, "放开诊所准入，加强事中事后监管。", "no"),
    ("监管会不会越管越严", None, "推行包容审慎监管，首次轻微违法不予处罚。", "no"),
    ("收费是不是就没人管了", "is", "依法查处违规收费行为。", "no"),
    # Nobody keeping watch, whichever verb of oversight: a fear, answered by the part that
    # supervises even when another part is closer to the question's words.
    ("小餐馆登记了，是否从此再也没有人来检查", None, "开展小餐馆登记，加强日常抽查。", "no"),
    ("网约车平台备案后就不监管了吗", None, "推行网约车平台备案，依法查处违规经营。", "no"),
    ("药店开起来会不会没人过问", "will", "放宽药店准入，强化药品质量监管。", "no"),
    ("会不会清理乱收费", "will", "开展涉企乱收费专项清理。", "yes"),
    # Courtesy and emoji do not change the reading.
    ("请问开养老机构还需要设立许可吗？谢谢🙏", "need", "取消养老机构设立许可。", "no"),
])
def test_every_yes_no_shape(question: str, polarity: str | None, sentence: str,
                            verdict: str) -> None:
    reading = decide(q(question, polarity), [sentence], [], SIGNALS, Places())
    assert reading.verdict == verdict


def test_a_pilot_is_a_firm_answer_only_inside_it() -> None:
    sentence = "在福州、厦门开展小餐饮备案管理试点。"
    outside = decide(q("泉州开小餐馆还要许可吗"), [sentence], [], SIGNALS, Places())
    assert outside.verdict is None and outside.trial
    inside = decide(q("在福州开小餐馆可以备案吗"), [sentence], [], SIGNALS, Places())
    assert inside.verdict == "yes" and not inside.trial
    listed = decide(q("危化品企业会实行分级监管吗"),
                    ["开展危化品、水泥等企业分级监管试点。"], [], SIGNALS, Places())
    assert listed.verdict == "yes"
    # A place named without the zone a pilot is confined to is not in it.
    zoned = decide(q("我在泉州办学，设立时可以先承诺后补材料吗"),
                   ["在自贸试验区开展民办职业培训机构设立告知承诺制试点。"], [], SIGNALS, Places())
    assert zoned.verdict == "no"
    extended = decide(q("以后会不会有更多事项可以异地代办"),
                      ["在异地代办试点基础上，推动更多事项异地代办。"], [], SIGNALS, Places())
    assert extended.verdict == "yes"


def test_scope_cancelling_one_licence_does_not_cancel_another() -> None:
    reading = decide(q("开诊所还需要执业许可吗", "need"),
                     ["继续推动开展诊所备案试点。", "取消养老机构设立许可，实行备案制；"], [], SIGNALS, Places())
    assert reading.verdict != "no"


@pytest.mark.parametrize(("question", "sentence"), [
    # Another burden (备案) than the one asked about (许可) answers nothing.
    ("开诊所还需要许可吗", "继续推动福州、厦门开展诊所备案管理试点。"),
    # A relaxation piloted in one zone leaves the rule standing elsewhere.
    ("培训机构设立要审批吗", "在自贸试验区开展民办职业培训机构设立告知承诺制试点。"),
])
def test_no_firm_answer_from_a_neighbouring_rule(question: str, sentence: str) -> None:
    assert decide(q(question, "need"), [sentence], [], SIGNALS, Places()).verdict is None


def test_no_signal_no_verdict() -> None:
    reading = decide(q("补贴标准公布了吗"), ["根据各地实际确定补贴标准。"], [], SIGNALS, Places())
    assert reading.verdict is None


@pytest.mark.parametrize("question", ["标准全省统一吗", "家政培训补贴各市都按同一个标准发吗"])
def test_what_each_place_settles_is_not_the_same_everywhere(question: str) -> None:
    reading = decide(q(question), ["开展家政培训，根据各地实际确定家政培训补贴标准。"], [],
                     SIGNALS, Places())
    assert reading.verdict == "no" and "各地实际" in reading.segment


@pytest.mark.parametrize(("question", "polarity"), [
    ("技能竞赛奖金是不是全省统一", "is"), ("职能部门能不能帮忙", "can"),
    ("新能源车能上牌吗", "can"), ("还能报名吗", "can")])
def test_can_is_not_read_inside_a_word(question: str, polarity: str) -> None:
    assert q(question).polarity == polarity


def test_unrelated_sentence_gives_no_verdict() -> None:
    reading = decide(q("新生儿落户需要什么材料吗", "need"),
                     ["第一句无关。", "取消勘察设计注册石油天然气工程师职业资格；"], [], SIGNALS, Places())
    assert reading.verdict is None


def test_not_a_yes_no_question() -> None:
    question = Question(text="谁负责", normalized="谁负责", kind="who")
    assert decide(question, ["取消许可。"], [], SIGNALS, Places()).verdict is None


def test_segments() -> None:
    assert segments("放宽准入，取消许可，实行备案制；") == ["放宽准入", "取消许可", "实行备案制"]


def test_converting_the_asked_term_answers_even_when_the_subject_is_elsewhere() -> None:
    """X改Y turns the asked-about X into Y: no longer needed, whatever else the sentence shares."""
    sentence = "衔接中央层面设定的企业年检、年报事项，推动年检改年报，年报事项多报合一。"
    reading = decide(q("企业年检还要做吗", "need"), [sentence], [], SIGNALS, Places())
    assert (reading.verdict, reading.segment) == ("no", "推动年检改年报")
    # 改革 and 改造 convert nothing.
    reform = decide(q("企业年检还要做吗", "need"), ["深化年检改革，完善监管。"], [], SIGNALS, Places())
    assert reform.action != "converted" and reform.verdict != "no"


def test_a_segment_opening_with_its_verb_takes_the_subject_before_it() -> None:
    sentence = "对社会投资的小型简易低风险项目，推行清单制和告知承诺制审批。"
    reading = decide(q("小型低风险项目审批能简化吗", "can"), [sentence], [], SIGNALS, Places())
    assert reading.verdict == "yes"
    # Without the subject in reach the same segment is not about the question.
    alone = decide(q("小型低风险项目审批能简化吗", "can"),
                   ["对社会投资的小型简易低风险项目进行统计。", "推行清单制和告知承诺制审批。"], [],
                   SIGNALS)
    assert alone.verdict is None


def test_a_verb_part_after_parts_that_do_nothing_is_as_close_as_their_topic() -> None:
    # The best sentence's part that settles it opens with its verb, after parts that only say
    # who and when; a further sentence sharing a few words must not outweigh it.
    sentences = ["对持有中级技工证书的学员，在报名相应高级技工培训时，可减免部分培训课时。",
                 "技工学校对取得若干证书的社会学员，支持其按证书类别补修部分理论课程。",
                 "有序开展中级技工证书和高级技工证书的衔接认定。"]
    reading = decide(q("持有中级技工证书的学员报名高级技工培训时，可否减免部分课时？", "can"),
                     sentences, [], SIGNALS, Places())
    assert reading.verdict == "yes"
    # After a part that acts itself (加强…监管), a verb part does not take over its topic.
    acting = ["加强对培训机构收费的监管，重点规范培训机构将考试费用转嫁给学员等行为，推动培训机构公开收费标准。"]
    turned = decide(q("培训机构可以把考试费用转嫁给学员吗", "can"), acting, [], SIGNALS, Places())
    assert turned.verdict == "no"
    # A verb part sharing no word with the question is not lifted by the topic before it.
    sentence = "对退役军人参加公务员考试的，在资格审查时，不得设置歧视性条件，笔试成绩可以适当加分。"
    lifted = decide(q("退役军人参加公务员考试，可以加分吗", "can"), [sentence], [], SIGNALS, Places())
    assert lifted.verdict == "yes"


@pytest.mark.parametrize(("question", "polarity", "sentence", "verdict"), [
    # 只能: asking for more than the one way allowed is a no, asking for the way itself is not.
    ("我家第二辆车也能领补贴吧？", "can", "每户只能享受一次购车补贴。", "no"),
    ("两项补贴能同时领吗", "can", "同一人只能选择其中一项补贴领取。", "no"),
    ("本人能领购车补贴吗", "can", "每户只能享受一次购车补贴。", "yes"),
    # A premise before the question (听说…) is not what is asked: 算不算 asks whether it is so.
    ("听说小型店铺可以不办开业许可了，我这家算不算在里面？", "is",
     "对面积100平方米以下的小型店铺，无需办理开业许可。", "yes"),
])
def test_restrictions_and_premises(question: str, polarity: str, sentence: str,
                                   verdict: str) -> None:
    reading = decide(q(question, polarity), [sentence], [], SIGNALS, Places())
    assert reading.verdict == verdict


def test_a_duty_gives_way_to_the_part_that_says_what_one_may_do() -> None:
    """The closest part only regulates (规范…认定); another part of the same sentence allows."""
    sentence = "规范开展民营养老院等级评定认定工作，支持符合条件的民营企业开办养老院，依法查处违规行为。"
    reading = decide(q("民营企业让不让开养老院", "can"), [sentence], [], SIGNALS, Places())
    assert reading.verdict == "yes" and reading.segment == "支持符合条件的民营企业开办养老院"


def test_the_words_that_frame_a_question_do_not_make_a_part_look_closer() -> None:
    # 可以…吗 shares 可以 with 可以选择; what is asked about (改成, read as 变更) is in the
    # prohibition, which answers a 可以…吗 as plainly as a permission would.
    sentence = "父母可以选择由其中一方按标准扣除，也可以选择由双方分别扣除，扣除方式在一个纳税年度内不能变更。"
    reading = decide(q("扣到一半想改成由爱人来扣除可以吗", "can"), [sentence], ["变更"], SIGNALS,
                     Places())
    assert reading.verdict == "no" and "不能变更" in reading.segment
    allowed = decide(q("扣除可以由双方分别扣吗", "can"), [sentence], [], SIGNALS, Places())
    assert allowed.verdict == "yes"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # …对吧 / 是吧 / 听说…是真的吗: a sentence saying the same thing, with no signal, confirms.
    ("元旦放假能和周末连在一起休对吧", "元旦：12月30日至1月1日放假调休，与周末连休。", "yes"),
    ("听说外地人可以凭居住证申请公租房，是真的吗", "推动非户籍常住人口可凭居住证申请公租房。", "yes"),
    # ...but not a sweeping claim the sentence does not make, nor one it barely touches.
    ("老人的补贴标准是全省统一的对吧", "根据各地实际确定补贴标准。", "no"),
    ("老人的补贴标准是全省统一的对吧", "老年人补贴标准：每人每月100元。", None),
    ("听说中秋节放三天，是真的吗", "中秋节：9月13日放假，与周末连休。", None),
    # The first option of a choice asked with 可以, confirmed by a sentence bringing it in.
    ("体检报告可以在手机上查，还是只能去医院打印？", "推行体检报告手机查询。", "yes"),
    # Merging what was done apart (合并办理) is an easing.
    ("水电气三项报装现在可以合并办理了吗？", "推行水电气报装合并办理。", "yes"),
    # A signal still decides: only one deduction is allowed.
    ("租房和房贷利息可以同时扣对吧", "纳税人只能享受一次首套住房贷款的利息扣除。", "no"),
])
def test_a_confirmation_is_given_for_what_the_sentence_says(question: str, sentence: str,
                                                            verdict: str | None) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize("question", ["开诊所只要备案就行，是吧", "这个补贴是免费申请的，对不对",
                                      "以后网上就能办，没错吧"])
def test_confirmation_tails_make_a_yes_no_question(question: str) -> None:
    assert q(question).polarity is not None


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # Wrongdoing that the notice curbs is not allowed...
    ("审批部门能不能把自己该出的检测费让申请人出", "规范审批部门将其应承担的检测费用转嫁给申请人等行为。", "no"),
    # ...while keeping watch over an activity says nothing about whether one may do it.
    ("可以开民办养老机构吗", "加强对民办养老机构的监管。", None),
    # A fear (会很慢, 越来越难) is answered no by a notice acting on the point.
    ("网上海淘的货通关会很慢吗", "保障跨境电商零售进口商品快速通关。", "no"),
    ("回乡开店的话，贷款审批会越来越难吗", "支持返乡人员创业，加大创业担保贷款支持。", "no"),
    # Nothing beyond the list (清单之外无收费) forbids charging beyond it.
    ("港口还能在收费清单之外收费吗", "落实港口政策，做到收费清单之外无收费。", "no"),
])
def test_curbed_conduct_and_fears(question: str, sentence: str, verdict: str | None) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # What the question supposes is not allowed: a sentence allowing it answers no...
    ("听说二手的设备不能享受更新补贴，是真的吗", "允许二手设备按规定享受设备更新补贴。", "no"),
    ("打零工的跟失业保险没关系，对吧？", "推动灵活就业人员参加失业保险。", "no"),
    # ...one forbidding it, yes.
    ("听说以后不能在原单位交医保了，是真的吗", "不得在原单位继续缴纳医保。", "yes"),
    # 是不是只能… confirmed by 只能….
    ("是不是只能选一处扣除", "同一项目只能选择从一处扣除。", "yes"),
    # …whatever else the story says: 再 (typed for 在) or 又 asks for nothing more here.
    ("两口子都再厦门上班，车位补贴是不是只能一个人领", "夫妻双方在同一城市的，只能由一方领取车位补贴。", "yes"),
    # What one pays oneself (自付, 自理) is a burden the question supposes.
    ("配眼镜的钱医保不管的话，得个人承担对吧？", "眼镜验配费用由个人自理。", "yes"),
    # A condition (…的，) says whom the part after it is for: that part answers.
    ("户籍在外省、年满六十周岁的，搬家以后还能不能继续领取？",
     "户籍在外省、年满六十周岁的，按规定经审核可继续领取。", "yes"),
    # Supposing one is spared doing something (不用参加, 可以不报送) the notice makes a duty: no.
    ("民办学校往后是不是不用参加年度检查", "民办学校须按规定参加年度检查。", "no"),
    ("合作社能不报送年度报告吗", "农民专业合作社应当于每年6月30日前报送年度报告。", "no"),
    ("公司往后是不是不用年检", "推动年检改年报。", "yes"),
    # A rule widened (由A扩展至B) reaches more than A: supposing it is only for A, no.
    ("实训补助难道只有技校学生才能领吗", "将实训补助范围由技校学生扩展至社会青年。", "no"),
    ("Is the training grant only for vocational-school students?",
     "将实训补助范围由技校学生扩展至社会青年。", "no"),
    ("实训补助是不是不仅技校学生能领", "将实训补助范围由技校学生扩展至社会青年。", "yes"),
    # Will it still exist: removed, no; kept up, yes.
    ("以后办证排号的这种限制还会不会有", "取消办证排号限制。", "no"),
    ("以后还会有这种检查吗", "全面推行双随机检查。", "yes"),
    # Is it kept: done away with, no.
    ("园林绿化资质现在还保留着吗？", "取消城市园林绿化企业资质核准。", "no"),
    ("还保留园林绿化资质吗？", "取消城市园林绿化企业资质核准。", "no"),
])
def test_supposed_exclusions_restrictions_and_what_persists(question: str, sentence: str,
                                                            verdict: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "sentence"), [
    ("园林绿化资质现在还保留着吗？", "简化城市园林绿化企业资质核准。"),  # only lessened
    # The part does away with something else than what is asked about…
    ("小微企业的税收优惠还保留吗？", "取消小微企业年检。"),
    ("老旧小区改造后还保留原来的绿地吗？", "取消小区绿地率审批。"),
    ("小区里还保留着原来的绿地吗？", "取消小区绿地率审批。"),
    ("退休后医保待遇还保留吗？", "退休人员不再缴纳基本医疗保险费。"),
    # …or keeps it itself; and being still valid is not being kept.
    ("应征入伍的大学生是否保留学籍？", "对应征入伍的在校大学生免除学费，保留学籍。"),
    ("原来签的劳动合同继续有效吗？", "用人单位不再重新签订劳动合同。"),
    ("旧版营业执照会继续有效吗？", "取消营业执照年检。"),
])
def test_what_a_part_does_away_with_must_be_what_is_asked_kept(question: str,
                                                               sentence: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict != "no"


def test_a_topic_set_apart_frames_the_parts_after_it() -> None:
    # 对同一项补贴 is the topic of 只能选择…: the part is judged on topic with it.
    sentence = "申请人在多地就业的，对同一项补贴，在一个年度内只能选择在一地申领。"
    reading = decide(q("同一项补贴是不是只能在一个地方领"), [sentence], [], SIGNALS, Places())
    assert reading.verdict == "yes" and reading.segment.startswith("在一个年度内只能")


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # …吧, 会…吗 and the first choice of A还是B state what a yes confirms.
    ("10月12日那个星期六是照常上班的吧？", "9月29日（星期日）、10月12日（星期六）上班。", "yes"),
    ("端午节会跟周末连着休吗", "端午节：6月7日放假，与周末连休。", "yes"),
    ("收费能在网上交吗，还是只能去柜台？", "搭建手机银行、网上银行等线上缴费渠道，实现收费网上交。", "yes"),
    # A supposed absence (一点…都没有, 没有任何) is answered no by a sentence providing it.
    ("有人说残疾人开网店没有任何补贴，真的吗？", "对残疾人从事网络创业的，给予一次性创业补贴。", "no"),
    # A supposed precondition (要等…才能) is answered no by a sentence bringing it forward.
    ("办营业执照是不是要等店面装修完了才能申请", "将营业执照申办提前到店面装修阶段。", "no"),
    # Being treated worse (歧视) is a fear.
    ("残疾人考公务员会不会被歧视", "保障残疾人在公务员招录中享受平等待遇。", "no"),
])
def test_statements_absences_preconditions_and_fears(question: str, sentence: str,
                                                     verdict: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "sentence"), [
    ("出口农产品装船前，一律要先拿到检测合格证吗？", "取消出口农产品检测许可。"),
    ("餐馆第一次卫生不达标，都要罚款吗？", "对餐馆首次轻微违法行为不予处罚。"),
    ("村级公益岗位，是否要求每个村一律设置？", "有条件的乡镇探索设置村级公益岗位试点。"),
    # Supposing a pilot has been rolled out everywhere: not where it is tried somewhere.
    ("社区食堂补贴是不是全省都推行了？", "在福州、厦门开展社区食堂运营补贴试点。"),
])
def test_a_sweeping_supposition_is_not_so_where_the_rule_is_relaxed_or_tried(
        question: str, sentence: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == "no"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    ("我今年20岁，能申请青年创业补贴吗？", "将青年创业补贴对象扩展至18—35岁城乡青年。", "yes"),
    ("我今年40岁，能申请青年创业补贴吗？", "将青年创业补贴对象扩展至18—35岁城乡青年。", "no"),
    ("报名的供应商只有2家时，是否照样公开招标？", "投标供应商在3家及以上的，采取公开招标的方式。", "no"),
    # A burden eased only below a size remains above it.
    ("仓库有800平方米，是不是还得申请消防验收？",
     "建筑面积在500平方米以下的仓库，无需申请办理消防验收。", "yes"),
    ("仓库300平米，还需要申请消防验收吗？",
     "建筑面积在500平方米以下的仓库，无需申请办理消防验收。", "no"),
    # A category or a situation the asker says they are not of, or not in.
    ("我是非全日制本科毕业的，能申请青年人才租房补贴吗？",
     "具有全日制本科以上学历的毕业生，可以申请青年人才租房补贴。", "no"),
    ("我是全日制本科毕业的，能申请青年人才租房补贴吗？",
     "具有全日制本科以上学历的毕业生，可以申请青年人才租房补贴。", "yes"),
    ("放假不在校期间，学生还能免费进校图书馆吗？", "学生在校期间可以免费进入校图书馆。", "no"),
    ("城里的小卖部也免征这个税吗？", "对农村的小卖部经营收入免征增值税。", "no"),
    # A right read as a duty (自付) whose amount the asker misses.
    ("看牙自付了8000块，这笔能申请补助，没错吧？",
     "参保人看牙自付部分累计超过一万元的部分，可以申请补助。", "no"),
    ("看牙自付了8000块，这笔能报销，没错吧？",
     "参保人看牙自付部分累计超过一万元的部分，由医保基金按比例报销。", "no"),
    ("看牙自付了1万2，这笔能报销，没错吧？",
     "参保人看牙自付部分累计超过一万元的部分，由医保基金按比例报销。", "yes"),
])
def test_a_right_reaches_only_those_meeting_its_conditions(question: str, sentence: str,
                                                           verdict: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


def test_a_will_question_about_keeping_watch_is_answered_by_the_watch() -> None:
    sentence = "健全演出门票供应机制，依法严厉查处、打击倒卖演出门票等违法行为。"
    reading = decide(q("倒卖演唱会门票的黄牛，以后管不管？", "will"), [sentence], [], SIGNALS, Places())
    assert reading.verdict == "yes" and "查处" in reading.segment


def test_a_word_is_not_read_across_two() -> None:
    # 对接受…教育的学生 is 对 + 接受, not the commitment 对接.
    assert not SIGNALS.has("enable", "对接受职业院校学历教育并取得毕业证书的学生")


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # A negated supposition (总不会还得…吧, 不会被…吧, 总不至于要等…吧) is confirmed when the
    # burden or the fear is not so, and denied when it is.
    ("打印店换了新老板，总不会还得重新办一遍特种行业许可吧？",
     "打印店变更经营者的，不再重新核发特种行业许可。", "yes"),
    ("打印店换了新老板，总不会还得重新办一遍特种行业许可吧？",
     "打印店变更经营者的，仍须重新办理特种行业许可。", "no"),
    ("河道承包出去以后，不会被用来乱收费吧？", "河道承包后不得向群众收取任何费用。", "yes"),
    ("物业漏水报修了，总不至于要等业主大会表决才修吧？",
     "对报修的紧急漏水，不再等待业主大会表决，先行维修。", "yes"),
    # Supposing something may no longer be done (不会再允许…吧): 对，不可以 when forbidden.
    ("小区绿地交给物业管了，应该不会再允许改成停车场吧？", "公共绿地不得改作停车场。", "yes"),
    ("小区绿地交给物业管了，应该不会再允许改成停车场吧？", "公共绿地经业主同意可以改作停车场。", "no"),
    # …or may not be done by the asker too (总不会…也可以…吧): 不，可以 when allowed.
    ("我们是租房的，总不会也可以申请这项补贴吧？", "支持租房居民申请住房补贴。", "no"),
    # Without the negation, the same question is read on the burden itself.
    ("打印店换了新老板，现在还得重新办特种行业许可吧？",
     "打印店变更经营者的，不再重新核发特种行业许可。", "no"),
])
def test_a_negated_supposition_is_confirmed_when_it_holds(question: str, sentence: str,
                                                          verdict: str) -> None:
    reading = decide(q(question), [sentence], [], SIGNALS, Places())
    assert reading.verdict == verdict
    assert reading.turned == SIGNALS.has("negated_claim", question)


def test_not_being_able_to_do_something_is_no_negated_supposition() -> None:
    # 不会用手机 is "cannot use", not a supposition that the burden is gone.
    reading = decide(q("老人不会用手机，还得本人去柜台办吧？"), ["保留柜台办理渠道。"], [], SIGNALS,
                     Places())
    assert not reading.turned


@pytest.mark.parametrize(("question", "verdict"), [
    # Charges the question calls wrongdoing, curbed by the notice, need not be paid...
    ("乱收的这笔服务费还需要交吗", "no"),
    # ...while a lawful fee is not lifted by supervision of irregular ones.
    ("物业费还得交吗", "yes"),
])
def test_curbed_charging_lifts_only_what_the_question_calls_wrongdoing(question: str,
                                                                       verdict: str) -> None:
    sentence = "规范物业企业的收费行为，查处违规收取物业费、服务费等行为。"
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "verdict"), [
    ("烟花爆竹厂的生产许可也改为备案了吗？", "no"),
    ("做纸箱的，生产许可改为备案了吗？", "yes"),
])
def test_what_a_relaxation_excepts_stays_as_it_was(question: str, verdict: str) -> None:
    sentence = "2023年底前除危险化学品、民用爆炸物品以及烟花爆竹外的其他生产许可全部改为备案。"
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


def test_a_right_for_some_is_not_for_one_who_says_they_are_not_of_them() -> None:
    sentence = "本市居民凭身份证办理公园年卡，每张每年100元。"
    reading = decide(q("我不是本市居民，听说也能办这张公园年卡，是真的吗？"), [sentence], [], SIGNALS,
                     Places())
    assert reading.verdict == "no"


def test_a_part_forbidding_two_things_together_answers_however_much_story_came_first() -> None:
    sentences = ["对考取职业资格证书的人员，给予一次性技能补贴，所需资金从就业补助资金列支。",
                 "技能补贴每人限享受一次，不得与岗位培训补贴同时申领。"]
    question = q("我去年考取了职业资格证书，领到了一次性技能补贴，资金从就业补助资金列支。"
                 "这次的岗位培训补贴能和它一起领吗？")
    reading = decide(question, sentences, [], SIGNALS, Places())
    assert reading.verdict == "no" and "同时申领" in reading.segment


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    ("驾校还收取学车押金吗？", "2031年起驾校不再收取学车押金。", "no"),
    # What is stopped is something else than what is asked about: no "no" from it.
    ("我还能用旧版借书证借书吗？", "2031年起不再发放旧版借书证，已发放的旧版借书证继续有效。", "yes"),
])
def test_what_is_no_longer_done_answers_whether_it_still_is(question: str, sentence: str,
                                                           verdict: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "verdict"), [
    ("我父亲今年65岁，也能领这笔交通补贴吗？", "yes"),
    ("我父亲今年55岁，也能领这笔交通补贴吗？", "no"),
    # The asker's own age, not the threshold they heard of, is what the rule is read against.
    ("我奶奶68岁，听说要满70岁才能领交通补贴，是真的吗？", "no"),
    # A rule on another topic says nothing, whatever the ages.
    ("我今年65岁，还能考驾照吗？", None),
])
def test_a_rule_for_the_askers_age_reaches_them(question: str, verdict: str | None) -> None:
    sentence = "年满60岁的本市居民，按本条规定领取交通补贴。"
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "verdict"), [
    ("我家闺女7岁，在读小学一年级，本市户籍的小学生也能领午餐补助吧？", "yes"),
    # One younger than the group the rule is extended to is not reached by it.
    ("我家闺女才5岁，本市户籍的小学生也能领午餐补助吗？", "no"),
    # A supposed precondition the extended rule leaves out is not so.
    ("邻居说本市户籍学生要读到初中才能领午餐补助，是真的吗？", "no"),
])
def test_a_group_put_under_a_rule_stated_elsewhere_is_reached_by_it(question: str,
                                                                    verdict: str) -> None:
    sentences = ["年满6岁至小学毕业前的本市户籍学生，按本条第一款规定执行。",
                 "本市户籍初中学生在校就餐的，每人每月发放午餐补助200元。"]
    reading = decide(q(question), sentences, [], SIGNALS, Places())
    assert (reading.verdict, reading.action) == (verdict, "extend")


def test_a_part_forbidding_the_very_act_asked_about_answers_it() -> None:
    # The first part shares more of the story, and it permits something (to someone else).
    sentence = "业主委员会可以对物业服务企业收取的停车位出租收入进行核查，物业服务企业不得擅自挪用。"
    question = q("我们小区的停车位出租收入一直由物业服务企业收着，业主们问过几次都没说清楚。"
                 "物业可不可以擅自挪去填自己的亏空啊？")
    reading = decide(question, [sentence], [], SIGNALS, Places())
    assert reading.verdict == "no" and reading.segment.endswith("不得擅自挪用")


@pytest.mark.parametrize(("question", "verdict", "trial"), [
    # Another city than the pilot's is not in it; whether a district lies inside one of
    # them is not known, so no firm answer; the pilot is quoted.
    ("泉州的社区食堂也在这个补贴试点里吗？", "no", False),
    ("思明区的社区食堂也在这个补贴试点里吗？", None, True),
    ("福州的社区食堂也在这个补贴试点里吗？", "yes", False),
])
def test_whether_a_place_is_in_a_pilot(question: str, verdict: str | None, trial: bool) -> None:
    sentence = "在福州、厦门开展社区食堂运营补贴试点。"
    reading = decide(q(question), [sentence], [], SIGNALS, Places())
    assert (reading.verdict, reading.trial) == (verdict, trial)


@pytest.mark.parametrize(("question", "verdict", "trial"), [
    # Asked without naming the pilot: a city it does not name is not in it…
    ("我们在泉州办了个社区食堂，能领这个运营补贴吗？", "no", False),
    # …a district may lie inside one; and a burden is not read as a right.
    ("我们在思明区办了个社区食堂，能领这个运营补贴吗？", None, True),
    ("我们在福州办了个社区食堂，能领这个运营补贴吗？", "yes", False),
])
def test_a_city_outside_a_pilot_asked_without_naming_it(question: str, verdict: str | None,
                                                         trial: bool) -> None:
    sentence = "在福州、厦门开展社区食堂运营补贴试点。"
    reading = decide(q(question), [sentence], [], SIGNALS, Places())
    assert (reading.verdict, reading.trial) == (verdict, trial)


def test_an_open_list_of_pilot_places_or_a_province_gets_the_pilot_quoted() -> None:
    open_list = decide(q("我们在泉州办了个社区食堂，能领这个运营补贴吗？"),
                       ["在福州、厦门等地开展社区食堂运营补贴试点。"], [], SIGNALS, Places())
    assert (open_list.verdict, open_list.trial) == (None, True)


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    ("社区搞义诊活动，备案手续现在是不是已经取消了？", "简化社区义诊活动备案手续。", "no"),
    ("社区搞义诊活动，备案手续现在是不是已经取消了？", "取消社区义诊活动备案手续。", "yes"),
    # Something else done away with (证明材料) leaves the asked requirement only lessened.
    ("社区搞义诊活动，备案手续现在是不是已经取消了？",
     "简化社区义诊活动备案手续，取消部分证明材料。", "no"),
    # An easing on the topic that is no lessening (无纸化): not "only lessened".
    ("社区义诊备案今后再也不用递交纸质表格，是吧？", "精简社区义诊备案流程，实现无纸化备案。", "yes"),
    # A question about the lessening itself is answered by it.
    ("取消预约以后，社区义诊备案流程是不是简化了？", "简化社区义诊备案流程。", "yes"),
])
def test_done_away_with_or_only_lessened(question: str, sentence: str, verdict: str) -> None:
    assert decide(q(question, "is"), [sentence], [], SIGNALS, Places()).verdict == verdict


def test_a_duty_for_everyone_is_not_what_a_pilot_where_possible_says() -> None:
    sentence = "有条件的县（区）探索开展农村公路养护市场化改革。"
    question = q("农村公路养护要改成市场化，是不是所有县都必须推开？")
    assert decide(question, [sentence], [], SIGNALS, Places()).verdict == "no"


def test_of_tied_parts_the_one_closer_to_the_asking_clause_answers() -> None:
    sentence = "未用完的带薪年假不得在当年折算为加班费，但是可以在以后年度补休。"
    question = q("带薪年假没用完，以后年度还能补休吗？")  # both parts share 4 pairs with it
    reading = decide(question, [sentence], [], SIGNALS, Places())
    assert reading.verdict == "yes" and reading.segment.startswith("但是可以")


@pytest.mark.parametrize(("question", "sentence"), [
    # Asking about a duty, or being spared one: the borrowed rule may be either.
    ("个体户还要报年报吗？", "个体工商户年度报告按本条第一款规定执行。"),
    ("个体户是不是不用报年报了？", "个体工商户年度报告按本条第一款规定执行。"),
    # Wrongdoing under a borrowed penalty is no right.
    ("出租车可以违规停车吗？", "出租车违规停车的，同样适用本条处罚规定。"),
    # 不按…执行 keeps the group out of the rule.
    ("个体户能领这个补贴吗？", "个体工商户不按本条第一款规定执行。"),
])
def test_an_extension_answers_only_a_hope_to_be_reached(question: str, sentence: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict is None


@pytest.mark.parametrize(("question", "sentence"), [
    ("幼儿园可以收取伙食费吗？", "幼儿园不得收取与入园挂钩的赞助费，可以按实际收取伙食费。"),
    ("灵活就业人员能参加职工医保吗？", "灵活就业人员可以参加职工医保，不得重复参加居民医保。"),
])
def test_a_prohibition_of_another_act_with_the_same_verb_does_not_answer(question: str,
                                                                       sentence: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == "yes"


def test_an_item_of_a_punished_list_is_not_allowed() -> None:
    clause = ("出租车驾驶员有下列行为之一的，由交通运输主管部门责令改正，处200元以下的罚款："
              "（一）拒载乘客；（二）不按规定使用计价器；（三）途中甩客。")
    item = "（二）不按规定使用计价器；"
    assert decide(q("出租车司机可以不打表吗？"), [item], [], SIGNALS, Places(), clause).verdict == "no"
    reading = decide(q("出租车司机不打表会被罚款吗？"), [item], [], SIGNALS, Places(), clause)
    assert reading.verdict == "yes"
    # A list whose lead sets no penalty (有下列情形之一的，应当报告) makes no item punished.
    plain = "有下列情形之一的，应当及时报告：（一）乘客遗失物品；（二）车辆发生故障。"
    assert decide(q("出租车司机可以不报告吗？"), ["（二）车辆发生故障。"], [], SIGNALS, Places(),
                  plain).action != "prohibit"


def test_a_pilot_over_the_whole_scope_asked_about_is_not_read_as_confined() -> None:
    reading = decide(q("社区食堂补贴是不是全省都推行了？"), ["在全省开展社区食堂运营补贴试点。"], [],
                     SIGNALS, Places())
    assert reading.verdict != "no"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # 仍需 / 是否仍要 ask whether a burden remains, like 还需要.
    ("车辆过户是否仍需到原籍车管所办理？", "车辆过户可在居住地办理，不需到原籍车管所办理。", "no"),
    ("车辆过户仍须回原籍办理吗", "车辆过户可在居住地办理，不需回原籍办理。", "no"),
    # 不存在 denies what it names.
    ("林场改制以后上级会不会发安置补助？", "因此，林场改制不存在安置补助问题。", "no"),
])
def test_a_burden_still_asked_about_and_a_thing_denied(question: str, sentence: str,
                                                      verdict: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


def test_改制_is_no_conversion() -> None:
    reading = decide(q("林场改制以后上级会不会发安置补助？"), ["林场改制后统一发放安置补助。"], [],
                     SIGNALS, Places())
    assert reading.action != "converted" and reading.verdict == "yes"


def test_what_someone_asked_for_is_not_what_the_notice_does() -> None:
    asked = q("林场改制以后上级会不会发安置补助？")
    sentences = ["你省请求，国家对林场改制给予安置补助。", "经研究，林场改制不存在安置补助问题。"]
    assert decide(asked, sentences, [], SIGNALS, Places()).verdict == "no"
    # Alone, or without a comma, the request settles nothing.
    assert decide(asked, sentences[:1], [], SIGNALS, Places()).verdict is None
    assert decide(asked, ["林场所在市请求国家对林场改制给予安置补助。"], [], SIGNALS,
                  Places()).verdict is None
    # Without the report, the same words are the notice's own commitment.
    assert decide(asked, ["国家对林场改制给予安置补助。"], [], SIGNALS, Places()).verdict == "yes"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # The notice's own reply and a grant upon application are no report.
    ("林场改制项目能列入专项支持吗？", "发展改革委提出：对其中符合条件的林场改制项目，可列入专项支持。",
     "yes"),
    ("企业能延期缴纳排污费吗", "经企业申请，可以延期缴纳排污费。", "yes"),
    # 不存在 describing whom a rule is for denies nothing.
    ("没有欠费的企业能享受费用减免吗？", "对不存在欠费情形的企业，给予费用减免。", "yes"),
    # 在线 and 24小时 say no situation; a prohibition before 在 still forbids.
    ("公积金能在线提取吗？", "实现公积金在线提取全程不超过1小时。", "yes"),
    ("检查人员能在检查时收钱吗？", "严禁检查人员在检查过程中，收受企业财物。", "no"),
])
def test_reports_absences_and_situations_do_not_swallow_what_a_part_does(
        question: str, sentence: str, verdict: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "verdict"), [
    ("涉及跨省河流的取水许可能在市级审批吗？", "no"),  # the case the exception leaves out
    ("本市河流的取水许可能在市级审批吗？", "yes"),
])
def test_a_bracketed_exception_answers_for_the_case_it_leaves_out(question: str,
                                                                  verdict: str) -> None:
    sentence = "取水许可允许下放至市级审批（涉及跨省河流、禁止开采区的除外）。"
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


def test_an_exception_may_hold_brackets_of_its_own() -> None:
    sentence = "允许外资企业在试验区内经营增值电信业务（列入《负面清单（2031年版）》禁止类的除外）。"
    assert decide(q("外资企业能在试验区内经营增值电信业务吗？"), [sentence], [], SIGNALS,
                  Places()).verdict == "yes"


def test_an_exception_in_brackets_is_not_what_the_part_does() -> None:
    sentence = ("授权试验区制定境外导游执业办法（法律法规不允许的除外），允许持境外导游证的人员"
                "经备案后在试验区内执业。")
    reading = decide(q("境外导游执业办法能由试验区自己制定吗？"), [sentence], [], SIGNALS, Places())
    assert reading.verdict == "yes" and reading.action == "enable"


def test_a_part_saying_only_when_the_rest_applies_does_nothing_itself() -> None:
    from engine.framing import situation_subject

    assert situation_subject("检查人员在进行现场检查时") == "检查人员"
    assert situation_subject("在办理登记期间") == ""
    assert situation_subject("在全省推行电子证照") is None
    assert situation_subject("推行在线办理，24小时内办结") is None
    sentence = "检查人员在采取强制措施等检查活动时，必须出示检查证件。"
    reading = decide(q("采取强制措施检查时要不要出示检查证件？"), [sentence], [], SIGNALS,
                     Places())
    assert reading.segment == "必须出示检查证件" and reading.verdict == "yes"


def test_everyday_outside_meets_the_notices_beyond_the_list() -> None:
    # 目录外面 is everyday wording for 目录之外: the lexicon's word leads to the part that
    # answers, not to a part sharing only the sector's name.
    question = q("码头今后可否在目录外面另收费用？")
    sentence = "落实新的码头收费政策，及时公示收费项目和标准，做到目录与实际相符、目录之外无收费。"
    expansions = load_lexicon().expand([], question.normalized)
    assert "之外" in expansions
    reading = decide(question, [sentence], expansions, SIGNALS, Places())
    assert reading.verdict == "no" and reading.segment.endswith("目录之外无收费")
    assert decide(question, [sentence], [], SIGNALS, Places()).verdict != "no"


@pytest.mark.parametrize(("question", "verdict"), [
    ("周末不接送学生的时候，校车也能开标志灯吗？", "no"),
    ("校车接送学生的时候能开标志灯吗？", "yes"),
])
def test_a_part_under_a_condition_the_asker_does_not_meet_gives_way(question: str,
                                                                   verdict: str) -> None:
    sentences = ["校车接送学生时可以使用专用标志灯。",
                 "非接送学生时，校车不得使用专用标志灯，应遵守道路交通安全法。"]
    assert decide(q(question), sentences, [], SIGNALS, Places()).verdict == verdict


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # Another part after the conditioned one still answers.
    ("救护车不执行紧急任务也能鸣警报器吗？", "救护车执行紧急任务时，可以使用警报器；平时不得使用警报器。",
     "no"),
    # 不得, 不动产, 非机动车 are no negated conditions.
    ("职工休假期间，企业能解除劳动合同吗？", "用人单位不得在职工休假期间解除劳动合同。", "no"),
    ("房屋抵押时能免收抵押登记费吗？", "办理不动产抵押时，可以免收抵押登记费。", "yes"),
    ("电动自行车行驶时能载人吗？", "非机动车行驶时，不得载人。", "no"),
])
def test_conditions_that_the_asker_does_not_deny(question: str, sentence: str,
                                                 verdict: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict == verdict


def test_a_rule_for_another_category_beside_the_asker_s_own_settles_nothing() -> None:
    sentences = ["（二）纳税人为非独生子女的，与兄弟姐妹分摊扣除额度，每人分摊的额度不能超过每月1000元。",
                 "（一）纳税人为独生子女的，按照每月2000元的标准定额扣除；"]
    # The (二) rule forbids nothing to an only child; before, its 不能 answered no.
    only = decide(q("我属于独生子女，赡养父母的扣除额度能超过每月1000元吗"), sentences, [], SIGNALS,
                  Places())
    assert only.verdict != "no"
    assert "独生子女的" not in only.segment or "非独生子女" not in only.segment
    # To one with a brother, the (二) rule is theirs and answers.
    other = decide(q("我上面有个哥哥，赡养父母的扣除额度能超过每月1000元吗"), sentences, [], SIGNALS,
                   Places())
    assert other.verdict == "no"


def test_what_a_plan_rules_out_in_principle() -> None:
    # 原则上不建… is a plan's own no, however softened.
    sentence = "塑造新城建筑风貌，原则上不建高楼大厦。"
    assert decide(q("将来新区是否满街都是高楼大厦"), [sentence], [], SIGNALS, Places()).verdict \
        == "no"


@pytest.mark.parametrize(("question", "sentence", "verdict"), [
    # 原则上不少于 is a floor, 原则上不要求 an easing, 原则上不变 stays as it is: no ban.
    ("每次检查要两人以上吗", "每次检查原则上不少于2人。", "no_ban"),
    ("纸质件能免交吗", "申报时原则上不要求提供纸质件。", "yes"),
])
def test_in_principle_is_no_ban_before_a_floor_or_an_easing(question: str, sentence: str,
                                                           verdict: str) -> None:
    reading = decide(q(question), [sentence], [], SIGNALS, Places())
    assert reading.action != "prohibit"
    if verdict != "no_ban":
        assert reading.verdict == verdict


def test_a_rule_for_when_the_asker_is_not_in_the_situation() -> None:
    # The part after 非…时 is the rule for the asker who says they are not on duty.
    sentences = ["巡逻车执行巡逻任务时可以使用警灯；",
                 "非执行巡逻任务时，巡逻车不得使用警灯。"]
    reading = decide(q("巡逻车平常不执行巡逻任务时，也可以开着警灯吗"), sentences, [], SIGNALS, Places())
    assert reading.verdict == "no"
    assert reading.segment.startswith("巡逻车不得")
    # …and not for one who says they are on duty.
    on_duty = decide(q("巡逻车执行巡逻任务时能使用警灯吗"), sentences[1:], [], SIGNALS, Places())
    assert on_duty.verdict != "no"
    assert decide(q("巡逻车执行巡逻任务时能使用警灯吗"), sentences, [], SIGNALS,
                  Places()).verdict == "yes"


def test_an_exception_in_the_part_saying_what_the_rule_is_for() -> None:
    # The bracket is in the part before the one that acts.
    sentence = "对医疗机构急需进口少量药品（不含疫苗）的申请，可以由省卫生部门审批。"
    assert decide(q("医院急需的疫苗也可以申请进口吗"), [sentence], [], SIGNALS, Places()).verdict \
        == "no"
    assert decide(q("医院急需的药品可以申请进口吗"), [sentence], [], SIGNALS, Places()).verdict \
        == "yes"


def test_an_exception_in_another_semicolon_clause_sets_nothing_here() -> None:
    sentence = ("企业设立登记一律实行网上办理（涉及前置审批的除外）；"
                "新设立的小微企业可以免费领取公章。")
    reading = decide(q("涉及前置审批的小微企业也能免费领取公章吗"), [sentence], [], SIGNALS, Places())
    assert reading.verdict == "yes"


def test_a_measure_put_off_for_now_is_not_available() -> None:
    # 暂不实施: not for now, which answers whether one can have it with no.
    reading = decide(q("修水库期间还能同时领护林补助吗"), ["水库建设期间暂不实施护林补助政策。"], [],
                     SIGNALS, Places())
    assert reading.verdict == "no"


@pytest.mark.parametrize("question", ["灵活就业人员是不是跟养老补助不相干？",
                                      "养老补助是不是跟灵活就业人员没什么关系？"])
def test_a_supposed_irrelevance_is_denied_by_a_rule_including_them(question: str) -> None:
    reading = decide(q(question), ["将灵活就业人员纳入养老补助范围。"], [], SIGNALS, Places())
    assert reading.verdict == "no"


def test_what_is_no_longer_done_cannot_be_had() -> None:
    stopped = "2022年起不再从应届毕业生中招聘乡镇卫生院医生。"
    assert decide(q("刚从医学院应届毕业的学生明年还能被乡镇卫生院招去当医生吗？"), [stopped], [], SIGNALS,
                  Places()).verdict == "no"
    # A burden 不再 lifts is the easing hoped for.
    assert decide(q("租公租房能不交押金吗？"), ["公租房不再收取押金。"], [], SIGNALS,
                  Places()).verdict == "yes"


@pytest.mark.parametrize(("question", "sentence"), [
    # A restriction lifted opens the thing up; a word the story shares is not what is asked.
    ("外地户籍老人能领护林补贴吗？", "护林补贴不再区分本地户籍和外地户籍。"),
    ("外地人能在本市办渔船证吗？", "不再对外地人办理渔船证设置居住年限。"),
    ("我爸一直按季度领，护林补贴还能领吗？", "护林补贴不再按季度发放。"),
])
def test_what_is_no_longer_restricted_is_not_stopped(question: str, sentence: str) -> None:
    assert decide(q(question), [sentence], [], SIGNALS, Places()).verdict != "no"


def test_a_burden_put_off_eases() -> None:
    # 暂不实施 a restriction or penalty lifts it for now.
    reading = decide(q("外省户籍的人在这里能买房吗？"), ["对外省户籍居民暂不实施住房限购政策。"], [],
                     SIGNALS, Places())
    assert (reading.verdict, reading.action) == ("yes", "relax")


def test_of_no_importance_is_no_denial() -> None:
    # 无关紧要 says nothing is unimportant to the asker; it is no supposed exclusion.
    reading = decide(q("是不是这份证明无关紧要，可以不交了？"), ["取消该证明事项。"], [], SIGNALS,
                     Places())
    assert reading.verdict == "yes"
