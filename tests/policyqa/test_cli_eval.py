"""``policyqa eval`` end to end on the real corpus and gold files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policyqa.cli import main
from tests.conftest import FUJIAN, GOVCN, REPO

OVERLAP = ["--corpus", str(FUJIAN)]  # the baseline needs no model or index


def test_eval_prints_a_table_per_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", *OVERLAP]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "mode: overlap"
    rows = {line.split()[0] for line in out[2:]}
    assert {"all", "yesno", "who", "when", "oos", "english", "traditional"} <= rows


def test_eval_writes_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", *OVERLAP, "--report", str(tmp_path)]) == 0
    metrics = json.loads((tmp_path / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["all"]["questions"] >= 150
    first = json.loads((tmp_path / "predictions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["correct"]["answer"] is False


def test_eval_compare(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", *OVERLAP, "--compare"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("overlap")


def test_eval_multi_document(capsys: pytest.CaptureFixture[str]) -> None:
    gold = REPO / "eval" / "gold" / "govcn_jiuye.jsonl"
    assert main(["eval", "--gold", str(gold), "--corpus", str(GOVCN)]) == 0
    assert "all" in capsys.readouterr().out


def test_floors_pass_and_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps({"fujian": {"overlap": {"hit@1": 0.5}}}), encoding="utf-8")
    assert main(["eval", *OVERLAP, "--floors", str(fine)]) == 0
    strict = tmp_path / "floors.json"
    strict.write_text(json.dumps({"fujian": {"overlap": {"hit@1": 0.99}}}), encoding="utf-8")
    assert main(["eval", *OVERLAP, "--floors", str(strict)]) == 5
    assert "hit@1" in capsys.readouterr().err
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"citizens:test": {"overlap": {"hit@1": 0.5}}}), encoding="utf-8")
    assert main(["eval", *OVERLAP, "--floors", str(other)]) == 3  # no floors for this set
    assert "no floors for the set 'fujian'" in capsys.readouterr().err


def test_unknown_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", *OVERLAP, "--mode", "nope"]) == 3
    assert "unknown mode" in capsys.readouterr().err
