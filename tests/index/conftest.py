"""Index fixtures: a small index built with the deterministic fake encoder."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.document import Document
from corpus.units import load_aliases
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.search import HybridRetriever
from index.store import LoadedIndex, build_index, load_index


def build_fake(documents: list[Document], folder: Path, encoder: HashingEncoder | None = None
               ) -> None:
    """Build an index of ``documents`` with the fake encoder."""
    build_index(documents, encoder or HashingEncoder(), folder, aliases=load_aliases(),
                lexicon=load_lexicon(), stopwords=load_stopwords())


@pytest.fixture(scope="session")
def fake_index_dir(tmp_path_factory: pytest.TempPathFactory, fujian: Document) -> Path:
    folder = tmp_path_factory.mktemp("index") / "fujian"
    build_fake([fujian], folder)
    return folder


@pytest.fixture(scope="session")
def fake_index(fake_index_dir: Path) -> LoadedIndex:
    return load_index(fake_index_dir, HashingEncoder(), load_stopwords())


@pytest.fixture(scope="session")
def fake_retriever(fake_index: LoadedIndex) -> HybridRetriever:
    return HybridRetriever(fake_index, HashingEncoder(), load_lexicon())
