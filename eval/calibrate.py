"""Fit the refusal model (``policyqa calibrate``): evidence for questions the notices answer and
for questions they do not, over one or more indexes.

Answerable: the in-scope gold questions whose document is in the index. Unanswerable: the
out-of-scope gold questions, the general government-service questions of
``eval/data/refusal_negatives.jsonl`` (written for training, never scored), and in-scope questions
about documents the index does not hold (State Council questions against the Fujian index). Sets
that have halves give only their ``tune`` half: the ``test`` half is never fitted on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from contract.errors import InputError
from engine.answerer import Answerer
from engine.refusal import Evidence
from eval.gold import GOLD_DIR, GoldQuestion

NEGATIVES_FILE = Path(__file__).parent / "data" / "refusal_negatives.jsonl"
# govcn_jiuye (国发〔2018〕39号, employment) is left out: its topics overlap the Fujian plan's
# employment section, so its questions are no negatives against the Fujian index.
DEFAULT_CALIBRATION = tuple(GOLD_DIR / f"{name}.jsonl"
                            for name in ("fujian", "citizens", "govcn", "citizens2", "govcn2"))


def load_negatives(path: Path) -> list[str]:
    """Questions the notices do not answer, one JSON object with a ``question`` per line."""
    try:
        return [json.loads(line)["question"] for line in
                path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: cannot read the negatives: {exc}") from exc


def examples(answerer: Answerer, documents: set[str], gold: Iterable[GoldQuestion],
             negatives: Sequence[str]) -> list[tuple[Evidence, bool]]:
    """(evidence, answerable) for every usable question against one index.

    List questions are left out: they are answered from clause data, never refused on evidence.
    """
    out: list[tuple[Evidence, bool]] = []
    for q in gold:
        if q.split == "test" or q.kind.startswith("list"):
            continue
        answerable = q.in_scope and (q.doc_id is None or q.doc_id in documents)
        evidence = answerer.evidence(q.question)
        if evidence is not None:
            out.append((evidence, answerable))
    for question in negatives:
        try:
            evidence = answerer.evidence(question)
        except InputError:
            continue  # nothing visible in it: refused before retrieval
        if evidence is not None:
            out.append((evidence, False))
    return out
