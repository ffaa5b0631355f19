"""Embedding throughput of an index build, and what each change to it gave.

    python -m eval.throughput [--corpus FILE…] [--slices 24] [--batch-sizes 4 8 16]

Embeds the passages of the corpus (by default the 61 notices of ``var/index61``) with the
ONNX encoder, in several ways, and prints passages per second (vectors made, over the time
spent in the model) for each:

- ``before``: every passage, batches of 8 in order of characters (the build before this work);
- ``distinct``: each distinct text once (the build now repeats no text);
- ``by tokens, batch N``: distinct texts, batches of N in order of tokens (the encoder now).

This VM's speed drifts by a third from one minute to the next (and other jobs share its two
cores), so the ways take turns: the passages are cut into ``--slices`` slices (by a hash of the
text, so that a text and its repeats fall in the same slice and each slice repeats as much as
the corpus), and every way embeds one slice before any embeds the next, their order rotating
from slice to slice. Besides each way's overall rate the table gives the median, over the
slices, of its rate divided by ``before``'s on the same slice, which a drift between slices does
not move. No test asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import zlib
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


Run = tuple[int, float, float]
"""Passages embedded, wall-clock seconds, CPU seconds (all of the process's threads)."""


def measure(texts: Sequence[str], encoders: dict[int, Encoder], slices: int
            ) -> dict[str, list[Run]]:
    """Per way and slice: passages embedded and the time the model took."""
    chosen = ways(encoders)
    runs: dict[str, list[Run]] = {name: [] for name in chosen}
    names = list(chosen)
    for number in range(slices):
        part = [t for t in texts if zlib.crc32(t.encode("utf-8")) % slices == number]
        distinct = list(dict.fromkeys(part))
        turn = names[number % len(names):] + names[:number % len(names)]
        for name in turn:
            way, unique = chosen[name]
            started, cpu = time.perf_counter(), time.process_time()
            way(distinct if unique else part)
            runs[name].append((len(part), time.perf_counter() - started,
                               time.process_time() - cpu))
        print(f"slice {number + 1}/{slices}: " + ", ".join(
            f"{n} {r[-1][0] / r[-1][1]:.1f}/s ({r[-1][0] / r[-1][2]:.1f}/CPU-s)"
            for n, r in runs.items()),
            file=sys.stderr, flush=True)
    return runs


def report(runs: dict[str, list[Run]], texts: Sequence[str]) -> str:
    """The table: per way, passages per second of wall-clock time and per CPU-second, overall
    against ``before``, and the median over the slices of the ratio to ``before`` on the same
    slice. CPU time counts only this process's work, so other jobs on the machine move it
    much less than the clock."""
    def rate(pairs: Sequence[Run], column: int) -> float:
        return sum(r[0] for r in pairs) / sum(r[column] for r in pairs)

    def paired(pairs: Sequence[Run], column: int) -> float:
        return statistics.median((r[0] / r[column]) / (b[0] / b[column])
                                 for r, b in zip(pairs, runs["before"], strict=True)) - 1

    lines = [f"{len(texts)} passages, {len(set(texts))} distinct texts, "
             f"{len(runs['before'])} slices",
             f"{'way':22s} {'wall s':>7s} {'passages/s':>10s} {'vs before':>9s} {'median':>7s}"
             f" | {'CPU s':>7s} {'per CPU-s':>9s} {'vs before':>9s} {'median':>7s}"]
    for name, pairs in runs.items():
        wall, cpu = rate(pairs, 1), rate(pairs, 2)
        lines.append(
            f"{name:22s} {sum(r[1] for r in pairs):7.1f} {wall:10.1f} "
            f"{wall / rate(runs['before'], 1) - 1:+9.1%} {paired(pairs, 1):+7.1%} | "
            f"{sum(r[2] for r in pairs):7.1f} {cpu:9.1f} "
            f"{cpu / rate(runs['before'], 2) - 1:+9.1%} {paired(pairs, 2):+7.1%}")
    return "\n".join(lines)


def open_encoders(cache_dir: Path, sizes: Sequence[int]) -> dict[int, Encoder]:
    """The default model's ONNX encoder, once per batch size (the graph built by
    ``policyqa model build``)."""
    model = resolve_model(DEFAULT_MODEL, cache_dir)
    graph = graph_path(model, cache_dir, DEFAULT_MODEL)
    if not graph.is_file():
        raise SystemExit(f"no ONNX graph at {graph}; run: policyqa model build")
    return {size: OnnxEncoder(model, graph, DEFAULT_MODEL, batch_size=size,
                              passage_batch_size=size)
            for size in sorted({BASELINE_BATCH, *sizes})}


def main(argv: list[str] | None = None) -> int:
    """Measure and print the table."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--corpus", nargs="+", type=Path, default=list(CORPUS61))
    parser.add_argument("--slices", type=int, default=24)
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[4, 8, 16])
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
