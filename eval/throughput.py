"""Embedding throughput of an index build, and what each change to it gave.

    python -m eval.throughput [--corpus FILE…] [--slices 8] [--batch-sizes 4 8 16 32]

Embeds the passages of the corpus (by default the 61 notices of ``var/index61``) with the
ONNX encoder, in several ways, and prints passages per second (vectors made, over the time
spent in the model) for each:

- ``before``: every passage, batches of 8 in order of characters (the build before this work);
- ``distinct``: each distinct text once (the build now repeats no text);
- ``by tokens, batch N``: distinct texts, batches of N in order of tokens (the encoder now).

This VM's speed drifts by a third from one minute to the next, so the ways take turns: the
passages are cut into ``--slices`` interleaved slices of the same length mix, and every way
embeds one slice before any embeds the next (their order rotating from slice to slice). Only
the ratios between the ways mean much; no test asserts a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus.reader import read_documents
from index.encoder import Encoder
from index.graph import graph_path
from index.model import DEFAULT_MODEL, resolve_model
from index.onnx_encoder import OnnxEncoder
from index.store import document_passages

REPO = Path(__file__).resolve().parent.parent
CORPUS61 = (REPO / "corpus" / "fujian_2021_fangguanfu.txt", REPO / "corpus" / "govcn_2018_2019.jsonl")
BASELINE_BATCH = 8

Way = Callable[[Sequence[str]], object]


def ways(encoders: dict[int, Encoder]) -> dict[str, tuple[Way, bool]]:
    """Each way of embedding a list of passages, and whether it takes distinct texts only.

    ``before`` feeds the encoder groups of ``BASELINE_BATCH`` texts in order of characters, one
    call per group, which is exactly how it batched before it ordered by tokens.
    """
    baseline = encoders[BASELINE_BATCH]

    def by_characters(texts: Sequence[str]) -> None:
        ordered = sorted(texts, key=len)
        for start in range(0, len(ordered), BASELINE_BATCH):
            baseline.encode(ordered[start: start + BASELINE_BATCH], "passage")

    out: dict[str, tuple[Way, bool]] = {"before": (by_characters, False),
                                        "distinct": (by_characters, True)}
    for size, encoder in encoders.items():
        out[f"by tokens, batch {size}"] = (_passages(encoder), True)
    return out


def _passages(encoder: Encoder) -> Way:
    return lambda texts: encoder.encode(texts, "passage")


def measure(texts: Sequence[str], encoders: dict[int, Encoder], slices: int
            ) -> dict[str, tuple[int, float]]:
    """Per way: passages embedded and seconds in the model, over interleaved slices."""
    chosen = ways(encoders)
    totals = {name: (0, 0.0) for name in chosen}
    names = list(chosen)
    for number in range(slices):
        part = list(texts[number::slices])
        distinct = list(dict.fromkeys(part))
        turn = names[number % len(names):] + names[:number % len(names)]
        for name in turn:
            way, unique = chosen[name]
            started = time.perf_counter()
            way(distinct if unique else part)
            passages, seconds = totals[name]
            totals[name] = (passages + len(part), seconds + time.perf_counter() - started)
        print(f"slice {number + 1}/{slices}: " + ", ".join(
            f"{n} {p / s:.1f}/s" for n, (p, s) in totals.items()), file=sys.stderr, flush=True)
    return totals


def report(totals: dict[str, tuple[int, float]], texts: Sequence[str]) -> str:
    """The table: passages per second per way, and the change against ``before``."""
    base = totals["before"][0] / totals["before"][1]
    lines = [f"{len(texts)} passages, {len(set(texts))} distinct texts",
             f"{'way':24s} {'seconds':>8s} {'passages/s':>11s} {'vs before':>10s}"]
    for name, (passages, seconds) in totals.items():
        rate = passages / seconds
        lines.append(f"{name:24s} {seconds:8.1f} {rate:11.1f} {rate / base - 1:+10.1%}")
    return "\n".join(lines)


def open_encoders(cache_dir: Path, sizes: Sequence[int]) -> dict[int, Encoder]:
    """The default model's ONNX encoder, once per batch size (the graph built by
    ``policyqa model build``)."""
    model = resolve_model(DEFAULT_MODEL, cache_dir)
    graph = graph_path(model, cache_dir, DEFAULT_MODEL)
    if not graph.is_file():
        raise SystemExit(f"no ONNX graph at {graph}; run: policyqa model build")
    return {size: OnnxEncoder(model, graph, DEFAULT_MODEL, batch_size=size)
            for size in sorted({BASELINE_BATCH, *sizes})}


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--corpus", nargs="+", type=Path, default=list(CORPUS61))
    parser.add_argument("--slices", type=int, default=8)
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[4, 8, 16, 32])
    parser.add_argument("--cache-dir", type=Path, default=Path(os.environ.get(
        "POLICYQA_CACHE_DIR", Path.home() / ".cache" / "policyqa")))
    args = parser.parse_args(argv)
    texts = [t for d in read_documents(args.corpus) for t in document_passages(d)[1]]
    encoders = open_encoders(args.cache_dir, args.batch_sizes)
    for encoder in encoders.values():  # warm up: the first calls allocate
        encoder.encode(texts[:16], "passage")
    print(report(measure(texts, encoders, max(1, args.slices)), texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
