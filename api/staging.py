"""Uploads parsed and waiting for a person to look at the preview and activate them.

Nothing an upload holds reaches the index before activation. Staged uploads live in memory for
a limited time and in limited number: a restart or a forgotten preview simply drops them.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from corpus.document import Document

STAGED_SECONDS = 1800
MAX_STAGED = 20


@dataclass(frozen=True)
class StagedUpload:
    """One uploaded file's parsed documents, waiting for activation."""

    token: str
    filename: str
    documents: tuple[Document, ...]
    created: float


class Staging:
    """Staged uploads by token, oldest dropped first, expired after ``ttl`` seconds."""

    def __init__(self, ttl: float = STAGED_SECONDS, capacity: int = MAX_STAGED) -> None:
        self._ttl = ttl
        self._capacity = capacity
        self._items: OrderedDict[str, StagedUpload] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, filename: str, documents: tuple[Document, ...]) -> StagedUpload:
        """Stage parsed documents; returns the record with its unguessable token."""
        upload = StagedUpload(token=secrets.token_urlsafe(16), filename=filename,
                              documents=documents, created=time.monotonic())
        with self._lock:
            self._expire()
            self._items[upload.token] = upload
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)
        return upload

    def restore(self, upload: StagedUpload) -> None:
        """Put back an upload whose activation failed, under its own token, to try again."""
        with self._lock:
            self._items[upload.token] = upload

    def get(self, token: str) -> StagedUpload | None:
        """The staged upload, or None when unknown or expired."""
        with self._lock:
            self._expire()
            return self._items.get(token)

    def pop(self, token: str) -> StagedUpload | None:
        """Take the staged upload out (activated or discarded)."""
        with self._lock:
            self._expire()
            return self._items.pop(token, None)

    def _expire(self) -> None:
        limit = time.monotonic() - self._ttl
        for token in [t for t, u in self._items.items() if u.created < limit]:
            del self._items[token]
