"""The pieces of `serve --workers` that run in the supervisor: the metrics folder, the flag."""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import pytest

from engine.service import PolicyQA
from policyqa.cli import main, parser
from policyqa.settings import Settings
from policyqa.workers import MULTIPROC_ENV, assemble, metrics_folder


def test_a_fresh_metrics_folder_is_made_and_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MULTIPROC_ENV, raising=False)
    with metrics_folder() as folder:
        assert folder.is_dir() and os.environ[MULTIPROC_ENV] == str(folder)
        (folder / "counter_123.db").write_bytes(b"x")
    assert not folder.exists() and MULTIPROC_ENV not in os.environ


def test_a_given_metrics_folder_is_emptied_of_an_earlier_run_and_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given = tmp_path / "metrics"
    given.mkdir()
    (given / "counter_99.db").write_bytes(b"old counts")
    (given / "notes.txt").write_text("not ours", encoding="utf-8")
    monkeypatch.setenv(MULTIPROC_ENV, str(given))
    with metrics_folder() as folder:
        assert folder == given and not list(given.glob("*.db"))
    assert (given / "notes.txt").is_file() and os.environ[MULTIPROC_ENV] == str(given)


def test_the_workers_flag() -> None:
    assert parser().parse_args(["serve", "--workers", "4"]).workers == 4
    assert parser().parse_args(["serve"]).workers is None  # the setting then decides


@pytest.mark.parametrize("value", ["0", "65", "two"])
def test_a_wrong_number_of_workers_is_a_usage_error(value: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--workers", value])
    assert stopped.value.code == 2 and "--workers" in capsys.readouterr().err


def test_the_follow_up_setting_reaches_the_app(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYQA_FOLLOW_UP_SECONDS", "42")
    app = assemble(Settings(), tmp_path, lambda: cast(PolicyQA, None))
    assert app.state.contexts.ttl == 42.0
    assert Settings.model_fields["follow_up_seconds"].default == 600.0
