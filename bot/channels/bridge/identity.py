"""The ids Rasa sees for a platform's chats: never the platform's own id."""

from __future__ import annotations

import hashlib
import hmac


def sender_id(prefix: str, platform_id: int | str, secret: str) -> str:
    """prefix + HMAC-SHA256 of the platform id under the bridge's id secret: stable, and
    useless without the key."""
    digest = hmac.new(secret.encode(), str(platform_id).encode(), hashlib.sha256).hexdigest()
    return prefix + digest


def message_id(secret: str, *parts: object) -> str:
    """The REST `message_id` for one delivery: the same on every redelivery and every
    replica, so Rasa runs the turn once. Empty parts are left out."""
    text = ":".join(str(p) for p in parts if p != "")
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
