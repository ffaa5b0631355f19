"""Fixtures of the store tests."""

from __future__ import annotations

import pytest

from corpus.document import Document
from corpus.units import load_aliases
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.store import LoadedIndex, build_index, load_index


@pytest.fixture(scope="session")
def two(tmp_path_factory: pytest.TempPathFactory, fujian: Document,
        govcn: dict[str, Document]) -> LoadedIndex:
    """Fujian and one State Council notice, the latter repealed."""
    other = next(iter(govcn.values())).model_copy(update={"status": "废止"})
    folder = tmp_path_factory.mktemp("embedded") / "index"
    build_index([fujian, other], HashingEncoder(), folder, aliases=load_aliases(),
                lexicon=load_lexicon(), stopwords=load_stopwords())
    return load_index(folder, HashingEncoder(), load_stopwords())
