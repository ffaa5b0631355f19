"""Chat rendering: escaping, the answer layout, and splitting to Telegram's limit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.render import (
    LIMIT,
    answer_blocks,
    citation_block,
    clause_blocks,
    esc,
    messages,
    pack,
    size,
)
from bot.reply import Catalog, Cited, FullClause, Lead, Listed, Plain, Reply
from contract.answer import Answer, Citation, Unit
from corpus.document import Document
from tests.bot.standin import html_error


def _citation(label: str = "七、（一）养老", quote: str = "取消许可；", **kwargs: object) -> Citation:
    return Citation(doc_id="d", clause_id="7.1", label=label, quote=quote, text=quote, **kwargs)  # type: ignore[arg-type]


def test_escape_only_what_telegram_parses() -> None:
    assert esc('<b>"x" & y</b>') == '&lt;b&gt;"x" &amp; y&lt;/b&gt;'


def test_citation_block_marks_the_lead_and_escapes_everything() -> None:
    block = citation_block(_citation(label="<i>标签</i>", quote="a<b",
                                     units=(Unit(name="省民政厅", lead=True),
                                            Unit(name="省<卫健委>")),
                                     deadline="2021年底前"))
    assert block == ("📄 <b>&lt;i&gt;标签&lt;/i&gt;</b>（7.1）\n<blockquote>a&lt;b</blockquote>\n"
                     "责任单位：省民政厅（牵头）、省&lt;卫健委&gt;\n完成时限：2021年底前")
    assert html_error(block) is None


def test_answer_blocks_show_the_main_clause_and_extra_notes() -> None:
    answer = Answer(question="q", status="answered",
                    answer="不需要。\n依据：七、（一）…\n责任单位：省民政厅\n另：各市也需落实。",
                    citations=(_citation(), _citation(label="二、（二）")))
    blocks = answer_blocks(answer, listing=False)
    assert blocks[0] == "<b>不需要。</b>\n另：各市也需落实。"
    assert len(blocks) == 2 and "七、（一）养老" in blocks[1]
    listed = answer_blocks(answer, listing=True)
    assert listed[0] == "<b>不需要。</b>" and len(listed) == 3


def test_pack_breaks_only_between_blocks() -> None:
    blocks = [f"📄 block {i} " + "字" * 900 for i in range(10)]
    messages = pack(blocks)
    assert len(messages) > 1 and all(size(m) <= LIMIT for m in messages)
    assert all(m.startswith("📄 block") for m in messages)
    assert "\n\n".join(messages) == "\n\n".join(blocks)


def test_pack_counts_utf16_units() -> None:
    emoji = "😀" * 2100  # 4200 UTF-16 units though only 2100 characters
    messages = pack([emoji])
    assert len(messages) == 2 and all(size(m) <= LIMIT for m in messages)


def test_huge_clause_is_cut_between_sentences(fujian: Document) -> None:
    clause = fujian.clause("7.1").model_copy(update={"text": "这是一句话。" * 2000})
    messages = pack(clause_blocks(clause, fujian))
    assert len(messages) >= 3 and all(size(m) <= LIMIT for m in messages)
    assert all(m.endswith("。") for m in messages[:-1])


def test_cut_never_splits_an_entity() -> None:
    text = "&amp;" * 1000  # one "sentence" far over the limit, made of entities only
    messages = pack([text])
    assert all(size(m) <= LIMIT for m in messages)
    assert all(m.startswith("&amp;") and m.endswith("&amp;") for m in messages)
    assert "".join(messages) == text


@given(st.lists(st.text(min_size=1, max_size=3000), min_size=1, max_size=6))
def test_pack_keeps_every_character_within_the_limit(texts: list[str]) -> None:
    blocks = [esc(t) for t in texts if t.strip()]
    messages = pack(blocks)
    assert all(size(m) <= LIMIT for m in messages)
    assert "".join("".join(m.split()) for m in messages) == "".join("".join(b.split()) for b in blocks)


def test_every_block_of_a_reply_renders_as_telegram_accepts() -> None:
    hostile = '<b>"x"</b> & <script>'
    reply = Reply((Lead(hostile, rest=hostile, notes=(hostile, "")),
                   Cited(doc_id="d", clause_id="1.1", label=hostile, quote=hostile,
                         units=(Unit(name=hostile, lead=True),), deadline=hostile),
                   FullClause(doc_id="d", clause_id="1.1", label=hostile, text=hostile,
                              doc_title=hostile),
                   Catalog("收录的政策文件", (Listed("d<1>", hostile, "", 3),)),
                   Plain(hostile)))
    (message,) = messages(reply)
    assert html_error(message) is None and "<script>" not in message
    assert "• &lt;b&gt;\"x\"&lt;/b&gt; &amp; &lt;script&gt;：3 条，编号 <code>d&lt;1&gt;</code>" \
        in message
    assert message.startswith("<b>&lt;b&gt;")
