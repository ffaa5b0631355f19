"""Responsibility parentheses and the unit alias table."""

from __future__ import annotations

import pytest

from corpus.document import Unit
from corpus.units import (
    UnitAliases,
    is_responsibility,
    is_unit,
    load_aliases,
    load_endings,
    named_units,
    parse_responsibility,
    parse_unit_list,
)


@pytest.fixture(scope="module")
def aliases() -> UnitAliases:
    return load_aliases()


def names(units: tuple[Unit, ...]) -> list[str]:
    return [u.name + ("*" if u.lead else "") for u in units]


@pytest.mark.parametrize(("text", "expected"), [
    ("省人社厅、住建厅、农业农村厅、市场监管局等部门按职责分工负责",
     ["省人社厅", "省住建厅", "省农业农村厅", "省市场监管局"]),
    ("省住建厅牵头，省有关部门按职责分工负责", ["省住建厅*"]),
    ("省委编办，省审改办、市场监管局等省有关部门按职责分工负责", ["省委编办", "省审改办", "省市场监管局"]),
    ("省财政厅，福建省税务局、厦门市税务局等部门按职责分工负责",
     ["省财政厅", "福建省税务局", "厦门市税务局"]),
    ("市人社局、住建局等部门按职责分工负责", ["市人社局", "市住建局"]),
    ("人力资源社会保障部等有关部门和单位负责", ["人力资源社会保障部"]),
    ("各有关部门和单位按职责分工负责", ["各有关部门和单位"]),
    ("农业农村部、工业和信息化部牵头负责", ["农业农村部*", "工业和信息化部*"]),
    ("全国总工会等和各省级人民政府负责", ["全国总工会", "各省级人民政府"]),
    ("省人力资源和社会保障厅、卫生健康委员会负责", ["省人社厅", "省卫健委"]),
    # 会同: the units before it lead; a role word after a unit is not part of its name.
    ("国家发展改革委、财政部会同有关部门负责", ["国家发展改革委*", "财政部*"]),
    ("教育部会同有关部门负责", ["教育部*"]),
    ("生态环境部指导，试点城市政府负责", ["生态环境部", "试点城市政府"]),
    ("会同县人民政府负责", ["会同县人民政府"]),
    # Table cells that are not units are dropped.
    ("指标来源：医院填报。", []),
    ("指标来源：国家医疗机构、医师、护士电子化注册系统。", []),
    ("（十四）", []),
    ("（二）质量安全", []),
    ("省住建厅、2021年底前", ["省住建厅"]),
])
def test_unit_lists(aliases: UnitAliases, text: str, expected: list[str]) -> None:
    assert names(parse_unit_list(text, aliases)) == expected


def test_all_lead_for_table_columns(aliases: UnitAliases) -> None:
    assert names(parse_unit_list("省人社厅、商务厅", aliases, all_lead=True)) == ["省人社厅*", "省商务厅*"]


@pytest.mark.parametrize(("text", "units", "notes"), [
    ("负责部门：商务部、海关总署", ["商务部", "海关总署"], ()),
    ("负责部门：民航局，适用范围：四川自贸试验区", ["民航局"], ("适用范围：四川自贸试验区",)),
    ("牵头单位：省商务厅", ["省商务厅*"], ()),
])
def test_a_labelled_responsibility(aliases: UnitAliases, text: str, units: list[str],
                                   notes: tuple[str, ...]) -> None:
    assert is_responsibility(text)
    found = parse_responsibility(text, aliases)
    assert names(found.units) == units and found.notes == notes


def test_standing_rule(aliases: UnitAliases) -> None:
    found = parse_responsibility(
        "省人社厅等部门按职责分工负责。以下任务均需各设区市人民政府、平潭综合实验区管委会落实，不再列出",
        aliases)
    assert found.standing_units == ("各设区市人民政府", "平潭综合实验区管委会")
    assert names(found.units) == ["省人社厅"]


@pytest.mark.parametrize("text", ["人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同",
                                  "人力资源社会保障部、财政部负责，排在第一位的部门为牵头部门，下同"])
def test_lead_first_rule(aliases: UnitAliases, text: str) -> None:
    found = parse_responsibility(text, aliases)
    assert names(found.units) == ["人力资源社会保障部*", "财政部"]
    assert found.lead_first and found.lead_first_below


def test_lead_first_without_below(aliases: UnitAliases) -> None:
    found = parse_responsibility("甲部、乙部负责，列第一位者为牵头单位", aliases)
    assert found.lead_first and not found.lead_first_below


def test_is_responsibility() -> None:
    assert is_responsibility("省民政厅等部门按职责分工负责")
    assert not is_responsibility("CNAS")
    assert not is_responsibility("含100万元")


def test_aliases_canonical_and_prefix(aliases: UnitAliases) -> None:
    assert aliases.canonical("省人力资源社会保障厅") == "省人社厅"
    assert aliases.canonical("市场监督管理局") == "市场监管局"
    assert aliases.canonical("福建省税务局") == "福建省税务局"
    assert aliases.split_prefix("省住建厅") == ("省", "住建厅")
    assert aliases.split_prefix("市场监管局") == ("", "市场监管局")
    assert "人力资源和社会保障厅" in aliases.names()


def test_bad_alias_file(tmp_path: object) -> None:
    from pathlib import Path

    from contract.errors import DataError

    path = Path(str(tmp_path)) / "aliases.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(DataError, match="alias table"):
        load_aliases(path)


@pytest.mark.parametrize("name", [
    "省人社厅", "福建省税务局", "平潭综合实验区管委会", "各设区市人民政府", "人民银行",
    "国家卫生健康委", "教育部", "外交部", "住建厅", "残联", "全国妇联", "海关总署", "厦门海关",
    "人行福州中心支行", "证监会", "供销合作总社", "中铁南昌局集团公司福州办事处", "各省级牵头单位",
    "省有关部门", "各有关部门和单位", "国务院办公厅", "审计署",
])
def test_is_unit_accepts_bodies(aliases: UnitAliases, name: str) -> None:
    assert is_unit(name, aliases)


@pytest.mark.parametrize("name", [
    "（十四）", "(3)", "十二、", "3.", "第五条", "指标来源：医院填报。", "（二）质量安全", "2021年底前",
    "注：", "医师", "进行了讨论", "生态环境部指导", "护士电子化注册系统。",
    "我部再次组织了以华中科技大学刘广润院士为组长的更大范围的专家组", "部署", "全部", "干部",
    "办事大厅", "统一部署", "跨省通办", "以人民为中心", "人民政府", "部门", "部", "",
])
def test_is_unit_rejects_what_is_not_a_body(aliases: UnitAliases, name: str) -> None:
    assert not is_unit(name, aliases)


def test_alias_table_names_are_units_whatever_their_ending(aliases: UnitAliases) -> None:
    assert not load_endings().body_like("央行")
    assert is_unit("央行", aliases)


def test_bad_endings_file(tmp_path: object) -> None:
    from pathlib import Path

    from contract.errors import DataError

    path = Path(str(tmp_path)) / "endings.json"
    path.write_text('{"endings": [], "not_endings": []}', encoding="utf-8")
    with pytest.raises(DataError, match="unit endings"):
        load_endings(path)


@pytest.mark.parametrize(("text", "found"), [
    # A body's own office is the body named, not the body and a stray 办公厅.
    ("水利部办公厅负责组织实施，省防汛抗旱指挥部办公室负责协调。",
     ("水利部办公厅", "省防汛抗旱指挥部办公室")),
    ("国务院各部门办公厅（室）是本部门的主管单位。", ("国务院",)),
    # A definition (是指…) names what it defines, not a body called 指….
    ("本办法所称公共文化设施，是指各级人民政府举办的图书馆。", ()),
    ("成员由教育部、民政部组成。", ("教育部", "民政部")),
    # 办 ends no name in 办理 / 办法; a defined term (所称…) and 本部门… are no bodies; 应急
    # is part of a name, not the 应 before one.
    ("本意见所称养老机构，是指依法办理登记的养老服务机构。", ()),
    ("由本部门办公室负责。", ()),
    ("县应急管理局负责组织实施。", ("县应急管理局",)),
    # A title (副院长, 局长, 委员) ends no body's name.
    ("由分管日常工作的副院长主持全体会议。", ()),
    ("由市环保局局长召集，农业委员参加。", ("市环保局",)),
    # 长期 / 长江 after a name is no title.
    ("由省水利厅长期跟踪监测。", ("省水利厅",)),
    # 委托, 局部, 院校 are words, not the end of a body's name.
    ("代理师在执业中泄露委托人的发明内容的，依法处理。", ()),
    ("对个别地区局部调整的，由省自然资源厅审核。", ("省自然资源厅",)),
    ("鼓励职业院校与企业合作。", ()),
    ("由省商务厅责令停止承办新的展会。", ("省商务厅",)),
    ("根据办园性质，由民政部门登记。", ("民政部门",)),
    # …but a body's name before 部署, 限期, 面向, 派员 ends where it does.
    ("由市应急管理局部署开展检查。", ("市应急管理局",)),
    ("由县民政局限期整改。", ("县民政局",)),
    ("由省市场监管局面向社会公布。", ("省市场监管局",)),
    ("由市发展改革委派员参加。", ("市发展改革委",)),
    ("由省督查办、省双创办牵头。", ("省督查办", "省双创办")),
    ("鼓励大学生创办企业，依法查办案件。", ()),
    # A government's own department is named with it.
    ("应当向国务院气象主管部门提出申请。", ("国务院气象主管部门",)),
    ("由省人民政府林业主管部门责令改正。", ("省人民政府林业主管部门",)),
    ("国务院办公厅、省政府办公厅分别印发。", ("国务院办公厅", "省政府办公厅")),
    # …once, however often named; not 有关部门, which names no department.
    ("应当向国务院气象主管部门备案；对国务院气象主管部门的决定不服的，可以复议。",
     ("国务院气象主管部门",)),
    ("由国务院有关部门负责。", ("国务院",)),
    ("省人民政府负责统筹。省人民政府林业主管部门负责实施。",
     ("省人民政府", "省人民政府林业主管部门")),
])
def test_bodies_named_in_prose(text: str, found: tuple[str, ...]) -> None:
    assert named_units(text) == found
