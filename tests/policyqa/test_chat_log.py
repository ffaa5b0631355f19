"""The chat channels' question log as the command line opens it from the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from contract.errors import ConfigurationError
from policyqa.commands import _chat_log
from policyqa.settings import Settings
from usage.log import NullLog


def test_with_logging_off_the_key_plays_no_part(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(log_questions=False, log_key=SecretStr("short"))
    log, users = _chat_log(settings)
    assert isinstance(log, NullLog) and users is None
    assert "POLICYQA_LOG_KEY" not in caplog.text


def test_with_logging_on_a_short_key_stops_the_command(tmp_path: Path) -> None:
    settings = Settings(log_questions=True, log_key=SecretStr("short"),
                        database_url=SecretStr(f"sqlite:///{tmp_path / 'usage.db'}"))
    with pytest.raises(ConfigurationError, match="POLICYQA_LOG_KEY is too short"):
        _chat_log(settings)
    assert not (tmp_path / "usage.db").exists()  # stopped before the log opened
