"""Qualifying conditions: an asker who gives a figure of their own (今年76岁, 已交了5个月, 员工
30人) is asking whether they qualify, so a close clause that sets a condition on that measure
(年满60岁的, 累计缴纳36个月以上的) settles the question better than one that only names the
benefit. The conditions are read as :mod:`engine.condition` reads them."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from engine.condition import asked, bounds, named_bounds
from engine.question import Question
from index.search import Hit

# Of the first HITS hits, one of the best hit's document scoring at least SCORE of it that sets
# a condition on a measure the question gives, where the best sets none on that measure, answers
# instead. Only within one document: there, another article sets the conditions of the benefit
# the first one grants; another document's figure is about something else.
HITS, SCORE = 3, 0.7
_CACHED = 8192
"""Clause and sentence texts whose conditions are kept read."""


def qualifying_first(q: Question, hits: list[Hit]) -> list[Hit]:
    """Of a yes/no question, the close hit conditioning a measure of the asker's figures that
    the first hit does not condition moves first, its sentences setting the condition first; a
    first hit that conditions one stays first, with those sentences first."""
    if q.kind != "yesno":
        return hits  # 我76岁，每月发多少: the amount answers, not the age condition
    given = frozenset(bound.measure for bound in asked(q.normalized))
    if not given or not hits:
        return hits
    own = given & _conditioned(hits[0].clause.text)
    if own:
        # The first hit conditions the figure itself (年满3岁至…, after the amount it grants):
        # that sentence is what settles the question.
        return [_condition_quoted(hits[0], own), *hits[1:]]
    for i, hit in enumerate(hits[1:HITS], 1):
        if hit.clause.doc_id == hits[0].clause.doc_id and hit.score >= SCORE * hits[0].score \
                and _conditioned(hit.clause.text) & given:
            return [_condition_quoted(hit, given), *hits[:i], *hits[i + 1:]]
    return hits


def _condition_quoted(hit: Hit, measures: frozenset[str]) -> Hit:
    """The hit with its sentences that set the condition first: they are what the verdict reads
    and the answer quotes (年满3岁至小学入学前…, not the amount the clause grants)."""
    setting = [i for i, sentence in enumerate(hit.clause.sentences)
               if _conditioned(sentence.text) & measures]
    rest = [i for i in hit.sentences or range(len(hit.clause.sentences)) if i not in setting]
    return replace(hit, sentences=(*setting, *rest))


@lru_cache(maxsize=_CACHED)
def _conditioned(text: str) -> frozenset[str]:
    """The measures a clause's text sets conditions on (cached, within a bound: the same
    clauses come up for question after question)."""
    return frozenset(bound.measure for bound in (*bounds(text), *named_bounds(text)))
