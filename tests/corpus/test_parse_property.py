"""Properties of the parser on generated notices: it never raises, and it loses no wording."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contract.errors import InputError
from corpus.document import Document
from corpus.parse import parse_notice
from corpus.text import is_cjk

CJK = "放管服改革养老机构许可备案省民政厅住建厅牵头负责按职责分工年底前到取消实行以下任务均需落实甲乙"
PUNCT = "。，；、：（）()“”《》〔〕 \u3000"
SAFE_START = "甲乙放管服改革养老"

# Arbitrary text with the characters that drive the parser.
noise = st.text(alphabet=CJK + PUNCT + "0123456789一二三四五六七八九十第条章附件\n\r\t", max_size=400)

content = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(SAFE_START),
    st.text(alphabet=CJK + PUNCT + "0123456789", max_size=60),
)
LEVELS = ["section", "clause", "item", "article", "chapter", "text", "text"]
NUMERALS = "一二三四五六七八九十"


def _numbered(lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Give each structural line the next number of its level, as a well-formed notice does."""
    counters = dict.fromkeys(LEVELS, 0)
    out = []
    for level, body in lines:
        counters[level] += 1
        n = counters[level]
        cn = NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]
        marker = {"section": f"{cn}、", "clause": f"（{cn}）", "item": f"{n}.",
                  "article": f"第{cn}条", "chapter": f"第{cn}章 ", "text": ""}[level]
        out.append((marker, body))
    return out


line = st.tuples(st.sampled_from(LEVELS), content)


def _stream(document: Document) -> str:
    """The document's words in order: each section's title once, then each clause's text."""
    parts: list[str] = []
    section: tuple[str, str] | None = None
    for clause in document.clauses:
        if clause.kind == "appendix_task":
            continue
        key = (clause.clause_id.split(".")[0], clause.section)
        if key != section:
            parts.append(clause.section)
            section = key
        parts.append(clause.text)
    parts.append(document.closing)
    return "".join(parts)


def _is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(char in it for char in needle)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noise)
@example("附件")  # only an appendix heading: found by this test, now its own body
def test_never_raises_on_arbitrary_text(text: str) -> None:
    try:
        document = parse_notice(text, doc_id="x")
    except InputError:
        assert not text.strip(" \n\r\t\u3000")
        return
    assert document.clauses
    assert len({c.clause_id for c in document.clauses}) == len(document.clauses)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, min_size=1, max_size=20).map(_numbered))
def test_clause_texts_keep_every_chinese_character_in_order(lines: list[tuple[str, str]]) -> None:
    text = "\n".join(marker + body for marker, body in lines)
    document = parse_notice(text, doc_id="x")
    words = "".join(c for _, body in lines for c in body if is_cjk(c))
    stream = "".join(c for c in _stream(document) if is_cjk(c))
    assert _is_subsequence(words, stream)
