"""Items of a list of punished conduct (有下列行为之一的，…处…罚款：（一）…（二）…): doing
what an item names is not allowed, and it is punished.

The signal words come from the verdict data file (see :mod:`engine.verdict`).
"""

from __future__ import annotations

import re
from typing import Literal

from engine.question import Question
from engine.vocabulary import Vocabulary

_LIST_ITEM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")  # （三）…, 3.…


def punished(question: Question, sentences: list[str], clause: str, signals: Vocabulary
             ) -> tuple[Literal["yes", "no"], str, Literal["prohibit", "supervise"]] | None:
    """The verdict, the item and what the list does to it when the best sentence is an item
    of a list of punished conduct (出租车驾驶员有下列行为之一的，…处200元以下的罚款：（二）不按
    规定使用计价器): doing it is not allowed (可以…吗, 可以不…吗: no), and it is punished (会被
    罚吗: yes). None when the best sentence is no such item. ``clause`` is the whole text the
    sentences come from (the list's lead sentence may not be among them)."""
    if not sentences or not _LIST_ITEM.match(sentences[0]):
        return None
    lead = clause[: clause.find(sentences[0])] if sentences[0] in clause else clause
    if not (signals.has("listed_conduct", lead) and signals.has("penalty", lead)):
        return None
    item = sentences[0].rstrip("。；;")
    if question.polarity == "can":
        return "no", item, "prohibit"
    if question.polarity in ("is", "will") and signals.has("penalty", question.asking):
        return "yes", item, "supervise"
    return None
