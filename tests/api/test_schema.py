"""Schemathesis against the OpenAPI schema: no server errors, no response that breaks it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.app import create_app
from index.store import LoadedIndex
from tests.conftest import fake_runtime


@pytest.fixture(scope="module")
def running_app(fake_index: LoadedIndex) -> Iterator[FastAPI]:
    runtime = fake_runtime(fake_index)
    app = create_app(lambda: runtime, rate_limit_per_minute=0)
    with TestClient(app):  # runs the lifespan, so the runtime is loaded
        yield app


def test_api_conforms_to_its_schema(running_app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", running_app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == 9  # ask, search, documents, clause, units, suggestions, healthz,
    # readyz, metrics
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            case.call_and_validate()

        run()
