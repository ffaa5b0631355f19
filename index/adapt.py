"""Domain adaptation of the embedding model on the notices themselves (self-supervised, on CPU).

The notices pair texts that mean the same thing in different words: a clause's heading and its
body, a sentence and the rest of its clause, an appendix row and the body clause it summarises.
Fine-tuning on such pairs with in-batch negatives (each anchor against every other positive in
the batch) pulls the model towards the notices' vocabulary. The word-embedding table (250,000
rows) stays frozen: it is most of the parameters and the pairs use few of its rows.

The result is a sentence-transformers folder with a model id of its own
(``multilingual-e5-small+adapted-<corpus hash>``), so an index never mixes its vectors with the
base model's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from contract.errors import ConfigurationError
from corpus.document import Document

logger = logging.getLogger(__name__)

Pair = tuple[str, str]


def training_pairs(documents: Sequence[Document], limit: int = 400) -> list[Pair]:
    """(anchor, positive) pairs from the documents' own structure, texts cut to ``limit``."""
    pairs: list[Pair] = []
    for document in documents:
        by_id = {c.clause_id: c for c in document.clauses}
        for clause in document.clauses:
            body = clause.text[:limit]
            if len(body) < 12:
                continue
            if clause.heading and clause.heading not in (clause.text, clause.label):
                pairs.append((clause.heading, body))
            sentences = [s.text for s in clause.sentences if len(s.text) >= 12]
            for i, sentence in enumerate(sentences):
                if len(sentences) > 1:
                    rest = "".join(sentences[:i] + sentences[i + 1:])
                    pairs.append((sentence, rest[:limit]))
            if clause.kind == "appendix_task":
                for link in clause.links:
                    linked = by_id.get(link)
                    if linked is not None and len(linked.text) >= 12:
                        pairs.append((clause.text[:limit], linked.text[:limit]))
    return pairs


def corpus_key(documents: Sequence[Document]) -> str:
    """A short hash of the documents the model is adapted to."""
    digest = hashlib.sha256()
    for document in documents:
        digest.update(document.doc_id.encode())
        for clause in document.clauses:
            digest.update(clause.text.encode())
    return digest.hexdigest()[:8]


def adapt(base: Path, documents: Sequence[Document], target: Path, *, steps: int = 300,
          batch_size: int = 16, learning_rate: float = 2e-5, temperature: float = 0.05,
          seed: int = 13, progress: Callable[[int, int, float], None] | None = None) -> Path:
    """Fine-tune the model at ``base`` on pairs from ``documents`` and save it to ``target``."""
    import torch
    from sentence_transformers import SentenceTransformer

    pairs = training_pairs(documents)
    if len(pairs) < batch_size:
        raise ConfigurationError(f"too few texts to adapt the model on ({len(pairs)} pairs)")
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    model.max_seq_length = 128
    prompts = dict(model.prompts or {})
    for name, parameter in model.named_parameters():
        parameter.requires_grad = "word_embeddings" not in name
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                  lr=learning_rate)
    model.train()
    order: list[Pair] = []
    for step in range(steps):
        if len(order) < batch_size:
            order = pairs[:]
            rng.shuffle(order)
        batch, order = order[:batch_size], order[batch_size:]
        anchors = _embed(model, [a for a, _ in batch], prompts.get("query"))
        positives = _embed(model, [p for _, p in batch], prompts.get("passage"))
        scores = anchors @ positives.T / temperature
        labels = torch.arange(len(batch))
        loss = torch.nn.functional.cross_entropy(scores, labels)
        optimizer.zero_grad()
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        if progress:
            progress(step + 1, steps, float(loss))
    model.eval()
    work = target.with_name(target.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    model.save(str(work))
    (work / "policyqa_source.json").write_text(json.dumps({
        "base": str(base), "pairs": len(pairs), "steps": steps, "batch_size": batch_size,
        "learning_rate": learning_rate, "temperature": temperature, "seed": seed,
        "documents": [d.doc_id for d in documents]}, indent=2), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    return target


def _embed(model: Any, texts: list[str], prompt: str | None) -> Any:
    """Normalised sentence embeddings of ``texts``, with gradients (a torch tensor)."""
    import torch

    features = model.preprocess(texts, prompt=prompt)
    output = model(features)
    return torch.nn.functional.normalize(output["sentence_embedding"], p=2, dim=1)
