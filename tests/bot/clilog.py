"""The question log of a chat channel's command-line tests: a SQLite file of each test's own,
already migrated (as on every start but the first), under a key; the subprocess inherits the
environment. Imported by a test module, the fixture applies to each of its tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from usage.log import open_log


@pytest.fixture(autouse=True)
def question_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The log's database file, set in POLICYQA_DATABASE_URL with POLICYQA_LOG_KEY."""
    path = tmp_path / "usage.db"
    open_log(f"sqlite:///{path}").close()
    monkeypatch.setenv("POLICYQA_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("POLICYQA_LOG_KEY", "cli-test-log-key-0123456789abcdef")
    return path
