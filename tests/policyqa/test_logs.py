"""Log formats: JSON lines with the extra fields, plain lines with key=value."""

from __future__ import annotations

import json
import logging
import sys

from policyqa.logs import JsonFormatter, PlainFormatter, Redact


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


def test_uvicorn_colour_copies_are_not_fields() -> None:
    record = logging.LogRecord("uvicorn.error", logging.INFO, "", 0, "Started %d", (1,), None)
    record.color_message = "Started \x1b[36m%d\x1b[0m"
    assert PlainFormatter().format(record) == "INFO uvicorn.error: Started 1"


def test_redact_removes_a_secret_from_message_arguments_and_traceback() -> None:
    secret = "123:SECRET"
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{secret}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord("httpx", logging.ERROR, "", 0, "HTTP Request: %s",
                                   (f"https://api.telegram.org/bot{secret}/getUpdates",),
                                   sys.exc_info())
    assert Redact(secret, "<token>").filter(record)
    for formatter in (PlainFormatter(), JsonFormatter()):
        text = formatter.format(record)
        assert secret not in text and "bot<token>/getUpdates" in text and "bot<token>/getMe" in text


def test_an_uncaught_exception_cannot_print_a_secret() -> None:
    import subprocess
    import sys

    code = ("import threading\n"
            "from policyqa.cli import hide\n"
            "hide('s3cret-token-42')\n"
            # joined first: the thread's report and the main one, written a piece at a time,
            # would otherwise interleave (RuntimeError … a thread's lines … : rejected …)
            "thread = threading.Thread(target=lambda: 1 / 0 if 's3cret-token-42' else 0)\n"
            "thread.start()\n"
            "thread.join()\n"
            "print('stdout has s3cret-token-42')\n"
            "raise RuntimeError('rejected s3cret-token-42')\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "RuntimeError: rejected <redacted>" in done.stderr
    assert "stdout has <redacted>" in done.stdout
    assert "s3cret-token-42" not in done.stderr + done.stdout
