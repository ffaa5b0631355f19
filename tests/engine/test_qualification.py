"""Qualifying conditions: an asker's own figure brings forward the close clause of the same
notice that sets a condition on it."""

from __future__ import annotations

from corpus.document import Clause, Sentence
from corpus.text import split_sentences
from engine.qualification import qualifying_first
from engine.verdict import decide, load_signals
from index.search import Hit
from tests.engine.test_verdict import Places, q

# A made-up notice: one article grants the allowance, another says who receives it.
GRANT = "长寿补贴按照每人每月200元的标准发放。长寿补贴所需资金由市级财政承担。"
WHO = "申领人应当在每年3月底前提交材料。本办法所称长寿老人是指年满80岁的本市户籍老人。"


def _hit(clause_id: str, text: str, score: float, doc_id: str = "d") -> Hit:
    sentences = tuple(Sentence(text=s) for s in split_sentences(text))
    clause = Clause(doc_id=doc_id, clause_id=clause_id, kind="clause", label=clause_id,
                    text=text, sentences=sentences)
    return Hit(clause=clause, score=score, sentences=tuple(range(len(sentences))))


def _ids(hits: list[Hit]) -> list[str]:
    return [h.clause.clause_id for h in hits]


def test_the_clause_setting_the_askers_age_answers_first_quoting_the_condition() -> None:
    question = q("我奶奶今年76岁，每月200元那份长寿补贴能领吗？")
    hits = [_hit("5", GRANT, 0.18), _hit("9", "其他事项另行规定。", 0.17), _hit("6", WHO, 0.15)]
    moved = qualifying_first(question, hits)
    assert _ids(moved) == ["6", "5", "9"]
    # The sentence setting the age comes first: it is what the verdict reads and the reply quotes.
    assert moved[0].clause.sentences[moved[0].sentences[0]].text.startswith("本办法所称")
    reading = decide(question, [moved[0].clause.sentences[moved[0].sentences[0]].text], [],
                     load_signals(), Places())
    assert reading.verdict == "no"


def test_nothing_moves_without_a_figure_or_a_close_conditioning_clause() -> None:
    hits = [_hit("5", GRANT, 0.18), _hit("6", WHO, 0.15)]
    # No figure of the asker's own.
    assert qualifying_first(q("长寿补贴能领吗？"), hits) == hits
    # A figure of another measure than the one the clause conditions.
    assert qualifying_first(q("我家今年收入3万元，长寿补贴能领吗？"), hits) == hits
    # Scoring far below the first hit.
    far = [hits[0], _hit("6", WHO, 0.05)]
    assert qualifying_first(q("我奶奶今年76岁，长寿补贴能领吗？"), far) == far
    # Another notice's condition is about something else.
    other = [hits[0], _hit("6", WHO, 0.15, doc_id="e")]
    assert qualifying_first(q("我奶奶今年76岁，长寿补贴能领吗？"), other) == other


def test_the_first_hit_conditioning_the_figure_stays_first_quoting_the_condition() -> None:
    hits = [_hit("6", WHO, 0.18), _hit("7", "年满90岁的，标准提高至每月300元。", 0.17)]
    moved = qualifying_first(q("我奶奶今年76岁，长寿补贴能领吗？"), hits)
    assert _ids(moved) == ["6", "7"]
    assert moved[0].sentences == (1, 0)  # 本办法所称长寿老人是指年满80岁…, then the rest


def test_a_condition_the_askers_figure_fails_answers_no_though_the_part_shares_few_words() -> None:
    # The part names the group and refers to another article; its words are not the question's.
    question = q("我奶奶今年76岁，每月200元那份长寿补贴能领吗？")
    part = "年满80岁至90岁的本市户籍老人，按本条第一款规定执行。"
    reading = decide(question, [part], [], load_signals(), Places(), GRANT + part)
    assert reading.verdict == "no"
    # Not from a clause about something else.
    assert decide(question, [part], [], load_signals(), Places()).verdict is None
    # One who meets it is not answered from so few shared words.
    met = decide(q("我奶奶今年86岁，每月200元那份长寿补贴能领吗？"), [part], [], load_signals(),
                 Places(), GRANT + part)
    assert met.verdict != "no"


def test_a_precondition_in_the_second_option_of_a_choice_is_not_what_is_asked() -> None:
    # 现在能领，还是要等…才行: a yes answers the first option; the age is met.
    question = q("孙女上周刚满6周岁，现在能领这份补贴，还是要等她上学才行？")
    reading = decide(question, ["年满6岁至入学前的儿童领取补贴，按本条第一款规定执行。"], [],
                     load_signals(), Places())
    assert reading.verdict == "yes"


def test_a_question_for_an_amount_keeps_the_clause_holding_it() -> None:
    from corpus.units import load_aliases
    from engine.question import load_cues, understand

    question = understand("我奶奶今年76岁，长寿补贴每月发多少？", load_cues(), load_aliases(), (), ())
    hits = [_hit("5", GRANT, 0.18), _hit("6", WHO, 0.15)]
    assert qualifying_first(question, hits) == hits
