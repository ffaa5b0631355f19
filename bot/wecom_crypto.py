"""WeCom's callback security: the signature on every callback, and the AES envelope around
every message, in both directions.

WeCom signs a callback with ``sha1`` over the sorted strings token, timestamp, nonce and the
encrypted text, and encrypts with AES-256-CBC (key ``base64(EncodingAESKey + "=")``, IV its first
16 bytes, PKCS#7 padding to 32 bytes) the plaintext 16 random bytes + 4-byte network-order length
+ message + receive id (the corp id). The cipher work is wechatpy's (``wechatpy.enterprise``);
this module checks the signature first, in constant time, and turns every failure into the
project's :class:`~contract.errors.InputError` subclasses, naming no secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

from contract.errors import ConfigurationError, InputError

AES_KEY_LENGTH = 43
"""Characters of an EncodingAESKey as WeCom's admin console shows it."""


class BadSignature(InputError):
    """A callback whose signature does not match: not from WeCom (or another token)."""


class BadEnvelope(InputError):
    """A signed callback whose encrypted text does not decrypt to a message for this corp."""


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """WeCom's ``msg_signature``: sha1 of the four strings sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


def check_aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key behind an EncodingAESKey; ConfigurationError (without the value) when
    it is not one."""
    key = encoding_aes_key.strip()
    try:
        raw = base64.b64decode(key + "=", validate=True) if len(key) == AES_KEY_LENGTH else b""
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ConfigurationError(
            f"POLICYQA_WECOM_ENCODING_AES_KEY is not an EncodingAESKey: it must be the "
            f"{AES_KEY_LENGTH} letters and digits shown with the callback settings")
    return raw


@dataclass(frozen=True)
class Sealed:
    """An encrypted passive reply: the XML body to answer the callback with."""

    xml: str


@dataclass(frozen=True)
class WeComCrypto:
    """Signature checks and the AES envelope for one app's callback (token, key, corp id)."""

    token: str = field(repr=False)
    encoding_aes_key: str = field(repr=False)
    corp_id: str

    def __post_init__(self) -> None:
        check_aes_key(self.encoding_aes_key)

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        """BadSignature unless ``msg_signature`` signs these values with the token."""
        expected = signature(self.token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), msg_signature.strip().lower().encode()):
            raise BadSignature("the callback's signature does not match the token")

    def open(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        """The plaintext of a signed, encrypted text (an ``echostr`` or a message's
        ``Encrypt``): BadSignature, or BadEnvelope when it does not decrypt for this corp."""
        self.verify(msg_signature, timestamp, nonce, encrypted)
        try:
            prp = PrpCrypto(check_aes_key(self.encoding_aes_key))
            text: str = prp.decrypt(encrypted, self.corp_id)
        except Exception as exc:  # wechatpy raises whatever the bytes lead to
            raise BadEnvelope(f"the callback's message does not decrypt for this corp "
                              f"({type(exc).__name__})") from None
        return text

    def seal(self, xml: str, nonce: str | None = None, timestamp: int | None = None) -> Sealed:
        """A passive reply: ``xml`` encrypted for WeCom and signed, in WeCom's reply XML."""
        crypto = WeChatCrypto(self.token, self.encoding_aes_key.strip(), self.corp_id)
        body: str = crypto.encrypt_message(
            xml, nonce or secrets.token_hex(8), str(timestamp or int(time.time())))
        return Sealed(body)
