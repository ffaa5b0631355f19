"""User ids are kept only as keyed hashes, per channel: the same person is one hash on one
channel, two unlinkable hashes on two channels, and nothing at all without a key."""

from __future__ import annotations

import hashlib
import hmac
import logging

import pytest
from pydantic import SecretStr

from contract.errors import ConfigurationError
from usage.privacy import MIN_KEY, UserHasher

KEY = "k" * 24 + "-deployment"


def test_the_same_user_on_one_channel_is_one_hash() -> None:
    users = UserHasher(KEY)
    first = users.hash("telegram", 420012345)
    assert first == users.hash("telegram", "420012345")
    assert first is not None and len(first) == 64 and int(first, 16) >= 0
    assert users.hash("telegram", 420012346) != first


def test_two_channels_cannot_be_linked() -> None:
    users = UserHasher(KEY)
    assert users.hash("wecom", "zhangsan") != users.hash("dingtalk", "zhangsan")


def test_the_hash_is_hmac_sha256_under_a_channel_key() -> None:
    channel_key = hmac.new(KEY.encode(), b"policyqa usage user hash v1\x00wecom",
                           hashlib.sha256).digest()
    expected = hmac.new(channel_key, b"zhangsan", hashlib.sha256).hexdigest()
    assert UserHasher(SecretStr(KEY)).hash("wecom", "zhangsan") == expected
    assert expected != hashlib.sha256(b"zhangsan").hexdigest()


def test_another_key_gives_other_hashes() -> None:
    assert UserHasher(KEY).hash("api", "u1") != UserHasher(KEY + "2").hash("api", "u1")


def test_without_a_key_no_hash_is_kept(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        users = UserHasher(None)
    assert not users.enabled
    assert users.hash("telegram", 420012345) is None
    assert "POLICYQA_LOG_KEY is not set" in caplog.text


def test_no_user_id_no_hash() -> None:
    users = UserHasher(KEY)
    assert users.enabled
    assert users.hash("api", None) is None and users.hash("api", "") is None


def test_a_short_key_is_refused_without_showing_it() -> None:
    short = "x" * (MIN_KEY - 1)
    with pytest.raises(ConfigurationError, match="too short") as caught:
        UserHasher(short)
    assert short not in str(caught.value)
