"""Huge pages for the vector index: advised over whole 2 MiB pages only, and taken by the
kernel where transparent huge pages are on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.dense import VectorIndex
from index.pages import HUGE_PAGE, advise_faiss, advise_huge

THP = Path("/sys/kernel/mm/transparent_hugepage/enabled")


def _pages(address: int, size: int) -> tuple[bool, int]:
    """Of the mappings over ``size`` bytes at ``address`` in this process (the advice splits a
    mapping: the buffer's ends stay in mappings of their own): whether one carries the huge-page
    advice (the ``hg`` flag, whether or not the kernel has collapsed it yet), and their
    AnonHugePages in KiB."""
    inside = advised = False
    huge = 0
    for line in Path("/proc/self/smaps").read_text().splitlines():
        head = line.split(maxsplit=1)[0]
        if "-" in head and not head.endswith(":"):
            low, high = (int(part, 16) for part in head.split("-"))
            inside = low < address + size and address < high
        elif inside and head == "AnonHugePages:":
            huge += int(line.split()[1])
        elif inside and head == "VmFlags:":
            advised = advised or "hg" in line.split()[1:]
    return advised, huge


def test_a_buffer_without_a_whole_huge_page_is_left_alone() -> None:
    buffer = np.zeros(HUGE_PAGE // 2, dtype=np.uint8)
    assert advise_huge(buffer.ctypes.data, buffer.nbytes) == 0


def test_only_the_whole_pages_inside_a_buffer_are_advised() -> None:
    buffer = np.zeros(3 * HUGE_PAGE, dtype=np.uint8)
    advised = advise_huge(buffer.ctypes.data + 1, buffer.nbytes - 1)
    if not sys.platform.startswith("linux"):
        assert advised == 0
        return
    # Whatever the alignment, the advice never reaches past either end of the buffer.
    assert advised in (HUGE_PAGE, 2 * HUGE_PAGE)


_CHILD = """
import json, sys
import faiss
from index.dense import VectorIndex
from tests.index.test_pages import _pages

index = faiss.read_index(sys.argv[1])
flat = faiss.downcast_index(index.storage) if isinstance(index, faiss.IndexHNSW) else index
where = (int(flat.codes.data()), flat.codes.size())
before = _pages(*where)
VectorIndex(index)
print(json.dumps([before, _pages(*where)]))
"""


@pytest.mark.skipif(not THP.exists() or "[never]" in THP.read_text(),
                    reason="transparent huge pages are off on this system")
@pytest.mark.parametrize("index_type", ["flat", "hnsw"])
def test_a_vector_index_is_held_in_huge_pages(index_type: str, tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((6_000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex.build(vectors, index_type)  # type: ignore[arg-type]
    index.save(tmp_path / "vectors.faiss")
    # A fresh process reads it, where no earlier large allocation (numpy advises its own) has
    # left the heap advised already.
    child = subprocess.run([sys.executable, "-c", _CHILD, str(tmp_path / "vectors.faiss")],
                           capture_output=True, text=True, check=True,
                           cwd=Path(__file__).parents[2])
    (advised_before, huge_before), (advised_after, huge_after) = \
        json.loads(child.stdout.strip().splitlines()[-1])
    assert not advised_before and advised_after
    if "[madvise]" in THP.read_text():
        assert huge_before == 0
    # Collapsed at once where the kernel can (6.1 and later); khugepaged does it later before.
    kernel = tuple(int(x) for x in os.uname().release.split(".")[:2] if x.isdigit())
    if kernel >= (6, 1):
        assert huge_after >= HUGE_PAGE // 1024


@pytest.mark.skipif(not THP.exists() or "[never]" in THP.read_text(),
                    reason="transparent huge pages are off on this system")
def test_advising_changes_nothing_a_search_sees() -> None:
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((6_000, 384)).astype(np.float32)  # 9 MB: whole huge pages
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex.build(vectors, "flat")
    before = index.search(vectors[7], 20)
    assert advise_faiss(index._index) >= HUGE_PAGE
    after = index.search(vectors[7], 20)
    assert np.array_equal(before[1], after[1]) and np.array_equal(before[0], after[0])
    assert after[1][0] == 7
