"""Log formats: JSON lines with the extra fields, plain lines with key=value."""

from __future__ import annotations

import json
import logging

from policyqa.logs import JsonFormatter, PlainFormatter


def _record() -> logging.LogRecord:
    record = logging.LogRecord("api.app", logging.INFO, __file__, 1, "GET %s %s", ("/v1/ask", 200),
                               None)
    record.request_id = "abc123"
    return record


def test_json_lines() -> None:
    data = json.loads(JsonFormatter().format(_record()))
    assert data["message"] == "GET /v1/ask 200" and data["request_id"] == "abc123"
    assert data["level"] == "INFO" and data["logger"] == "api.app" and data["time"]


def test_plain_lines() -> None:
    assert PlainFormatter().format(_record()) == "INFO api.app: GET /v1/ask 200 request_id=abc123"
