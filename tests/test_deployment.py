"""The container recipe and the compose file: checked here (no Docker daemon in CI) and by
hadolint in `make test`."""

from __future__ import annotations

import re

from tests.conftest import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = (REPO / "compose.yaml").read_text(encoding="utf-8")


def _stage(name: str) -> str:
    """The instructions of one build stage."""
    parts = re.split(r"^FROM ", DOCKERFILE, flags=re.MULTILINE)
    return next(p for p in parts if re.match(rf"\S+ AS {name}\b", p))


def test_two_stages_and_no_pytorch_at_run_time() -> None:
    build, runtime = _stage("build"), _stage("runtime")
    assert "requirements-torch.txt" in build and ".[build]" in build
    assert "policyqa model build" in build  # the model and its graph, built offline at build
    assert "torch" not in runtime and ".[build]" not in runtime
    assert "--extra-index-url" in build and "/whl/cpu" in build  # the CPU build only


def test_runs_as_an_unprivileged_user_with_a_health_check() -> None:
    runtime = _stage("runtime")
    user = re.search(r"^USER (\S+)", runtime, flags=re.MULTILINE)
    assert user is not None and not user.group(1).startswith(("0", "root"))
    assert "HEALTHCHECK" in runtime and "/readyz" in runtime
    assert re.search(r'^CMD \["policyqa", "serve"\]', runtime, flags=re.MULTILINE)


def test_compose_runs_the_api_and_the_bot_without_secrets_in_the_file() -> None:
    assert re.search(r"^  api:\n", COMPOSE, flags=re.MULTILINE)
    assert re.search(r"^  bot:\n", COMPOSE, flags=re.MULTILINE)
    assert '["policyqa", "bot"]' in COMPOSE
    assert not re.search(r"(TOKEN|API_KEY|SECRET)\s*[:=]\s*\S", COMPOSE)


def test_every_constraint_is_a_registry_pin() -> None:
    # `pip freeze` writes `name @ file:///…` for a wheel installed from a local file; such a
    # line installs on the machine that froze it and nowhere else (a fresh clone fails).
    lines = [line.strip() for line in (REPO / "constraints.txt").read_text(encoding="utf-8")
             .splitlines() if line.strip() and not line.startswith("#")]
    assert lines
    loose = [line for line in lines
             if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*==[A-Za-z0-9.+!_-]+", line)]
    assert loose == []
