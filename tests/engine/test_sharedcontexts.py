"""Follow-up contexts in a real redis-server: shared by two workers' stores, expiring, never
keyed by the conversation id in clear, and a Redis gone mid-run failing follow-ups only."""

from __future__ import annotations

import time
from typing import Any

import pytest

from contract.errors import ConfigurationError
from engine.followup import Context
from engine.sharedcontexts import SharedContexts
from eval.loadtest import free_port
from tests.redisserver import RedisServer

CONTEXT = Context("fujian", "7.1", ("省民政厅", "省卫健委"), "yesno", "养老机构还需要许可吗")


def test_two_workers_share_a_conversation(redis_server: RedisServer) -> None:
    first = SharedContexts.connect(redis_server.url, 600)
    second = SharedContexts.connect(redis_server.url, 600)  # another worker
    first.put("conversation-id-alice", CONTEXT)
    assert second.get("conversation-id-alice") == CONTEXT
    assert second.get("conversation-id-bob") is None
    second.put("conversation-id-alice", None)
    assert first.get("conversation-id-alice") is None


def test_the_id_is_not_kept_in_clear(redis_server: RedisServer) -> None:
    from redis import Redis

    SharedContexts.connect(redis_server.url, 600).put("conversation-id-alice", CONTEXT)
    found: Any = Redis.from_url(redis_server.url).keys("*")  # a list (a sync client)
    keys = [k.decode() for k in found]
    assert len(keys) == 1 and "alice" not in keys[0]


def test_a_context_expires(redis_server: RedisServer) -> None:
    contexts = SharedContexts.connect(redis_server.url, 0.3)
    contexts.put("conversation-id-alice", CONTEXT)
    assert contexts.get("conversation-id-alice") == CONTEXT
    time.sleep(0.5)
    assert contexts.get("conversation-id-alice") is None


def test_off_keeps_nothing(redis_server: RedisServer) -> None:
    contexts = SharedContexts.connect(redis_server.url, 0)
    contexts.put("conversation-id-alice", CONTEXT)
    assert contexts.get("conversation-id-alice") is None


def test_unreachable_at_start_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match=r"cannot reach Redis at redis://127\.0\.0\.1") \
            as raised:
        SharedContexts.connect(f"redis://:pw-secret@127.0.0.1:{free_port()}/0", 600)
    assert "pw-secret" not in str(raised.value)


def test_redis_gone_mid_run_fails_follow_ups_only(redis_server: RedisServer,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    contexts = SharedContexts.connect(redis_server.url, 600)
    contexts.put("conversation-id-alice", CONTEXT)
    redis_server.stop()
    assert contexts.get("conversation-id-alice") is None
    contexts.put("conversation-id-alice", CONTEXT)
    assert contexts.failures == 2
    assert [r.levelname for r in caplog.records if r.name == "engine.sharedcontexts"] == ["ERROR"]
    assert "alice" not in caplog.text
