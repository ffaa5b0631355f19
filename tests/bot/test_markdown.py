"""WeCom and DingTalk markdown: limits as each channel measures, nothing of a notice read as
markup, splits between clauses, buttons within the ActionCard's count."""

from __future__ import annotations

import html
import re
from typing import Any

import markdown_it
from hypothesis import given
from hypothesis import strategies as st

from bot import reply as r
from bot.markdown import (
    BUTTON_TITLE,
    DINGTALK_LIMIT,
    MAX_CARD_BUTTONS,
    TITLE_LIMIT,
    WECOM_LIMIT,
    DingTalkActionCard,
    DingTalkMarkdown,
    dingtalk,
    dingtalk_card,
    escape,
    utf8_size,
    utf16_size,
    wecom,
)
from contract.answer import Unit

HOSTILE = ('月球<i>旅游</i>签证 **加粗** __下划__ [链接](http://x.test/a_b) ![图](x.png) '
           '`code` # 标题 > 引用 &amp; &lt; ~~删除~~ |表|格| \\*转义\\* <font color="info">绿</font>')
SPECIALS = set("\\*_[]()#<>&`~|")
_BACK = str.maketrans("＼＊＿［］（）＃＜＞＆｀～｜－＋＝．", "\\*_[]()#<>&`~|-+=.")


def _cited(i: int, quote: str = "取消许可；") -> r.Cited:
    return r.Cited(doc_id="d", clause_id=f"{i}.1", label=f"第{i}项任务", quote=quote,
                   doc_title="某方案", units=(Unit(name="市数据局", lead=True),),
                   deadline="2099年底前")


def _visible(markdown: str) -> str:
    return markdown.translate(_BACK)


# -- escaping ------------------------------------------------------------------------------


def test_escape_leaves_nothing_to_interpret() -> None:
    escaped = escape(HOSTILE)
    assert not SPECIALS & set(escaped)
    assert escaped.startswith("月球＜i＞旅游＜/i＞签证 ＊＊加粗＊＊")
    assert "＆amp; ＆lt;" in escaped  # an entity in the notice shows as written
    assert _visible(escaped) == HOSTILE  # the same characters, in their full-width forms


def test_line_and_sentence_starts_start_no_list_or_heading() -> None:
    assert escape("- 甲\n+ 乙\n== 丙\n1. 丁\n  2) 戊") == "－ 甲\n＋ 乙\n＝= 丙\n1． 丁\n2） 戊"
    assert escape("完成。- 下一句；3.第三") == "完成。－ 下一句；3．第三"
    assert escape("增长1.5倍，2021-2025年") == "增长1.5倍，2021-2025年"  # not at a start
    assert escape("1.5亿元") == "1.5亿元"  # a number, not a list


@given(st.text())
def test_escape_changes_only_the_form_of_characters(text: str) -> None:
    escaped = escape(text)
    assert not SPECIALS & set(escaped)
    expected = re.sub(r"(?m)^[ \t]+", "", text)  # indentation (a code block) is dropped
    assert _visible(escaped) == expected.translate(_BACK)


def test_a_commonmark_parser_reads_no_markup_in_a_hostile_notice() -> None:
    reply = r.Reply((r.Lead(HOSTILE, notes=(HOSTILE,)), r.Cited(
        doc_id="x", clause_id="1.1", label=HOSTILE, quote=HOSTILE, doc_title=HOSTILE,
        units=(Unit(name="<b>单位</b>"),), deadline="**明天**"),
        r.FullClause(doc_id="x", clause_id="1.1", label=HOSTILE, text=f"{HOSTILE}\n- {HOSTILE}"),
        r.Plain(HOSTILE)))
    for text in [m.content for m in wecom(reply)] + [m.text for m in dingtalk(reply)]:
        rendered = markdown_it.MarkdownIt("commonmark").enable("strikethrough").render(text)
        tags = set(re.findall(r"<(\w+)", rendered))
        assert tags <= {"p", "strong", "blockquote", "br", "font"}, tags
        # Only the renderer's own colours: the notice's <font color="info"> is text.
        assert set(re.findall(r'<font color="(\w+)"', rendered)) <= {"comment", "warning"}
        visible = html.unescape(re.sub(r"<[^>]+>", "", rendered))
        assert _visible(HOSTILE) in _visible(visible)


# -- limits and splitting ------------------------------------------------------------------


def test_wecom_splits_between_clauses_within_4096_bytes() -> None:
    blocks: tuple[r.Block, ...] = (
        r.Lead("市数据局", rest=" 负责 40 项任务（牵头 40 项）："),
        *(_cited(i, "推进政务数据共享与业务协同，" * 12 + "。") for i in range(40)))
    messages = [m.content for m in wecom(r.Reply(blocks))]
    assert len(messages) > 1 and all(utf8_size(m) <= WECOM_LIMIT for m in messages)
    assert all(m.startswith("📄 **第") for m in messages[1:])  # every later message starts a clause
    assert sum(m.count("📄") for m in messages) == 40
    assert all(m.count('<font color="warning">') == m.count("</font>") - m.count("comment")
               for m in messages)


def test_wecom_counts_bytes_not_characters() -> None:
    # 2000 characters, 6000 bytes: over WeCom's limit though far under Telegram's.
    messages = wecom(r.plain("政" * 2000))
    assert len(messages) == 2 and all(utf8_size(m.content) <= WECOM_LIMIT for m in messages)


def test_dingtalk_counts_utf16_units() -> None:
    messages = dingtalk(r.plain("😀" * 3000))  # 3000 characters, 6000 UTF-16 units
    assert len(messages) == 2 and all(utf16_size(m.text) <= DINGTALK_LIMIT for m in messages)


def test_huge_clause_is_cut_between_sentences() -> None:
    clause = r.FullClause(doc_id="d", clause_id="11.1", label="十一、（一）", text="这是一句话。" * 2000,
                          doc_title="某通知")
    for texts in ([m.content for m in wecom(r.Reply((clause,)))],
                  [m.text for m in dingtalk(r.Reply((clause,)))]):
        assert len(texts) >= 3
        assert all(t.endswith("。") for t in texts[:-1])
        assert "".join(texts).count("这是一句话。") == 2000


def test_a_cut_inside_a_sentence_starts_no_list() -> None:
    texts = [m.content for m in wecom(r.plain("甲-" * 3000))]  # one "sentence", 12000 bytes
    assert len(texts) > 1 and all(not t.startswith("-") for t in texts)
    assert "".join(texts) == "甲-" * 3000


@given(st.lists(st.text(min_size=1, max_size=3000), min_size=1, max_size=5))
def test_every_character_kept_within_both_limits(texts: list[str]) -> None:
    reply = r.Reply(tuple(r.Plain(t) for t in texts if t.strip()) or (r.Plain("x"),))
    wecom_texts = [m.content for m in wecom(reply)]
    dingtalk_texts = [m.text for m in dingtalk(reply)]
    assert all(utf8_size(t) <= WECOM_LIMIT for t in wecom_texts)
    assert all(utf16_size(t) <= DINGTALK_LIMIT for t in dingtalk_texts)
    for out in (wecom_texts, dingtalk_texts):
        kept = "".join("".join(t.split()) for t in out)
        assert kept.translate(_BACK).replace("　", "") == "".join(
            "".join(b.text.split()) for b in reply.blocks if isinstance(b, r.Plain)
        ).translate(_BACK)


# -- actions -------------------------------------------------------------------------------


def _link(action: r.Action) -> str | None:
    return f"https://bot.test/press?d={action.payload}&x=(1) [2]" if action.kind != "related" \
        else None


ANSWER = r.Reply((r.Lead("不需要。"), _cited(7)), ((
    r.Action("clause", "查看原文", "c|abcdef.01234567.7.1"),
    r.Action("related", "相关条款", "m|abcdef.01234567.2.2~4")),), title="不需要。")
SUGGESTED = r.Reply((r.Plain("没有找到。"), r.Plain("您可以试试这些问题：")), tuple(
    (r.Action("ask", f"第{i}个建议问题是一个相当长的问题，超过了按钮标题的长度", f"q|0123abcd|{i}",
              question=f"第{i}个建议问题是一个相当长的问题，超过了按钮标题的长度"),)
    for i in range(6)), title="没有在已收录的政策文件中找到能回答这个问题的内容，" * 3)


def test_wecom_actions_are_safe_links_or_listed_questions() -> None:
    (linked,) = wecom(ANSWER, _link)
    assert "[查看原文](https://bot.test/press?d=c%7Cabcdef.01234567.7.1&x=%281%29%20%5B2%5D)" \
        in linked.content
    assert "相关条款" not in linked.content  # no link for it: left out
    (unlinked,) = wecom(SUGGESTED)
    assert unlinked.content.count("• 第") == 6 and "](" not in unlinked.content


def test_dingtalk_card_carries_at_most_four_buttons() -> None:
    (card,) = dingtalk_card(SUGGESTED, _link)
    assert isinstance(card, DingTalkActionCard)
    assert len(card.buttons) == MAX_CARD_BUTTONS
    assert all(len(b.title) <= BUTTON_TITLE for b in card.buttons)
    assert card.buttons[0].action_url == _link(SUGGESTED.buttons[0])
    assert card.text.count("](https://bot.test/press?d=q%7C0123abcd%7C") == 2  # the other two
    assert len(card.title) <= TITLE_LIMIT
    body: dict[str, Any] = card.body()
    assert body["msgtype"] == "actionCard"
    assert [b["title"] for b in body["actionCard"]["btns"]] == [b.title for b in card.buttons]
    assert body["actionCard"]["text"] == card.text


def test_dingtalk_card_goes_under_the_last_message_only() -> None:
    long = r.Reply(tuple(_cited(i, "很长的引文。" * 200) for i in range(6)), ANSWER.actions)
    messages = dingtalk_card(long, _link)
    assert len(messages) > 1
    assert all(isinstance(m, DingTalkMarkdown) for m in messages[:-1])
    assert isinstance(messages[-1], DingTalkActionCard) and len(messages[-1].buttons) == 1
    assert all(utf16_size(m.text) <= DINGTALK_LIMIT for m in messages)


def test_dingtalk_card_without_links_is_markdown() -> None:
    messages = dingtalk_card(ANSWER, lambda action: None)
    assert [type(m) for m in messages] == [DingTalkMarkdown]
    assert messages[0].body() == {"msgtype": "markdown", "markdown": {
        "title": "不需要。", "text": messages[0].text}}
