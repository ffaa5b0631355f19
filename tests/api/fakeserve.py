"""``policyqa`` with the fake encoder, for tests that start ``policyqa serve`` as a process
and need it up in seconds: ``python -m tests.api.fakeserve serve ...`` (with the repository on
PYTHONPATH).

The worker processes of ``serve --workers N`` are spawned and import this module again as their
main module, so they run with the fake encoder too. Nothing else differs from ``policyqa``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import engine.service
from engine.refusal import RefusalModel
from index.encoder import Encoder
from index.fake import HashingEncoder
from policyqa import runtime
from policyqa.settings import Settings
from tests.conftest import FAKE_REFUSAL


def fake_encoder(settings: Settings, progress: Callable[[str], None] | None = None) -> Encoder:
    """The fake encoder, whatever model the settings name."""
    return HashingEncoder()


def fake_refusal(model_id: str, path: Path | None = None) -> RefusalModel:
    """The refusal model the fake-encoder tests use."""
    return FAKE_REFUSAL


runtime.open_encoder = fake_encoder
setattr(engine.service, "load_refusal", fake_refusal)  # noqa: B010 - the name it imported

if __name__ == "__main__":
    from policyqa.cli import main

    sys.exit(main())
