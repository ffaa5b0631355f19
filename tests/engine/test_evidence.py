"""What retrieval saw for a question, gathered for the refusal model."""

from __future__ import annotations

from dataclasses import replace

from corpus.units import load_aliases
from engine.evidence import gather
from engine.question import load_cues, understand
from index.bilingual import load_bilingual
from index.fake import HashingEncoder
from index.lexicon import load_lexicon
from index.search import HybridRetriever
from index.store import LoadedIndex


def test_an_english_phrase_the_clause_holds_whole_counts_as_covered(
        fake_index: LoadedIndex) -> None:
    retriever = HybridRetriever(fake_index, HashingEncoder(), load_lexicon(),
                                bilingual=load_bilingual())
    text = "Will the annual inspection of firms be replaced?"
    q = replace(understand(text, load_cues(), load_aliases(), (), ()), query=retriever.query(text))
    clause = next(c for c in retriever.clauses if "年检" in c.text)
    best = next(h for h in retriever.search(q.search, k=80) if h.clause is clause)
    covered = gather(q, best, [], retriever, has_type=True, title="", asks_detail=False)
    # annual inspection is 年检 as a whole; neither word is found alone.
    assert retriever.translations("annual inspection") == ["年检"]
    terms = q.query.own_terms if q.query else []
    held = clause.text + clause.label
    alone = [t for t in terms if t in held or any(e in held for e in retriever.expand([t], t))]
    assert "annual" not in alone and "inspection" not in alone
    assert covered.coverage == (len(alone) + 2) / len(terms)
