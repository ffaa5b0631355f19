"""Files only their owner may read, for what holds people's questions and comments (the log's
export, the usage report)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO


def open_private(path: Path, *, newline: str | None = None) -> TextIO:
    """``path`` opened for writing as UTF-8, emptied, with mode 0600 — also when it existed
    before with a wider mode (``O_CREAT``'s mode applies only to a new file). Raises OSError."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(descriptor, 0o600)
    except OSError:
        os.close(descriptor)
        raise
    return open(descriptor, "w", encoding="utf-8", newline=newline)
