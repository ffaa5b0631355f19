"""What a corpus's size costs: build and add throughput, answer latency against the encoder's
own, memory and disk, for 1, 61 and thousands of notices and a chosen store.

    python -m eval.scale --store embedded --sizes 1,61,2000 --synthetic var/synthetic
    python -m eval.scale --quick            # the Fujian notice only, 30 questions, one round

For each size: the corpus is the Fujian notice (1), then the 60 State Council notices (61), then
the synthetic variants of ``python -m eval.synthetic`` in their order (more). Each step runs in
a process of its own, so that its peak memory is its own:

- ``policyqa build --index DIR --corpus …`` with ``POLICYQA_STORE`` set (and, for Milvus,
  ``POLICYQA_MILVUS_URI`` a file in the size's folder unless it is set already): wall and CPU
  seconds, passages (vectors) per second, peak memory;
- ``policyqa add`` of one further notice (a State Council notice re-issued by a city that no
  variant of the corpus uses, so nothing of it is indexed under its id or content);
- the answer service loaded in a fresh process (``python -m eval.scale --measure DIR``) and
  ``eval.bench``'s interleaved timing on the gold questions (``eval/gold/fujian.jsonl``): the
  operations take turns on each question, so the ask/encoder ratios hold while the machine's
  speed drifts. With Milvus the service searches the live version at ``POLICYQA_MILVUS_URI``.

The table gives ask p50/p95 as a multiple of the encoder's p50/p95 in the same run, the peak
memory of the build and of the answering process, and the index's size on disk. Nothing here
asserts a time. Indexes are left in ``--work`` (``var/scale/<store>-<size>/``); ``--reuse`` times
them again without building (the build of 2,000 notices is projected at about an hour on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from engine.service import PolicyQA
from eval.bench import bench
from eval.gold import DEFAULT_GOLD, load_gold
from eval.metrics import percentile
from eval.synthetic import (
    FUJIAN,
    GOVCN,
    SHARD_PATTERN,
    Reissuer,
    city_order,
    city_shift,
    load_cities,
    load_rules,
    load_sources,
)
from index.backend import Backend
from index.graph import graph_path
from index.lexicon import load_stopwords
from index.model import DEFAULT_MODEL, resolve_model
from index.onnx_encoder import OnnxEncoder
from index.store import LoadedIndex, load_index

logger = logging.getLogger(__name__)

DEFAULT_SIZES = (1, 61, 2000)
QUICK_QUESTIONS = 30
ADDED_SOURCE = "国办发〔2019〕6号"
"""The notice that ``add`` puts into each index (re-issued by a city the corpus lacks)."""
_BUILT = re.compile(r"(?P<documents>\d+) documents, (?P<clauses>\d+) clauses, "
                    r"(?P<vectors>\d+) vectors")
_EMBEDDED = re.compile(r"embedded (?P<passages>\d+) passages \((?P<encoded>\d+) encoded")


@dataclass(frozen=True)
class Step:
    """One child process: what it printed and what it cost."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    output: str

    def counts(self) -> dict[str, int]:
        """Documents, clauses and vectors (and passages and encoded texts) as printed by
        ``policyqa build`` or ``add``; empty when the output says nothing of them."""
        found: dict[str, int] = {}
        for pattern in (_BUILT, _EMBEDDED):
            if match := pattern.search(self.output):
                found.update({k: int(v) for k, v in match.groupdict().items()})
        return found


@dataclass(frozen=True)
class Latency:
    """Milliseconds per call of ``ask`` and of the encoder alone, on the same questions."""

    ask_p50: float
    ask_p95: float
    encode_p50: float
    encode_p95: float
    calls: int
    load_seconds: float
    peak_rss_mb: float

    @property
    def ratio_p50(self) -> float:
        """ask p50 / encoder p50."""
        return self.ask_p50 / self.encode_p50 if self.encode_p50 else float("nan")

    @property
    def ratio_p95(self) -> float:
        """ask p95 / encoder p95."""
        return self.ask_p95 / self.encode_p95 if self.encode_p95 else float("nan")


@dataclass(frozen=True)
class Row:
    """One store and corpus size."""

    store: str
    size: int
    build: Step
    add: Step
    latency: Latency
    disk_bytes: int
    notes: tuple[str, ...] = ()

    @property
    def vectors(self) -> int:
        """Vectors in the index, as the build printed them (0 if it did not)."""
        return self.build.counts().get("vectors", 0)

    @property
    def build_rate(self) -> float:
        """Passages (vectors) per second of the whole build, start-up and writing included."""
        return self.vectors / self.build.seconds if self.build.seconds else 0.0


class Steps(Protocol):
    """How a size is built, added to and measured (child processes; a test swaps them)."""

    def build(self, index_dir: Path, corpus: Sequence[Path], env: dict[str, str]) -> Step:
        """Build the index of ``corpus`` in ``index_dir``."""
        ...

    def add(self, index_dir: Path, notice: Path, env: dict[str, str]) -> Step:
        """Add one notice file to the index."""
        ...

    def measure(self, index_dir: Path, env: dict[str, str], gold: Sequence[Path],
                questions: int | None, rounds: int) -> Latency:
        """Load the service over the index and time ask and the encoder."""
        ...


def run_child(command: Sequence[str], env: dict[str, str]) -> Step:
    """Run a command to its end, and time it: its wall and CPU seconds and its own peak memory
    (``wait4``, so neither earlier children nor this process count)."""
    started = time.perf_counter()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          env=env) as child:
        assert child.stdout is not None
        output = child.stdout.read().decode("utf-8", "replace")
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise StepFailed(command, child.returncode, output)
    return Step(seconds=seconds, cpu_seconds=usage.ru_utime + usage.ru_stime,
                peak_rss_mb=usage.ru_maxrss / 1024, output=output)


class StepFailed(RuntimeError):
    """A child command ended with an error."""

    def __init__(self, command: Sequence[str], code: int, output: str) -> None:
        tail = "\n".join(output.strip().splitlines()[-5:])
        super().__init__(f"{' '.join(command[:4])} … exited with {code}:\n{tail}")


class CliSteps:
    """The real steps: the ``policyqa`` command line, and this module's ``--measure``."""

    def build(self, index_dir: Path, corpus: Sequence[Path], env: dict[str, str]) -> Step:
        """``policyqa build --index DIR --corpus FILE…``."""
        return run_child([sys.executable, "-m", "policyqa.cli", "build", "--index",
                          str(index_dir), "--corpus", *map(str, corpus)], env)

    def add(self, index_dir: Path, notice: Path, env: dict[str, str]) -> Step:
        """``policyqa add FILE --index DIR``."""
        return run_child([sys.executable, "-m", "policyqa.cli", "add", str(notice), "--index",
                          str(index_dir)], env)

    def measure(self, index_dir: Path, env: dict[str, str], gold: Sequence[Path],
                questions: int | None, rounds: int) -> Latency:
        """``python -m eval.scale --measure DIR`` in a fresh process, which writes its figures
        as JSON beside the index (a store's library may print on standard output too)."""
        result = index_dir.parent / "latency.json"
        command = [sys.executable, "-m", "eval.scale", "--measure", str(index_dir), "--result",
                   str(result), "--rounds", str(rounds), "--gold", *map(str, gold)]
        if questions is not None:
            command += ["--questions", str(questions)]
        run_child(command, env)
        return Latency(**json.loads(result.read_text(encoding="utf-8")))


def parse_sizes(text: str) -> list[int]:
    """``1,61,2000`` → [1, 61, 2000]: positive, distinct, in increasing order."""
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are whole numbers: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"sizes are 1 or more: {text!r}")
    return sizes


def corpus_for(size: int, synthetic: Path | None, folder: Path) -> list[Path]:
    """The files of a corpus of ``size`` notices: Fujian, then the State Council ones, then the
    synthetic variants in order; a partial file is written into ``folder`` where a size ends
    inside one."""
    if size == 1:
        return [FUJIAN]
    govcn = GOVCN.read_text(encoding="utf-8").splitlines(keepends=True)
    if size <= 1 + len(govcn):
        if size == 1 + len(govcn):
            return [FUJIAN, GOVCN]
        part = folder / "govcn-part.jsonl"
        part.write_text("".join(govcn[: size - 1]), encoding="utf-8")
        return [FUJIAN, part]
    wanted = size - 1 - len(govcn)
    shards = sorted(synthetic.glob(SHARD_PATTERN)) if synthetic else []
    files: list[Path] = [FUJIAN, GOVCN]
    for shard in shards:
        if wanted <= 0:
            break
        lines = shard.read_text(encoding="utf-8").splitlines(keepends=True)
        if len(lines) <= wanted:
            files.append(shard)
        else:
            part = folder / "variants-part.jsonl"
            part.write_text("".join(lines[:wanted]), encoding="utf-8")
            files.append(part)
        wanted -= min(wanted, len(lines))
    if wanted > 0:
        raise SystemExit(
            f"{size} notices need {size - 1 - len(govcn)} synthetic variants and "
            f"{synthetic or 'no --synthetic folder'} holds fewer; run: python -m eval.synthetic "
            f"--out {synthetic or 'var/synthetic'} --documents {size}")
    return files


def further_notice(folder: Path, seed: int = 7) -> Path:
    """The notice ``add`` puts in: 国办发〔2019〕6号 re-issued by the last city of the seed's
    order (no corpus of fewer than its 3,000-odd variants holds it), under an id of its own."""
    record = next(r for r in load_sources() if r.get("num") == ADDED_SOURCE)
    city = city_order(seed, load_cities())[-1]
    variant = Reissuer(load_rules()).variant(record, city, city_shift(seed, city))
    variant["doc_id"] = f"scale-add-{variant['doc_id']}"
    path = folder / "further.jsonl"
    path.write_text(json.dumps(variant, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def disk_bytes(*paths: Path) -> int:
    """Bytes of the files under ``paths`` (a link followed once; a hard-linked file once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for path in paths:
        if not path.exists():
            continue
        root = path.resolve()
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for file in files:
            info = file.stat()
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_size
    return total


def store_env(store: str, folder: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The child processes' environment: ``POLICYQA_STORE``, and for Milvus a Milvus Lite
    file in the size's folder unless ``POLICYQA_MILVUS_URI`` is set."""
    env = dict(os.environ if base is None else base)
    env["POLICYQA_STORE"] = store
    if store == "milvus":
        env.setdefault("POLICYQA_MILVUS_URI", str(folder / "milvus.db"))
    return env


def measure_size(store: str, size: int, steps: Steps, *, synthetic: Path | None, work: Path,
                 gold: Sequence[Path], questions: int | None, rounds: int, reuse: bool = False,
                 progress: Callable[[str], None] = logger.info) -> Row:
    """Build, add to and time one corpus size with one store. With ``reuse``, an index this
    script built and added to before (its ``steps.json`` beside it) is timed again as it is,
    and the build and add figures are those recorded then."""
    folder = work / f"{store}-{size}"
    index_dir, record = folder / "index", folder / "steps.json"
    env = store_env(store, folder)
    if reuse and record.is_file() and index_dir.exists():
        saved = json.loads(record.read_text(encoding="utf-8"))
        built, added = Step(**saved["build"]), Step(**saved["add"])
        progress(f"{store} {size}: reusing the index built in {built.seconds:.1f} s")
    else:
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        corpus = corpus_for(size, synthetic, folder)
        progress(f"{store} {size}: building from {len(corpus)} files")
        built = steps.build(index_dir, corpus, env)
        progress(f"{store} {size}: built in {built.seconds:.1f} s; adding one notice")
        added = steps.add(index_dir, further_notice(folder), env)
        record.write_text(json.dumps({"build": asdict(built), "add": asdict(added)},
                                     ensure_ascii=False) + "\n", encoding="utf-8")
        progress(f"{store} {size}: added in {added.seconds:.1f} s; timing answers")
    latency = steps.measure(index_dir, env, gold, questions, rounds)
    notes: list[str] = []
    if store == "milvus":
        notes.append("Milvus Lite serves from a process of its own: the memory columns leave "
                     "it out, and the disk column counts its data folder")
    milvus_file = Path(env.get("POLICYQA_MILVUS_URI", "")) if store == "milvus" else None
    if milvus_file is not None and not milvus_file.exists() and "://" not in str(milvus_file):
        notes.append(f"no Milvus Lite file at {milvus_file}: did the build use the store?")
    extra = [milvus_file] if milvus_file is not None and milvus_file.exists() else []
    return Row(store=store, size=size, build=built, add=added, latency=latency,
               disk_bytes=disk_bytes(index_dir, *extra), notes=tuple(notes))


COLUMNS = ("store", "docs", "vectors", "build s", "CPU s", "vec/s", "RSS MB", "add s",
           "ask p50", "ask p95", "enc p50", "enc p95", "x p50", "x p95", "serve MB", "disk MB")


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table, then any notes."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row in rows:
        lat = row.latency
        cells = [row.store, str(row.build.counts().get("documents", row.size)), str(row.vectors),
                 f"{row.build.seconds:.1f}", f"{row.build.cpu_seconds:.1f}",
                 f"{row.build_rate:.1f}", f"{row.build.peak_rss_mb:.0f}",
                 f"{row.add.seconds:.1f}", f"{lat.ask_p50:.1f}", f"{lat.ask_p95:.1f}",
                 f"{lat.encode_p50:.1f}", f"{lat.encode_p95:.1f}", f"{lat.ratio_p50:.2f}",
                 f"{lat.ratio_p95:.2f}", f"{lat.peak_rss_mb:.0f}",
                 f"{row.disk_bytes / 1e6:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("build s / CPU s / RSS MB: `policyqa build` in its own process (vec/s = vectors "
                 "over its wall time); add s: `policyqa add` of one notice; ask and enc: ms per "
                 "call, interleaved on the same questions; x = ask / encoder; serve MB: peak "
                 "memory of the answering process.")
    for row in rows:
        added = [line for line in row.add.output.splitlines() if " documents, " in line][-1:]
        lines.append(f"- {row.store} {row.size}: {lat_calls(row)}; add: "
                     f"{added[0] if added else '(no summary printed)'}")
        lines.extend(f"- {row.store} {row.size}: {note}" for note in row.notes)
    return "\n".join(lines)


def lat_calls(row: Row) -> str:
    """How many timed calls each latency rests on, and the service's load time."""
    return (f"{row.latency.calls} timed calls per operation, service loaded in "
            f"{row.latency.load_seconds:.1f} s")


def run(store: str, sizes: Sequence[int], steps: Steps, *, synthetic: Path | None, work: Path,
        gold: Sequence[Path] = DEFAULT_GOLD, questions: int | None = None, rounds: int = 2,
        reuse: bool = False, progress: Callable[[str], None] = logger.info) -> list[Row]:
    """Every size in turn, one after the other (never two heavy steps at once)."""
    return [measure_size(store, size, steps, synthetic=synthetic, work=work, gold=gold,
                         questions=questions, rounds=rounds, reuse=reuse, progress=progress)
            for size in sizes]


def latency_of(timings: dict[str, list[float]], load_seconds: float) -> Latency:
    """Percentiles of ``eval.bench.bench``'s timings, and this process's peak memory."""
    ask, encode = timings["ask"], timings["encode (query)"]
    return Latency(ask_p50=percentile(ask, 50), ask_p95=percentile(ask, 95),
                   encode_p50=percentile(encode, 50), encode_p95=percentile(encode, 95),
                   calls=len(ask), load_seconds=load_seconds,
                   peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def questions_of(gold: Sequence[Path], limit: int | None) -> list[str]:
    """The gold questions, the first ``limit`` of them if given."""
    asked = [q.question for path in gold for q in load_gold(path)]
    return asked[:limit] if limit else asked


def open_service(index_dir: Path, store: str) -> PolicyQA:
    """The answer service over an index, as ``policyqa`` loads it without the question cache:
    the default model through ONNX Runtime (from ``POLICYQA_CACHE_DIR``), the index, and for
    Milvus the live version at ``POLICYQA_MILVUS_URI`` (the FAISS file is not loaded)."""
    if os.environ.get("POLICYQA_EMBED_MODEL", DEFAULT_MODEL) != DEFAULT_MODEL or \
            os.environ.get("POLICYQA_EMBED_RUNTIME", "onnx") != "onnx":
        raise SystemExit("eval.scale measures the default model through ONNX Runtime; unset "
                         "POLICYQA_EMBED_MODEL and POLICYQA_EMBED_RUNTIME")
    cache = Path(os.environ.get("POLICYQA_CACHE_DIR") or Path.home() / ".cache" / "policyqa")
    model = resolve_model(DEFAULT_MODEL, cache)
    encoder = OnnxEncoder(model, graph_path(model, cache, DEFAULT_MODEL), DEFAULT_MODEL)
    if store == "embedded":
        return PolicyQA.over(load_index(index_dir, encoder, load_stopwords()), encoder)
    if store != "milvus":
        raise SystemExit(f"eval.scale: unknown store {store!r} (embedded or milvus)")
    from index.milvus import MilvusBackend, MilvusStore

    milvus = MilvusStore.connect(os.environ.get("POLICYQA_MILVUS_URI", "var/milvus.db"),
                                 os.environ.get("POLICYQA_MILVUS_TOKEN") or None,
                                 os.environ.get("POLICYQA_MILVUS_PREFIX", "policyqa"))
    index = load_index(index_dir, encoder, load_stopwords(), vectors=False)

    def opener(loaded: LoadedIndex) -> Backend:
        return MilvusBackend.over(milvus, loaded)

    return PolicyQA.over(index, encoder, store=opener)


def _measure_here(index_dir: Path, gold: Sequence[Path], limit: int | None, rounds: int
                  ) -> Latency:
    """Load the service in this process and time it."""
    started = time.perf_counter()
    service = open_service(index_dir, os.environ.get("POLICYQA_STORE", "embedded"))
    loaded = time.perf_counter() - started
    return latency_of(bench(service, questions_of(gold, limit), rounds), loaded)


def main(argv: list[str] | None = None) -> int:
    """Measure every size and print the table (or, with ``--measure``, one size's latency)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="embedded",
                        help="POLICYQA_STORE for every step (embedded or milvus)")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="notices per corpus, e.g. 1,61,2000")
    parser.add_argument("--synthetic", type=Path, default=Path("var/synthetic"),
                        help="the variants of python -m eval.synthetic, for sizes above 61")
    parser.add_argument("--work", type=Path, default=Path("var/scale"))
    parser.add_argument("--gold", nargs="+", type=Path, default=list(DEFAULT_GOLD))
    parser.add_argument("--questions", type=int, default=None,
                        help="time only the first N gold questions")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--quick", action="store_true",
                        help=f"the Fujian notice only, {QUICK_QUESTIONS} questions, one round")
    parser.add_argument("--reuse", action="store_true",
                        help="time again the indexes an earlier run left in --work (after a "
                             "change to the engine), with the build and add figures of then")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    parser.add_argument("--measure", type=Path, default=None, metavar="INDEX",
                        help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if args.measure is not None:
        latency = _measure_here(args.measure, args.gold, args.questions, args.rounds)
        if args.result is None:
            print(json.dumps(asdict(latency)))
        else:
            args.result.write_text(json.dumps(asdict(latency)) + "\n", encoding="utf-8")
        return 0
    if args.quick:
        args.sizes, args.questions, args.rounds = [1], args.questions or QUICK_QUESTIONS, 1
    try:
        rows = run(args.store, args.sizes, CliSteps(), synthetic=args.synthetic,
                   work=args.work, gold=args.gold, questions=args.questions, rounds=args.rounds,
                   reuse=args.reuse)
    except StepFailed as exc:
        print(f"eval.scale: {exc}", file=sys.stderr)
        return 1
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([_row_json(r) for r in rows], ensure_ascii=False,
                                        indent=1) + "\n", encoding="utf-8")
    return 0


def _row_json(row: Row) -> dict[str, object]:
    data = asdict(row)
    data.update(vectors=row.vectors, build_rate=row.build_rate,
                ratio_p50=row.latency.ratio_p50, ratio_p95=row.latency.ratio_p95)
    return data


if __name__ == "__main__":
    sys.exit(main())
