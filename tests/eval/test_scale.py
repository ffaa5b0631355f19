"""The scale benchmark: corpus sizes, the table, and a whole run with the fake encoder in
process (the real one, through the command line, is the slow test at the end)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from corpus.reader import read_documents, read_path
from corpus.units import load_aliases
from eval.bench import bench
from eval.scale import (
    Latency,
    Row,
    Step,
    StepFailed,
    corpus_for,
    disk_bytes,
    further_notice,
    latency_of,
    parse_sizes,
    questions_of,
    run,
    run_child,
    store_env,
    table,
)
from eval.synthetic import FUJIAN, GOVCN, generate, variants
from index.edit import add_documents
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.store import Lexical
from tests.conftest import REPO, build_fake, fake_service

BUILD_OUTPUT = ("index written to var/index61: 61 documents, 1234 clauses, 5213 vectors, model "
                "multilingual-e5-small (150.2 s); embedded 5213 passages (5001 encoded, 212 "
                "repeated) in 140.0 s (37.2 passages/s)")


class FakeSteps:
    """The steps in this process with the hashing encoder, printing what the CLI prints."""

    def __init__(self) -> None:
        self.envs: list[dict[str, str]] = []

    def build(self, index_dir: Path, corpus: Sequence[Path], env: dict[str, str]) -> Step:
        self.envs.append(env)
        started = time.perf_counter()
        documents = read_documents(corpus)
        build_fake(documents, index_dir)
        clauses = sum(len(d.clauses) for d in documents)
        vectors = clauses + sum(len(c.sentences) for d in documents for c in d.clauses)
        return Step(seconds=time.perf_counter() - started, cpu_seconds=0.0, peak_rss_mb=0.0,
                    output=f"index written to {index_dir}: {len(documents)} documents, "
                           f"{clauses} clauses, {vectors} vectors, model fake-hashing")

    def add(self, index_dir: Path, notice: Path, env: dict[str, str]) -> Step:
        started = time.perf_counter()
        report = add_documents(index_dir, read_path(notice), HashingEncoder(),
                               lexical=Lexical(load_aliases(), load_lexicon(), load_stopwords()))
        return Step(seconds=time.perf_counter() - started, cpu_seconds=0.0, peak_rss_mb=0.0,
                    output=f"{index_dir}: {report.summary()}")

    def measure(self, index_dir: Path, env: dict[str, str], gold: Sequence[Path],
                questions: int | None, rounds: int) -> Latency:
        started = time.perf_counter()
        service = fake_service(index_dir)
        return latency_of(bench(service, questions_of(gold, questions), rounds),
                          time.perf_counter() - started)


def test_sizes_are_read_sorted_and_distinct() -> None:
    assert parse_sizes("2000,1, 61,61") == [1, 61, 2000]
    for bad in ("", "0,61", "a,1"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_sizes(bad)


def test_each_size_takes_fujian_then_govcn_then_the_variants(tmp_path: Path) -> None:
    synthetic = tmp_path / "synthetic"
    generate(synthetic, 75, seed=7, shard_size=5)  # 14 variants in shards of 5
    assert corpus_for(1, synthetic, tmp_path) == [FUJIAN]
    assert corpus_for(61, synthetic, tmp_path) == [FUJIAN, GOVCN]
    three = corpus_for(3, synthetic, tmp_path)
    assert [d.doc_id for d in read_documents(three)] == \
        [d.doc_id for d in read_documents([FUJIAN, GOVCN])][:3]
    files = corpus_for(68, synthetic, tmp_path)
    assert files == [FUJIAN, GOVCN, synthetic / "variants-0000.jsonl",
                     tmp_path / "variants-part.jsonl"]  # 5 + 2
    documents = read_documents(files)
    assert len(documents) == 68
    assert [d.doc_id for d in documents] == \
        [d.doc_id for d in read_documents([FUJIAN, GOVCN, synthetic])][:68]
    with pytest.raises(SystemExit, match=r"python -m eval\.synthetic"):
        corpus_for(80, synthetic, tmp_path)


def test_the_further_notice_is_new_to_a_corpus_of_2000(tmp_path: Path) -> None:
    path = further_notice(tmp_path)
    (notice,) = read_path(path)
    assert notice.doc_id.startswith("scale-add-syn-") and notice.clauses
    text = json.loads(path.read_text(encoding="utf-8"))["text"]
    corpus = list(variants(2000 - 61, seed=7))
    assert notice.doc_id not in {r["doc_id"] for r in corpus}
    assert text not in {r["text"] for r in corpus}


def test_the_store_goes_to_the_children(tmp_path: Path) -> None:
    env = store_env("milvus", tmp_path, {"PATH": "/bin"})
    assert env == {"PATH": "/bin", "POLICYQA_STORE": "milvus",
                   "POLICYQA_MILVUS_URI": str(tmp_path / "milvus.db")}
    given = store_env("milvus", tmp_path, {"POLICYQA_MILVUS_URI": "http://m:19530"})
    assert given["POLICYQA_MILVUS_URI"] == "http://m:19530"
    assert "POLICYQA_MILVUS_URI" not in store_env("embedded", tmp_path, {})


def test_a_child_is_timed_and_a_failure_names_its_output() -> None:
    step = run_child([sys.executable, "-c", "print('index written to x: 2 documents, 3 "
                      "clauses, 4 vectors')"], dict(os.environ))
    assert step.counts() == {"documents": 2, "clauses": 3, "vectors": 4}
    assert step.seconds > 0 and step.peak_rss_mb > 1
    with pytest.raises(StepFailed, match="unsupported store"):
        run_child([sys.executable, "-c", "import sys; print('unsupported store'); sys.exit(2)"],
                  dict(os.environ))


def test_the_cli_build_line_is_read() -> None:
    step = Step(seconds=10.0, cpu_seconds=9.0, peak_rss_mb=700.0, output=BUILD_OUTPUT)
    assert step.counts() == {"documents": 61, "clauses": 1234, "vectors": 5213,
                             "passages": 5213, "encoded": 5001}


def test_the_table_gives_ratios_rates_and_sizes() -> None:
    latency = Latency(ask_p50=12.0, ask_p95=30.0, encode_p50=10.0, encode_p95=20.0, calls=308,
                      load_seconds=2.5, peak_rss_mb=734.0)
    row = Row(store="embedded", size=61,
              build=Step(seconds=100.0, cpu_seconds=150.0, peak_rss_mb=900.0,
                         output=BUILD_OUTPUT),
              add=Step(seconds=7.5, cpu_seconds=7.0, peak_rss_mb=700.0,
                       output="x: added y: 62 documents, 1300 clauses\nINFO a log line"),
              latency=latency, disk_bytes=25_000_000, notes=("a note",))
    text = table([row])
    header, rule, line = text.splitlines()[:3]
    assert header.count("|") == rule.count("|") == line.count("|")
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells == ["embedded", "61", "5213", "100.0", "150.0", "52.1", "900", "7.5", "12.0",
                     "30.0", "10.0", "20.0", "1.20", "1.50", "734", "25.0"]
    assert "- embedded 61: 308 timed calls per operation, service loaded in 2.5 s; add: x: " \
        "added y: 62 documents, 1300 clauses" in text
    assert "- embedded 61: a note" in text


def test_a_whole_run_with_the_fake_encoder(tmp_path: Path) -> None:
    steps = FakeSteps()
    (row,) = run("embedded", [2], steps, synthetic=None, work=tmp_path / "work", questions=5,
                 rounds=1)
    assert row.size == 2 and row.build.counts()["documents"] == 2
    assert row.vectors > 0 and row.build_rate > 0
    assert row.latency.calls == 5 and row.latency.ask_p50 > 0 and row.latency.encode_p50 > 0
    assert "added scale-add-" in row.add.output and "3 documents" in row.add.output
    assert [e["POLICYQA_STORE"] for e in steps.envs] == ["embedded"]
    assert row.disk_bytes == disk_bytes(tmp_path / "work" / "embedded-2" / "index") > 0
    assert "| embedded | 2 |" in table([row])

    class NoBuild(FakeSteps):
        def build(self, index_dir: Path, corpus: Sequence[Path], env: dict[str, str]) -> Step:
            raise AssertionError("reused indexes are not built again")

    (again,) = run("embedded", [2], NoBuild(), synthetic=None, work=tmp_path / "work",
                   questions=3, rounds=1, reuse=True)
    assert again.build == row.build and again.add == row.add and again.latency.calls == 3


def test_the_quick_run_end_to_end(model_cache: Path, tmp_path: Path) -> None:
    """The real thing: ``policyqa build`` and ``add`` and the ONNX model, the Fujian notice."""
    out = tmp_path / "rows.json"
    done = subprocess.run(
        [sys.executable, "-m", "eval.scale", "--quick", "--questions", "8", "--work",
         str(tmp_path / "work"), "--json", str(out)],
        capture_output=True, text=True, timeout=900, cwd=REPO,
        env={**os.environ, "POLICYQA_CACHE_DIR": str(model_cache)})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| embedded | 1 | 289 |" in done.stdout
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    assert row["latency"]["calls"] == 8 and row["ratio_p50"] > 0
