"""Shared fixtures: the project's own copies of the reference corpora (never ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.document import Document
from corpus.reader import read_path

REPO = Path(__file__).resolve().parent.parent
FUJIAN = REPO / "corpus" / "fujian_2021_fangguanfu.txt"
GOVCN = REPO / "corpus" / "govcn_2018_2019.jsonl"


@pytest.fixture(scope="session")
def fujian() -> Document:
    (document,) = read_path(FUJIAN)
    return document


@pytest.fixture(scope="session")
def govcn() -> dict[str, Document]:
    return {doc.number or doc.doc_id: doc for doc in read_path(GOVCN)}
