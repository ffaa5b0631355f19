"""Responsible units: the alias table and the parsing of responsibility parentheses.

Notices name the responsible units in a closing parenthesis, e.g.
``（省人社厅、住建厅、农业农村厅、市场监管局等部门按职责分工负责）``. Only the first name carries
the administrative prefix (``住建厅`` means ``省住建厅``), a ``，`` starts a new list with its own
prefix (``省财政厅，福建省税务局、厦门市税务局``), ``牵头`` marks leads, and sentences after the list
state rules that hold for the rest of the notice (``以下任务均需…落实，不再列出``,
``列第一位者为牵头单位，下同``).

Table columns and parentheses also hold things that are not units (a column of 指标来源 notes, the
numbering of the next row, a stray sentence): only names that pass ``is_unit`` are kept.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from contract.errors import DataError
from corpus.document import Unit
from corpus.numerals import NUMERAL_CHARS

logger = logging.getLogger(__name__)

ALIASES_FILE = Path(__file__).parent / "data" / "unit_aliases.json"
ENDINGS_FILE = Path(__file__).parent / "data" / "unit_endings.json"

_PREFIXES = "省市县区"
_DEPT_SUFFIX = re.compile(r"(?:厅|委|局|办|部|署|会|院|室|联|行|处|中心|支行)$")
_PLACE_INSIDE = re.compile(r"[省市县区州]")

_SEGMENT_BREAK = re.compile(
    r"[，,；;]|等(?:省有关|省|有关|相关|其他有关)?(?:部门和单位|部门|单位|省级部门)?(?:以及|及|和)(?!单位)")
_ETC_TAIL = re.compile(r"等(?:省有关|省|有关|相关|其他有关)?(?:部门和单位|部门|单位|省级部门)?$")
# A role after a unit is not part of its name (生态环境部指导，试点城市政府负责).
_DUTY_TAIL = re.compile(r"(?:按职责分工|按职责|分工)?(?:负责|落实|指导|配合|参与|协助)$")
# ``X会同有关部门负责``: X leads, like ``X牵头，有关部门负责`` (not the 会同 of 会同县).
_JOINT = re.compile(r"(?<=[部委局厅办署院府])会同")
_GENERIC = re.compile(r"^(?:省|市|县|各|其他)?(?:有关|相关)(?:部门和单位|部门|单位|省级部门)?$")
_LIST_END = re.compile(r"负责|落实")
_LEAD_FIRST = re.compile(r"(?:列|排在?)第一位(?:者|的(?:部门|单位))?为牵头(?:部门|单位)")
_STANDING = re.compile(r"以下(?:各项)?(?:任务|工作)?均(?:需|由)(?P<units>.+?)(?:负责)?落实")
_SAME_BELOW = "下同"
# A labelled list: （负责部门：商务部、海关总署，适用范围：…自贸试验区）; a 牵头 label leads.
_LABELLED = re.compile(r"^(?P<label>负责|责任|牵头|主管)(?:部门|单位)[：:](?P<units>[^，,；;。]+)")

# 外交部 is 3 characters, 中铁南昌局集团公司福州办事处 14; a longer run is a sentence.
_NAME_LENGTH = range(2, 21)
_NUMBERING = re.compile(
    rf"^(?:[（(][{NUMERAL_CHARS}\d]+[）)]|[{NUMERAL_CHARS}]+、|\d+[、.．)）]"
    rf"|第[{NUMERAL_CHARS}\d]+[章节条款项])")
_SENTENCE_PUNCT = re.compile(r"[。：:；;！？!?，,、“”\"《》]")


@dataclass(frozen=True, eq=False)
class UnitAliases:
    """Canonical unit names and their aliases, read from a data file."""

    canonical_of: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, groups: Mapping[str, Iterable[str]]) -> UnitAliases:
        """Build the table from ``{canonical: [alias, …]}``."""
        canonical_of: dict[str, str] = {}
        for canonical, aliases in groups.items():
            canonical_of[canonical] = canonical
            for alias in aliases:
                canonical_of.setdefault(alias, canonical)
        return cls(canonical_of=canonical_of)

    def split_prefix(self, name: str) -> tuple[str, str]:
        """Split ``省住建厅`` into (``省``, ``住建厅``); names without a prefix give ``""``."""
        if name in self.canonical_of or len(name) < 3 or name[0] not in _PREFIXES:
            return "", name
        base = name[1:]
        if base in self.canonical_of or _DEPT_SUFFIX.search(base):
            return name[0], base
        return "", name

    def is_department(self, name: str) -> bool:
        """True for a bare department name that takes the list's prefix (住建厅, 残联)."""
        if name in self.canonical_of:
            return True
        return bool(
            _DEPT_SUFFIX.search(name)
            and not name.startswith("各")
            and not _PLACE_INSIDE.search(name[:-1])
        )

    def canonical(self, name: str) -> str:
        """The canonical form of a unit name, keeping its prefix (省人力资源社会保障厅 → 省人社厅)."""
        prefix, base = self.split_prefix(name)
        return prefix + self.canonical_of.get(base, base)

    def names(self) -> list[str]:
        """Every name the table knows, canonical and alias."""
        return sorted(self.canonical_of)


@lru_cache(maxsize=4)
def load_aliases(path: Path = ALIASES_FILE) -> UnitAliases:
    """Read the alias table from its JSON data file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        groups = data["units"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"unit alias table {path} is missing or invalid: {exc}") from exc
    return UnitAliases.from_mapping(groups)


@dataclass(frozen=True)
class UnitEndings:
    """How the name of a responsible body ends, read from a data file."""

    endings: tuple[str, ...]
    """Longest first, so 人民政府 is tried before 政府."""
    not_endings: tuple[str, ...]
    """Ordinary words that end the same way (部署, 全部, 大厅)."""

    def body_like(self, name: str) -> bool:
        """True when ``name`` ends as a body does, with something before the ending."""
        ending = next((e for e in self.endings if name.endswith(e)), None)
        return ending is not None and len(name) > len(ending) \
            and not name.endswith(self.not_endings)


@lru_cache(maxsize=4)
def load_endings(path: Path = ENDINGS_FILE) -> UnitEndings:
    """Read the unit endings from their JSON data file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        endings = [str(e) for e in data["endings"] if e]
        not_endings = tuple(str(e) for e in data["not_endings"] if e)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"unit endings {path} are missing or invalid: {exc}") from exc
    if not endings:
        raise DataError(f"unit endings {path} list no endings")
    return UnitEndings(endings=tuple(sorted(endings, key=len, reverse=True)),
                       not_endings=not_endings)


def is_unit(name: str, aliases: UnitAliases) -> bool:
    """True for the name of a body that can be responsible for a task: of plausible length, not
    numbering nor a sentence, and either in the alias table or ending as a body does
    (…部, …委, …局, …人民政府, …管委会, …中心, …银行, …单位)."""
    name = name.strip()
    if len(name) not in _NAME_LENGTH or _NUMBERING.match(name) or _SENTENCE_PUNCT.search(name):
        return False
    _, base = aliases.split_prefix(name)
    return name in aliases.canonical_of or base in aliases.canonical_of \
        or load_endings().body_like(name)


@dataclass(frozen=True)
class Responsibility:
    """What one responsibility parenthesis says."""

    units: tuple[Unit, ...]
    notes: tuple[str, ...] = ()
    standing_units: tuple[str, ...] = ()
    """Units a ``以下任务均需…落实`` rule adds to every later task."""
    lead_first: bool = False
    """The first unit leads (``列第一位者为牵头单位``)."""
    lead_first_below: bool = False
    """…and so does the first unit of every later clause (``下同``)."""


def is_responsibility(content: str) -> bool:
    """True when a parenthesis names responsible units rather than, say, an abbreviation."""
    return (bool(_LIST_END.search(content)) or bool(_LABELLED.match(content))) \
        and len(content) >= 4


def parse_responsibility(content: str, aliases: UnitAliases) -> Responsibility:
    """Parse the inside of a responsibility parenthesis (``省民政厅负责``, ``负责部门：商务部，
    适用范围：…``)."""
    content = content.strip()
    labelled = _LABELLED.match(content)
    if labelled:
        rest = content[labelled.end():]
        return Responsibility(
            units=parse_unit_list(labelled.group("units"), aliases,
                                  all_lead=labelled.group("label") == "牵头"),
            notes=tuple(n for n in (s.strip("，,。；; ") for s in re.split(r"[，,。；;]", rest))
                        if n))
    end = _LIST_END.search(content)
    list_part = content[: end.end()] if end else content
    rest = content[end.end():] if end else ""
    notes = tuple(n for n in (s.strip("，,。；; ") for s in re.split(r"[。；;]", rest)) if n)

    standing: tuple[str, ...] = ()
    for note in notes:
        match = _STANDING.search(note)
        if match:
            standing = tuple(u.name for u in parse_unit_list(match.group("units"), aliases))
    lead_first = bool(_LEAD_FIRST.search(content))
    below = lead_first and _SAME_BELOW in content

    units = parse_unit_list(list_part, aliases)
    if lead_first and units and not any(u.lead for u in units):
        units = (Unit(name=units[0].name, lead=True), *units[1:])
    return Responsibility(units=units, notes=notes, standing_units=standing,
                          lead_first=lead_first, lead_first_below=below)


def parse_unit_list(text: str, aliases: UnitAliases, *, all_lead: bool = False) -> tuple[Unit, ...]:
    """Parse ``省住建厅牵头，省有关部门按职责分工负责`` into normalised units in order; names that
    are not units (``is_unit``) are dropped."""
    units: list[Unit] = []
    generic: list[Unit] = []
    seen: set[str] = set()
    for segment in _SEGMENT_BREAK.split(_JOINT.sub("牵头，", text.strip())):
        segment = _DUTY_TAIL.sub("", segment.strip())
        lead = all_lead
        if segment.endswith("牵头"):
            segment, lead = segment[: -len("牵头")], True
        segment = _ETC_TAIL.sub("", segment)
        items = [item.strip() for item in segment.split("、") if item.strip()]
        if not items:
            continue
        prefix, _ = aliases.split_prefix(items[0])
        for item in items:
            if not is_unit(item, aliases):
                logger.debug("not a unit, dropped: %r", item)
                continue
            if _GENERIC.match(item):
                # 省有关部门 adds nothing beside named units, but is the answer when alone.
                generic.append(Unit(name=item, lead=lead))
                continue
            if prefix and not item.startswith(prefix) and aliases.is_department(item):
                item = prefix + item
            name = aliases.canonical(item)
            if name not in seen:
                seen.add(name)
                units.append(Unit(name=name, lead=lead))
    return tuple(units or generic[:1])


# A body that can be responsible for a task: a ministry, commission, bureau, office, government,
# committee, centre, bank… (the longer endings first, so 行政部门 wins over 部); a body's own
# office (国务院办公厅, …指挥部办公室) is the body named (the group is atomic: 部门 followed by
# 办公厅 does not fall back to 部); 办 ends no name in 办理, 办法, 办园, 办结…, 承办, 举办, 查办
# (督查办 is one), 创办 (双创办 is one), nor 委 in 委托, 局 in 局部 (…局部署 ends in 局), 院 in
# 院校 (泄露委托人的… names no 泄露委).
_UNIT_END = re.compile(r"(?>行政部门|主管部门|部门|委员会|管委会|办公室|办公厅|人民政府|政府|中心|机关|银行|"
                       r"支行|海关|(?<!局)部|委(?!托)|局(?!部(?![署门]))|厅|"
                       r"(?<![承举开兴包代协主民公])(?<!(?<!督)查)(?<!(?<!双)创)"
                       r"办(?![理法事公学园案件结好成])|署|院(?!校))"
                       r"(?!办公厅|办公室|长(?![期江效远久沙春度])|员)")
# Where a name cannot start: words that join, point, define or govern before it (由教育部, 移交
# 当地…, 是指各级…).
_BEFORE_UNIT = re.compile(r".*(?:由|和|与|及|向|给|交|在|把|将|对|为|是指|是|经|按|要|应(?!急)|并|或|至|同|请|"
                          r"会同|牵头|负责|组成|成员|设在|设立|报送|报)")
_GOVERNMENT = ("国务院", "政府")
_DEPARTMENT = ("部门", "机关", "机构")
"""A government and, right after it, a department of its own (国务院专利行政部门)."""
_NOT_UNITS = frozenset({"全部", "部分", "内部", "外部", "局部", "干部", "本部", "本部门", "总部", "各部", "有关部门",
                        "相关部门", "各部门", "各有关部门", "部门", "政府", "人民政府", "中心", "机关",
                        "各级政府", "地方政府", "本级政府", "上级政府", "当地政府"})


def _named(name: str) -> bool:
    """A name of a body, not a phrase pointing at bodies (等…, 各…, 有关…, 本…)."""
    return not name.startswith(("等", "各", "有关", "相关", "所称", "本"))


def named_units(text: str, known: Iterable[str] = ()) -> tuple[str, ...]:
    """Bodies that ``text`` names in running prose (成员由教育部、住房城乡建设部…组成; 移交当地
    教育行政部门), in order: names ending as responsible bodies do, or known unit names."""
    found: list[str] = []
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        start, parent, added = 0, "", False
        for match in _UNIT_END.finditer(run):
            candidate = run[start: match.end()]
            before = _BEFORE_UNIT.match(candidate[: -len(match.group(0))] or "")
            name = candidate[before.end():] if before else candidate
            start = match.end()
            if parent and not before and name.endswith(_DEPARTMENT) and _named(name):
                # 国务院专利行政部门: a government's own department, named with it (not
                # 国务院有关部门, which names no department).
                name, ended = parent + name, parent
                if added:
                    found.remove(ended)
                if name not in found:
                    found.append(name)
                parent, added = "", False
                continue
            parent, added = "", False
            if 3 <= len(name) <= 14 and name not in _NOT_UNITS and _named(name):
                added = name not in found
                if added:
                    found.append(name)
                parent = name if name.endswith(_GOVERNMENT) else ""
    for name in known:
        if name in text and name not in found:
            found.append(name)
    return tuple(found)
