"""The ``policyqa`` command: parse output and error translation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policyqa.cli import main
from tests.conftest import FUJIAN, GOVCN


def test_parse_prints_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(FUJIAN)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 78
    by_id = {r["clause_id"]: r for r in records}
    assert by_id["7.1"]["label"] == "七、（一）创新养老和医疗服务供给"
    assert [u["name"] for u in by_id["7.1"]["units"]] == ["省民政厅", "省卫健委", "省药监局"]
    assert by_id["A6.1"]["deadline"] == {"text": "2021年底前", "kind": "by", "date": "2021-12-31"}


def test_parse_defaults_to_the_configured_corpus(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYQA_CORPUS", json.dumps([str(GOVCN)]))
    assert main(["parse"]) == 0
    doc_ids = {json.loads(line)["doc_id"] for line in capsys.readouterr().out.splitlines()}
    assert len(doc_ids) == 60


def test_parse_pretty(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--pretty", str(FUJIAN)]) == 0
    out = capsys.readouterr().out
    assert "[7.1] 七、（一）创新养老和医疗服务供给" in out
    assert "责任单位: 省住建厅（牵头）" in out
    assert "时限: 2021年底前（2021-12-31）" in out


def test_errors_become_messages_and_exit_codes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02")
    assert main(["parse", str(binary)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "policyqa: error:" in captured.err and "binary" in captured.err
    assert "Traceback" not in captured.err


def test_console_script_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "policyqa.cli", "parse", str(FUJIAN)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 78


def test_bot_without_token_fails_fast(monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("POLICYQA_TELEGRAM_TOKEN", raising=False)
    assert main(["bot"]) == 3
    assert "POLICYQA_TELEGRAM_TOKEN is not set" in capsys.readouterr().err


def test_bot_without_index_fails_fast(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("POLICYQA_TELEGRAM_TOKEN", "123:secret-token")
    assert main(["bot", "--index", str(tmp_path / "none")]) == 3
    err = capsys.readouterr().err
    assert "policyqa build" in err and "secret-token" not in err


def test_the_environment_is_isolated() -> None:
    """The suite runs in an empty folder with no POLICYQA_* variables of the developer's."""
    import os
    from pathlib import Path

    assert not (Path.cwd() / ".env").exists()
    assert not any(k.startswith("POLICYQA_") for k in os.environ)
