"""Following the published index: each worker notices a new version and swaps it in.

With several worker processes a reindex (or an admin edit) runs in one of them and publishes a
new index version; the others would keep answering from the one they loaded. Each worker
therefore runs an :class:`IndexWatcher` in a background thread: every ``interval`` seconds it
reads a cheap marker of the published version (for the index folder, the version its link
points at — one ``readlink``); when the marker differs from the one its service was loaded at,
it loads a service over the published version (sharing the current one's model) off the
request path and swaps it in with one assignment, so that each request is answered by the old
index or the new one and none fails.

The swap is a compare-and-swap: the new service replaces the one the watcher started from,
and is dropped when something else (an admin request in this worker) swapped meanwhile. A
service the watcher did not install has an unknown version, so it is reloaded once at the next
check: a redundant load after this worker's own reindex, never a stale index kept.

A version that cannot be loaded (damaged, half-copied by hand) is logged and tried again after
``retry`` seconds; the previous service keeps answering.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from engine.service import PolicyQA, release_memory

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Follow:
    """How a worker follows the published index."""

    marker: Callable[[], Hashable]
    """The identity of the published version; cheap, asked every ``interval`` seconds."""
    reopen: Callable[[PolicyQA], PolicyQA]
    """A service over the published version, sharing the given one's model."""
    interval: float = 1.0
    """Seconds between two looks at the marker."""
    retry: float = 30.0
    """Seconds before a version that failed to load is tried again."""
    served: Callable[[PolicyQA], Hashable] | None = None
    """The marker of the version a service was loaded from, when it can tell (so that a
    service this worker loaded itself, after its own reindex, is not loaded again)."""


@dataclass(frozen=True)
class Slot:
    """Where the served service is: read it, and replace it."""

    get: Callable[[], PolicyQA | None]
    put: Callable[[PolicyQA], None]


class IndexWatcher:
    """Swaps in a service over the published index whenever its marker changes."""

    def __init__(self, follow: Follow, slot: Slot, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._follow = follow
        self._slot = slot
        self._clock = clock
        self._lock = threading.Lock()
        self._installed: weakref.ref[PolicyQA] | None = None
        self._marker: Hashable = None
        self._failed: tuple[Hashable, float] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def mark(self) -> Hashable:
        """The marker now; read it *before* loading the first service (a version published
        during the load is then noticed at the first check)."""
        return self._follow.marker()

    def installed(self, service: PolicyQA, marker: Hashable) -> None:
        """Record that ``service`` serves the version ``marker`` (read before it was loaded)."""
        with self._lock:
            self._installed = weakref.ref(service)
            self._marker = marker

    def check(self) -> bool:
        """Look at the marker once and swap in a new service when the published index changed;
        True when one was swapped in."""
        marker = self._follow.marker()
        with self._lock:
            current = self._slot.get()
            known = self._installed is not None and self._installed() is current
            if current is None or (known and marker == self._marker):
                return False
            if self._follow.served is not None and self._follow.served(current) == marker:
                self._installed, self._marker = weakref.ref(current), marker
                return False
            if self._failed is not None and self._failed[0] == marker and \
                    self._clock() - self._failed[1] < self._follow.retry:
                return False
        try:
            fresh = self._follow.reopen(current)
            _ = fresh.suggestions  # computed before it serves, like an admin reindex's
        except Exception:
            logger.exception("the published index could not be loaded; the current one keeps "
                             "serving (tried again in %.0f s)", self._follow.retry)
            with self._lock:
                self._failed = (marker, self._clock())
            return False
        with self._lock:
            if self._slot.get() is not current:  # swapped meanwhile by this worker itself
                return False
            self._slot.put(fresh)  # one assignment: each request sees the old or the new one
            self._installed = weakref.ref(fresh)
            self._marker = marker
            self._failed = None
        logger.info("now serving the published index: %s", fresh.manifest.counts)
        del current, fresh
        release_memory()
        return True

    def start(self) -> None:
        """Check every ``interval`` seconds in a daemon thread until :meth:`stop`."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="index-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop checking (waits for a load under way to end)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._follow.interval):
            try:
                self.check()
            except Exception:  # the marker could not be read: look again next time
                logger.exception("checking the published index failed")
