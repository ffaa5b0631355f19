"""The app's WeCom crypto (wechatpy) against the stand-in's own implementation of WeCom's
description, in both directions, and the failures it reports."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest

from bot.wecom_crypto import BadEnvelope, BadSignature, WeComCrypto, check_aes_key
from contract.errors import ConfigurationError
from tests.bot.wecom_standin import decrypt, encrypt, new_aes_key, sign

CORP = "ww0011223344556677"
TOKEN = "tok-Zx81"


@pytest.fixture
def key() -> str:
    return new_aes_key()


def test_opens_what_wecom_sealed(key: str) -> None:
    crypto = WeComCrypto(TOKEN, key, CORP)
    for text in ("echo-1", "<xml><Content><![CDATA[养老机构还需要许可吗]]></Content></xml>",
                 "x" * 31, "y" * 32, "问" * 1000):
        encrypted = encrypt(key, text, CORP)
        assert crypto.open(sign(TOKEN, "1700000000", "n1", encrypted), "1700000000", "n1",
                           encrypted) == text


def test_wecom_opens_what_the_app_sealed(key: str) -> None:
    sealed = ET.fromstring(WeComCrypto(TOKEN, key, CORP).seal("<xml>回复</xml>", "abc", 1700000001).xml)
    encrypted = sealed.findtext("Encrypt") or ""
    assert sealed.findtext("MsgSignature") == sign(TOKEN, "1700000001", "abc", encrypted)
    assert sealed.findtext("TimeStamp") == "1700000001" and sealed.findtext("Nonce") == "abc"
    assert decrypt(key, encrypted) == ("<xml>回复</xml>", CORP)  # padding checked there


def test_a_wrong_signature_is_refused_before_decrypting(key: str) -> None:
    crypto = WeComCrypto(TOKEN, key, CORP)
    encrypted = encrypt(key, "echo", CORP)
    good = sign(TOKEN, "1", "n", encrypted)
    with pytest.raises(BadSignature):
        crypto.open(sign("other-token", "1", "n", encrypted), "1", "n", encrypted)
    with pytest.raises(BadSignature):
        crypto.open(good, "2", "n", encrypted)  # the timestamp is signed too
    assert crypto.open(good.upper(), "1", "n", encrypted) == "echo"


def test_another_corp_or_key_does_not_open(key: str) -> None:
    crypto = WeComCrypto(TOKEN, key, CORP)
    for encrypted in (encrypt(key, "hi", "ww-other"), encrypt(new_aes_key(), "hi", CORP),
                      "bm90IGFlcw==", "%%%"):
        with pytest.raises(BadEnvelope):
            crypto.open(sign(TOKEN, "1", "n", encrypted), "1", "n", encrypted)


@pytest.mark.parametrize("bad", ["", "short", "!" * 43, base64.b64encode(b"k" * 31).decode()])
def test_a_bad_encoding_aes_key_is_a_configuration_error(bad: str) -> None:
    with pytest.raises(ConfigurationError, match="POLICYQA_WECOM_ENCODING_AES_KEY") as caught:
        check_aes_key(bad)
    assert not bad or bad not in str(caught.value)


def test_secrets_stay_out_of_repr(key: str) -> None:
    shown = repr(WeComCrypto(TOKEN, key, CORP))
    assert TOKEN not in shown and key not in shown and CORP in shown
