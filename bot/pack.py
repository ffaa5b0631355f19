"""Blocks into messages, for any chat channel: as few messages as fit the channel's limit, broken
only between blocks; a block too long on its own (a very long clause) is broken between
sentences, and only a sentence longer than a whole message is cut inside.

Channels measure differently (Telegram: UTF-16 code units; WeCom: UTF-8 bytes; DingTalk:
characters), so the measure is a parameter, and so is a ``guard`` that moves a cut back before
an escape sequence it would split (Telegram's ``&amp;``). Markup sits only in short lines, so a
break never falls inside it.

API: ``pack(blocks, limit, measure, guard=no_guard, separator="\\n\\n") -> list[str]``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

Measure = Callable[[str], int]
"""A message's length as the channel counts it."""
Guard = Callable[[str, int], int]
"""Given a text and a cut position in it, the cut position moved back to split no escape."""

SENTENCE_END = re.compile(r"(?<=[。；！？!?;\n])")


def no_guard(text: str, end: int) -> int:
    """For text whose escapes are single characters: any cut is safe."""
    return end


def pack(blocks: Sequence[str], limit: int, measure: Measure, guard: Guard = no_guard,
         separator: str = "\n\n") -> list[str]:
    """Join ``blocks`` into as few messages as fit ``limit``, breaking only between blocks."""
    messages: list[str] = []
    current = ""
    gap = measure(separator)
    for block in blocks:
        joined = f"{current}{separator}{block}" if current else block
        if measure(joined) <= limit:
            current = joined
            continue
        if measure(block) <= limit:
            messages.append(current)
            current = block
            continue
        room = limit - measure(current) - gap if current else limit
        if room < limit // 10:  # too little left to be worth filling
            messages.append(current)
            current, room = "", limit
        pieces = _fit(block, room, limit, measure, guard)
        if current:
            pieces[0] = f"{current}{separator}{pieces[0]}"
        messages.extend(pieces[:-1])
        current = pieces[-1]
    if current:
        messages.append(current)
    return messages


def _fit(block: str, first: int, limit: int, measure: Measure, guard: Guard) -> list[str]:
    """``block`` in pieces: the first within ``first``, the others within ``limit``."""
    pieces: list[str] = []
    current = ""

    def room() -> int:
        return first if not pieces else limit

    for sentence in SENTENCE_END.split(block):
        while measure(current + sentence) > room():
            if current:
                pieces.append(current)
                current = ""
                continue
            cut = _cut(sentence, room(), measure, guard)  # a sentence longer than a message
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def _cut(text: str, limit: int, measure: Measure, guard: Guard) -> int:
    """The longest prefix of ``text`` within ``limit`` that splits no escape (at least one
    character, so that packing always goes on)."""
    low, high = 0, len(text)  # measure(text[:low]) <= limit < measure(text[:high])
    while high - low > 1:
        middle = (low + high) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle
    end = guard(text, low)
    return end if end > 0 else max(1, low)
