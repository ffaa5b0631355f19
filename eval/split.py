"""Split a question set once into ``tune`` and ``test`` halves, by a fixed seed.

Run once when a set written outside the team arrives, before anyone looks at how the engine does
on it; the halves are then part of the data (a ``split`` field per question). Each question kind
is halved separately, so both halves hold the same mix. A file that is already split is refused:
moving a question between halves after seeing a result would defeat the purpose.

    python -m eval.split eval/gold/citizens.jsonl --seed 2026
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

from eval.gold import load_gold


def split(path: Path, seed: int) -> dict[str, int]:
    """Write ``split`` into every question of ``path``; returns the size of each half."""
    questions = load_gold(path)
    if any(q.split for q in questions):
        raise SystemExit(f"{path} is already split; a split is made once")
    by_kind: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        by_kind[q.kind].append(q.id)
    rng = random.Random(seed)
    halves: dict[str, str] = {}
    offset = 0
    for kind in sorted(by_kind):
        ids = sorted(by_kind[kind])
        rng.shuffle(ids)
        for i, qid in enumerate(ids):  # odd-sized kinds alternate which half gets the extra one
            halves[qid] = "tune" if (i + offset) % 2 == 0 else "test"
        offset += len(ids)
    lines = [json.dumps({**q.model_dump(exclude_none=False), "split": halves[q.id]},
                        ensure_ascii=False) for q in questions]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    counts = {"tune": 0, "test": 0}
    for half in halves.values():
        counts[half] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)
    print(split(args.file, args.seed), file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
