"""`policyqa serve` and `search` on an index that cannot be used: one line, the documented code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eval.loadtest import free_port
from policyqa.cli import main


def _damaged(source: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "index"
    shutil.copytree(source.resolve(), folder)
    vectors = folder / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:100])
    return folder


def test_serve_on_a_damaged_index_says_so_in_one_line(fake_index_dir: Path,
                                                      tmp_path: Path) -> None:
    folder = _damaged(fake_index_dir, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "policyqa.cli", "serve", "--index", str(folder),
         "--port", str(free_port())], capture_output=True, text=True, timeout=120,
        env={**os.environ, "POLICYQA_LOG_LEVEL": "INFO"})
    assert done.returncode == 3
    assert done.stderr.strip().splitlines() == [
        f"policyqa: error: {folder.resolve()}: vectors.faiss is truncated or altered (checksum "
        "mismatch); rebuild with: policyqa build"]


def test_serve_refuses_a_folder_that_is_not_an_index(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("important", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "policyqa.cli", "build", "--index", str(precious)],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 3 and len(done.stderr.strip().splitlines()) == 1
    assert "not a policyqa index" in done.stderr
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "important"


@pytest.mark.parametrize("command", ["search", "serve"])
def test_an_unreadable_index_is_one_line(command: str, fake_index_dir: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    real_open = Path.open

    def denied(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if str(self).startswith(str(fake_index_dir.parent)):
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", denied)
    monkeypatch.setattr(Path, "read_bytes", lambda self: denied(self))
    args = [command, "--index", str(fake_index_dir)] + (["养老"] if command == "search" else [])
    assert main(args) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Permission denied" in err[0] and "manifest.json" in err[0]
