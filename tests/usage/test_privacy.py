"""User ids are kept only as keyed hashes, per channel: the same person is one hash on one
channel, two unlinkable hashes on two channels, and nothing at all without a key; phone, ID card
and e-mail typed into questions and comments are masked when a record is made."""

from __future__ import annotations

import hashlib
import hmac
import logging
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from contract.answer import Answer
from contract.errors import ConfigurationError
from usage.privacy import MIN_KEY, UserHasher, mask_personal_data
from usage.record import Asked, Feedback, asked_from

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


@pytest.mark.parametrize(("typed", "kept"), [
    ("我的手机13812345678收不到验证码", "我的手机[手机号]收不到验证码"),
    ("打 +86 139-1234-5678 或 150 1234 5678", "打 [手机号] 或 [手机号]"),
    ("身份证35010219900101123X和350102199001011234", "身份证[身份证号]和[身份证号]"),
    ("写信到 zhang.san@example.com.cn 或 13812345678@qq.com", "写信到 [邮箱] 或 [邮箱]"),
    ("电话0591-12345678，(0591)87654321，021 1234567", "电话[电话]，[电话]，[电话]"),
])
def test_phone_id_and_email_are_masked(typed: str, kept: str) -> None:
    assert mask_personal_data(typed) == kept


@pytest.mark.parametrize("text", [
    "闽政〔2021〕15号第三条", "2026年3月1日起施行", "补贴1000元", "第12345678号",
    "订单号123456789012345678901", "12345678901", "ISBN 9787111111111"])
def test_other_numbers_are_kept(text: str) -> None:
    assert mask_personal_data(text) == text


def test_records_are_masked_when_made() -> None:
    answer = Answer(question="我叫张三，电话13812345678，能办低保吗", status="not_found",
                    answer="未找到依据")
    asked = asked_from(answer, answer_id="a" * 32, at=datetime(2026, 3, 2, tzinfo=UTC),
                       channel="api", user=None, latency_ms=3.0)
    assert asked.question == "我叫张三，电话[手机号]，能办低保吗"
    direct = Asked("b" * 32, datetime(2026, 3, 2, tzinfo=UTC), "wecom", None,
                   "邮箱 a@b.cn", "answered", None, None, (), None, 1.0)
    assert direct.question == "邮箱 [邮箱]"
    rated = Feedback("a" * 32, datetime(2026, 3, 2, tzinfo=UTC), -1, "other",
                     "回电 0591-12345678 或 350102199001011234")
    assert rated.comment == "回电 [电话] 或 [身份证号]"
    assert Feedback("a" * 32, datetime(2026, 3, 2, tzinfo=UTC), 1).comment is None
