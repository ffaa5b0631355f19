"""Schemathesis against the OpenAPI schema, as a reviewer runs it: every check, every phase
(examples, coverage, fuzzing, stateful), over HTTP to uvicorn on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.main import create_app
from engine.service import PolicyQA
from index.store import LoadedIndex
from tests.conftest import fake_service
from tests.liveserver import LiveServer


@pytest.fixture(scope="module")
def server(fake_index: LoadedIndex) -> Iterator[LiveServer]:
    runtime = fake_service(fake_index)

    def same(current: PolicyQA) -> PolicyQA:
        return current

    live = LiveServer(lambda: create_app(lambda: runtime, rate_limit_per_minute=0,
                                         rebuild=same, admin_key="st-key")).start()
    yield live
    live.stop()


def test_api_conforms_to_its_schema_under_every_check(server: LiveServer) -> None:
    cli = Path(sys.executable).with_name("schemathesis")
    done = subprocess.run(
        [str(cli), "--config-file", str(Path(__file__).with_name("schemathesis.toml")), "run",
         f"{server.base}/openapi.json", "--checks", "all", "--seed", "20261129",
         "--max-examples", "30", "-H", "X-API-Key: st-key", "--no-color"],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "16 selected / 16 total" in done.stdout  # ask, feedback, search, documents, clause,
    # units, suggestions, limits, reindex, healthz, readyz, metrics, and the admin documents:
    # list, upload, remove, status
    assert "No issues found" in done.stdout
