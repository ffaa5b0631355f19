"""Who asked, without knowing who: a keyed hash of a channel's user id.

``UserHasher(key).hash(channel, user_id)`` is HMAC-SHA256 under a key derived from the
deployment's secret (``POLICYQA_LOG_KEY``) and the channel, as 64 hex digits: the same person
gets the same hash on one channel (so a report can count people and follow a conversation),
different hashes on two channels (they cannot be linked), and nobody without the key can test
a guessed id against the log. Changing the key unlinks every earlier row.

Without a key the log still records answers, with no user hash at all (None): the log must not
stop a deployment that never set one, and an unkeyed hash of a phone-number-like id could be
reversed by trying every number. A key shorter than :data:`MIN_KEY` characters is refused.

What people type can name them too: :func:`mask_personal_data` replaces mobile numbers, 18-digit
ID card numbers, e-mail addresses and landline numbers in a question or a comment by a
placeholder (``[手机号]``, ``[身份证号]``, ``[邮箱]``, ``[电话]``) — nothing of the number is kept,
not even its first or last digits. :mod:`usage.record` applies it to every record it makes,
before anything is queued, stored or exported.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import TYPE_CHECKING

from pydantic import SecretStr

from contract.errors import ConfigurationError

if TYPE_CHECKING:  # usage.record masks its text with this module
    from usage.record import Channel

logger = logging.getLogger(__name__)

MIN_KEY = 16
"""Characters a log key needs at least (e.g. ``openssl rand -hex 32`` gives 64)."""
_DOMAIN = b"policyqa usage user hash v1\x00"
_NOT_DIGIT_BEFORE, _NOT_DIGIT_AFTER = r"(?<![0-9])", r"(?![0-9])"
PERSONAL_DATA: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"), "[邮箱]"),
    (re.compile(_NOT_DIGIT_BEFORE + r"[0-9]{17}[0-9Xx](?![0-9A-Za-z])"), "[身份证号]"),
    (re.compile(_NOT_DIGIT_BEFORE + r"(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}"
                + _NOT_DIGIT_AFTER), "[手机号]"),
    (re.compile(_NOT_DIGIT_BEFORE + r"(?:\(0[0-9]{2,3}\)|0[0-9]{2,3})[- ]?[0-9]{7,8}"
                + _NOT_DIGIT_AFTER), "[电话]"),
)
"""What :func:`mask_personal_data` replaces, in this order (an e-mail address may hold a
mobile number; an ID number holds eleven digits in a row)."""


def mask_personal_data(text: str) -> str:
    """``text`` with its mobile numbers (``13812345678``, ``+86 138 1234 5678``), ID card
    numbers (17 digits and a digit or X), e-mail addresses and landline numbers
    (``0591-12345678``, ``(0591)12345678``) replaced by ``[手机号]``, ``[身份证号]``, ``[邮箱]``,
    ``[电话]``."""
    for pattern, placeholder in PERSONAL_DATA:
        text = pattern.sub(placeholder, text)
    return text


class UserHasher:
    """Keyed, per-channel hashes of user ids; None for every id when there is no key."""

    def __init__(self, key: SecretStr | str | None) -> None:
        secret = key.get_secret_value() if isinstance(key, SecretStr) else key
        if secret is not None and len(secret.strip()) < MIN_KEY:
            raise ConfigurationError(
                f"POLICYQA_LOG_KEY is too short: at least {MIN_KEY} characters "
                "(e.g. the output of openssl rand -hex 32)")
        self._key = secret.strip().encode() if secret else None
        self._channels: dict[str, bytes] = {}
        if self._key is None:
            logger.warning("POLICYQA_LOG_KEY is not set: the question log keeps no user hashes")

    @property
    def enabled(self) -> bool:
        """Whether ids are hashed (a key is set) rather than left out."""
        return self._key is not None

    def hash(self, channel: Channel, user_id: str | int | None) -> str | None:
        """The user's hash on this channel, or None (no key, or no user id)."""
        if self._key is None or user_id is None or str(user_id) == "":
            return None
        channel_key = self._channels.get(channel)
        if channel_key is None:
            channel_key = hmac.new(self._key, _DOMAIN + channel.encode(), hashlib.sha256).digest()
            self._channels[channel] = channel_key
        return hmac.new(channel_key, str(user_id).encode(), hashlib.sha256).hexdigest()
