"""Cleaning of PDF-extracted notice text without changing a character of the wording.

PDF extraction leaves spaces inside quotes and around numbers (``“六稳 ”``, ``2021 年底前``),
mixes full-width and ASCII spaces, and breaks sentences across lines. Cleaning removes
whitespace except where it separates two ASCII words, and rejoins lines that were broken in
the middle of a sentence; every other character is kept as it is.
"""

from __future__ import annotations

import re

# Whitespace of any width, including the ideographic space and NBSP.
_SPACE_RUN = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")

# A line ending in one of these ends a paragraph; anything else was broken mid-sentence.
PARAGRAPH_END = "。！？；：!?;:）)”」』"

# Lines that never continue the line before or after them.
_STANDALONE = re.compile(
    r"^(?:\d{4}年\d{1,2}月\d{1,2}日|发布日期.*|[（(]此件.*[）)]|[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号)$")
_TITLE_END = re.compile(r"(?:通知|意见|方案|办法|规定|决定|条例|批复|复函|函|细则|规划|要点|分工表)$")
_INNER_PUNCT = re.compile(r"[，。；：,;:]")
_SHORT_LINE = 12  # signatures and names; a line broken mid-sentence is longer

SENTENCE_END = "。！？；!?;"
_OPEN = "（(“「『《〔【"
_CLOSE = "）)”」』》〕】"


def clean_line(line: str) -> str:
    """Drop the whitespace in a line unless it separates two ASCII letters or digits."""

    def keep_or_drop(match: re.Match[str]) -> str:
        start, end = match.span()
        before = line[start - 1] if start > 0 else ""
        after = line[end] if end < len(line) else ""
        if before and after and _ASCII_WORD.match(before) and _ASCII_WORD.match(after):
            return " "
        return ""

    return _SPACE_RUN.sub(keep_or_drop, line).strip()


def _stands_alone(line: str) -> bool:
    """A line that is a block of its own: a date, a title, a signature, a metadata field."""
    return bool(_STANDALONE.match(line)) or (
        len(line) <= _SHORT_LINE and not _INNER_PUNCT.search(line)
    ) or (bool(_TITLE_END.search(line)) and not _INNER_PUNCT.search(line))


def join_lines(lines: list[str]) -> str:
    """Join cleaned lines: a line broken mid-sentence is rejoined, a paragraph end keeps ``\\n``."""
    out = ""
    previous = ""
    for line in lines:
        if not line:
            continue
        if not out:
            out = line
        elif out[-1] in PARAGRAPH_END or _stands_alone(previous) or _STANDALONE.match(line):
            out += "\n" + line
        elif _ASCII_WORD.match(out[-1]) and _ASCII_WORD.match(line[0]):
            out += " " + line
        else:
            out += line
        previous = line
    return out


def clean_text(text: str) -> str:
    """Clean a multi-line text: each line cleaned, broken lines rejoined."""
    return join_lines([clean_line(line) for line in text.splitlines()])


def split_sentences(text: str) -> list[str]:
    """Split text into sentences on 。！？； and line breaks, never inside brackets or quotes."""
    sentences: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "\n" and depth == 0:
            _flush(current, sentences)
            continue
        current.append(char)
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif char in SENTENCE_END and depth == 0:
            _flush(current, sentences)
    _flush(current, sentences)
    return sentences


def _flush(current: list[str], sentences: list[str]) -> None:
    sentence = "".join(current).strip()
    if sentence:
        sentences.append(sentence)
    current.clear()


def is_cjk(char: str) -> bool:
    """True for a CJK unified ideograph (the characters the wording is made of)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"
