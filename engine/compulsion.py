"""A choice left to the one who acts (落实船方自主决定使用拖轮规定, 企业自愿参加): a question
whether they can be made to do it, or must (码头能否强制船舶用拖轮, 非得参加吗), is
answered no by the part that leaves it to them.

The part must name the act the question asks about (two character pairs shared with the
question or its expansions, the choice words aside); an English question reaches the
compulsion word through its glossary expansions (compulsory → 强制).
"""

from __future__ import annotations

from collections.abc import Iterable

from corpus.links import bigrams
from engine.question import Question
from engine.reading import Reading, segments
from engine.vocabulary import Vocabulary

_SHARED = 2  # character pairs a part must share with the question to name its act


def left_to_them(question: Question, sentences: Iterable[str], expansions: Iterable[str],
                 signals: Vocabulary) -> Reading | None:
    """No when the question asks whether one can be compelled (or must) and a part of the best
    sentences leaves that act to one's own choice; None otherwise."""
    if question.kind != "yesno" or question.stance == "adverse":
        return None
    expanded = " ".join(expansions)
    compelled = signals.has("compel", question.asking) or \
        (question.english and signals.has("compel", expanded))
    if not compelled:
        return None
    choice = signals.words.get("own_choice", ())
    asked = bigrams(question.asking + " " + expanded)
    for sentence in sentences:
        for part in segments(sentence):
            if not signals.has("own_choice", part):
                continue
            rest = part
            for word in choice:
                rest = rest.replace(word, " ")
            if len(asked & bigrams(rest)) >= _SHARED:
                return Reading("no", part, "restrict")
    return None
