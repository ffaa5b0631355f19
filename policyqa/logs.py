"""Logging for the entry points: plain lines or one JSON object per line, libraries held to
warnings, and secrets masked in everything written to the log and the standard streams."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import sys
from collections.abc import Iterable
from typing import TextIO

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is a field.
# uvicorn adds ``color_message`` (the message with terminal colour codes) to its records.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message", "asctime", "color_message"}


def fields(record: logging.LogRecord) -> dict[str, object]:
    """The ``extra=`` fields of a record."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the record's extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as JSON."""
        data: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            **fields(record)}
        if record.exc_info:  # exc_text first: a filter may have redacted it
            data["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """``LEVEL logger: message key=value …``."""

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Render the record with its extra fields appended."""
        text = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in fields(record).items())
        return f"{text} {extra}" if extra else text


class Redact(logging.Filter):
    """Replaces secrets in every record (message, arguments, traceback) before it is written."""

    def __init__(self, secrets: str | Iterable[str] = (), mask: str = "<redacted>") -> None:
        super().__init__()
        self.secrets = (secrets,) if isinstance(secrets, str) else tuple(secrets)
        self._mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        for secret in self.secrets:
            if secret:
                self._mask_in(record, secret)
        return True

    def _mask_in(self, record: logging.LogRecord, secret: str) -> None:
        message = record.getMessage()
        if secret in message:
            record.msg, record.args = message.replace(secret, self._mask), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and secret in record.exc_text:
            record.exc_text = record.exc_text.replace(secret, self._mask)


class RedactingStream(io.TextIOBase):
    """A text stream that masks secrets in everything written through it.

    The last line of defence for standard error and output: whatever writes there — Python's
    report of an uncaught exception, a library's print, a thread's excepthook — cannot show a
    token. Each write is masked whole; tracebacks and log records are written a line at a time.
    """

    def __init__(self, stream: TextIO, secrets: Iterable[str], mask: str = "<redacted>") -> None:
        super().__init__()
        self.stream = stream
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._mask = mask

    def write(self, text: str) -> int:
        """Write ``text`` with every secret masked."""
        for secret in self._secrets:
            text = text.replace(secret, self._mask)
        self.stream.write(text)
        return len(text)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        self.stream.flush()

    def isatty(self) -> bool:
        """As the wrapped stream."""
        return self.stream.isatty()

    def fileno(self) -> int:
        """As the wrapped stream."""
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """As the wrapped stream."""
        return self.stream.encoding


REDACT = Redact()
"""Masks the secrets :func:`hide` was given in every log record the entry points write."""


def hide(*secrets: str) -> None:
    """Mask ``secrets`` from now on in log records and in everything written to stdout/stderr.

    Log records are masked by a filter on the handler (so a record's own fields are clean) and
    both streams are wrapped, which also covers Python's own report of an uncaught exception.
    """
    values = [s.strip() for s in secrets if s and s.strip()]
    if not values:
        return
    REDACT.secrets = (*REDACT.secrets, *values)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        inner = stream.stream if isinstance(stream, RedactingStream) else stream
        setattr(sys, name, RedactingStream(inner, REDACT.secrets))


def configure_logging(level: str, log_format: str = "plain") -> None:
    """Log to stderr at ``level``; libraries that chatter at INFO are held to warnings."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else PlainFormatter())
    handler.addFilter(_quiet_libraries)
    handler.addFilter(REDACT)
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


_CHATTY = ("faiss", "sentence_transformers", "transformers", "jieba", "httpx", "httpcore",
           "matplotlib", "PIL", "urllib3", "huggingface_hub", "alembic")


def _quiet_libraries(record: logging.LogRecord) -> bool:
    """Let third-party libraries through only from WARNING up (some reset their own levels).

    python-telegram-bot logs a failed start-up (a rejected token, an unreachable Bot API) with
    its traceback; ``policyqa bot`` reports that failure itself, in one line.
    """
    if record.name.startswith("telegram") and "(Bootstrap " in record.getMessage():
        return False
    return record.levelno >= logging.WARNING or not record.name.startswith(_CHATTY)
