"""Who asked, without knowing who: a keyed hash of a channel's user id.

``UserHasher(key).hash(channel, user_id)`` is HMAC-SHA256 under a key derived from the
deployment's secret (``POLICYQA_LOG_KEY``) and the channel, as 64 hex digits: the same person
gets the same hash on one channel (so a report can count people and follow a conversation),
different hashes on two channels (they cannot be linked), and nobody without the key can test
a guessed id against the log. Changing the key unlinks every earlier row.

Without a key the log still records answers, with no user hash at all (None): the log must not
stop a deployment that never set one, and an unkeyed hash of a phone-number-like id could be
reversed by trying every number. A key shorter than :data:`MIN_KEY` characters is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import logging

from pydantic import SecretStr

from contract.errors import ConfigurationError
from usage.record import Channel

logger = logging.getLogger(__name__)

MIN_KEY = 16
"""Characters a log key needs at least (e.g. ``openssl rand -hex 32`` gives 64)."""
_DOMAIN = b"policyqa usage user hash v1\x00"


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
