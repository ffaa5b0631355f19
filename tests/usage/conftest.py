"""The question log's databases: every test that takes ``database_url`` runs against a SQLite
file and against a real PostgreSQL server (:mod:`tests.postgresserver`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgresserver import own_postgres as own_postgres
from tests.postgresserver import postgres_server as postgres_server
from tests.postgresserver import postgres_url as postgres_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a new database on the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'usage.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url
