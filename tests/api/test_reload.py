"""The index watcher with a fake marker, a fake loader and a fake clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import cast

import pytest

from api.reload import Follow, IndexWatcher, Slot
from engine.service import PolicyQA


class FakeService:
    """Stands for a PolicyQA: a version, suggestions computed once."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.manifest = type("Manifest", (), {"counts": {"version": version}})()
        self.suggestions: tuple[str, ...] = ()


class World:
    """The published version, the served service, a clock, and a loader that can fail."""

    def __init__(self) -> None:
        self.published = "v1"
        self.now = 0.0
        self.loads = 0
        self.broken: set[str] = set()
        self.served: FakeService | None = FakeService("v1")
        self.during_load: list[FakeService] = []

    def reopen(self, current: PolicyQA) -> PolicyQA:
        self.loads += 1
        if self.published in self.broken:
            raise OSError("half-copied")
        fresh = FakeService(self.published)
        if self.during_load:  # something else swaps while this load runs
            self.served = self.during_load.pop()
        return cast(PolicyQA, fresh)

    def watcher(self, marker: Callable[[], Hashable] | None = None) -> IndexWatcher:
        follow = Follow(marker=marker or (lambda: cast(Hashable, self.published)),
                        reopen=self.reopen, interval=0.01, retry=30.0)
        slot = Slot(get=lambda: cast(PolicyQA | None, self.served),
                    put=lambda s: setattr(self, "served", s))
        watcher = IndexWatcher(follow, slot, clock=lambda: self.now)
        assert self.served is not None
        watcher.installed(cast(PolicyQA, self.served), watcher.mark())
        return watcher

    @property
    def version(self) -> str:
        assert self.served is not None
        return self.served.version


def test_nothing_happens_while_the_published_index_stays() -> None:
    world = World()
    watcher = world.watcher()
    assert not watcher.check() and not watcher.check()
    assert world.loads == 0


def test_a_new_version_is_loaded_once_and_swapped_in() -> None:
    world = World()
    watcher = world.watcher()
    world.published = "v2"
    assert watcher.check() and world.version == "v2"
    assert not watcher.check() and world.loads == 1


def test_a_version_that_cannot_be_loaded_is_retried_later_and_the_old_one_serves() -> None:
    world = World()
    watcher = world.watcher()
    world.published = "v2"
    world.broken.add("v2")
    assert not watcher.check() and world.version == "v1"
    world.now += 10
    assert not watcher.check() and world.loads == 1  # not again before the retry time
    world.broken.clear()
    world.now += 25
    assert watcher.check() and world.version == "v2"


def test_a_newer_version_is_tried_at_once_after_a_failed_one() -> None:
    world = World()
    watcher = world.watcher()
    world.published = "v2"
    world.broken.add("v2")
    assert not watcher.check()
    world.published = "v3"
    assert watcher.check() and world.version == "v3"


def test_a_service_swapped_in_meanwhile_is_not_replaced_and_then_reloaded_once() -> None:
    world = World()
    watcher = world.watcher()
    world.published = "v2"
    world.during_load.append(FakeService("v3-admin"))  # this worker's own reindex swaps
    assert not watcher.check() and world.version == "v3-admin"  # compare-and-swap lost
    world.published = "v3"
    assert watcher.check() and world.version == "v3"  # unknown service: reloaded once
    assert not watcher.check()


def test_an_admin_swap_is_followed_by_one_reload() -> None:
    world = World()
    watcher = world.watcher()
    world.published = "v2"
    world.served = FakeService("v2")  # an admin request of this worker published and swapped
    assert watcher.check() and world.loads == 1  # its version is unknown to the watcher
    assert not watcher.check() and world.loads == 1


def test_the_thread_checks_until_stopped() -> None:
    world = World()
    watcher = world.watcher()
    watcher.start()
    try:
        world.published = "v2"
        _wait_for(world, "v2", "the watcher did not swap")
    finally:
        watcher.stop()
    assert not any(t.name == "index-watcher" for t in threading.enumerate())


def test_a_marker_that_cannot_be_read_does_not_end_the_thread(
        caplog: pytest.LogCaptureFixture) -> None:
    world = World()
    reads = [0]

    def marker() -> Hashable:
        reads[0] += 1
        if 1 < reads[0] < 4:
            raise OSError("the volume is gone")
        return world.published

    watcher = world.watcher(marker)
    world.published = "v2"
    watcher.start()
    try:
        _wait_for(world, "v2", "the watcher stopped after an error")
    finally:
        watcher.stop()
    assert "checking the published index failed" in caplog.text


def test_a_service_that_says_its_version_is_not_loaded_again() -> None:
    """After this worker's own reindex its service already serves the published version: when
    the service can say which version it came from, the watcher does not load it a second
    time; one from an older version is still replaced."""
    world = World()
    follow = Follow(marker=lambda: cast(Hashable, world.published), reopen=world.reopen,
                    interval=0.01, served=lambda s: cast(FakeService, s).version)
    slot = Slot(get=lambda: cast(PolicyQA | None, world.served),
                put=lambda s: setattr(world, "served", s))
    watcher = IndexWatcher(follow, slot, clock=lambda: world.now)
    watcher.installed(cast(PolicyQA, world.served), watcher.mark())
    world.published = "v2"
    world.served = FakeService("v2")  # the reindex swapped it in itself
    assert not watcher.check()
    assert world.loads == 0
    world.published = "v3"
    assert watcher.check()
    assert world.loads == 1 and world.version == "v3"


def _wait_for(world: World, version: str, failure: str) -> None:
    """Until the watcher's thread has swapped in ``version`` (five seconds at most)."""
    deadline = time.monotonic() + 5
    while world.version != version:
        assert time.monotonic() < deadline, failure
        time.sleep(0.01)
