"""A yes/no verdict as read from a sentence: the record, what a part does, and the parts a
sentence is read in (see :mod:`engine.verdict`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["yes", "no"]
Action = Literal["relax", "prohibit", "restrict", "supervise", "require", "enable", "converted",
                 "curb", "extend", "schedule", "sequence", "keep", "agent", "term", "member",
                 "revise", "choice", "figure"]
SEGMENT = re.compile(r"[，；。,;：:]")
"""What separates the parts of a sentence."""
MIN_OVERLAP = 2
"""Shared character pairs between the question (with its expansions) and a part for the part
to be about it."""


@dataclass(frozen=True)
class Reading:
    """A verdict and the part of the sentence it rests on."""

    verdict: Verdict | None
    segment: str = ""
    action: Action | None = None
    """What that part does (None when it does none of the things read here)."""
    trial: bool = False
    """The part only pilots what it says (在…试点)."""
    turned: bool = False
    """The verdict answers a negated supposition (总不会还得…吧): yes means "right, it is not so"."""


def names(text: str, word: str) -> bool:
    """``text`` names ``word``: holds it whole, or one of its character pairs (检测 of
    检测结果)."""
    return word in text or any(word[i:i + 2] in text for i in range(len(word) - 1))


def segments(sentence: str) -> list[str]:
    """The comma- and semicolon-separated parts of a sentence."""
    return [s for s in (p.strip() for p in SEGMENT.split(sentence)) if s]
