"""The sender id Rasa sees for a Telegram chat: never the chat id itself."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "telegram-"


def sender_id(chat_id: int, secret: str) -> str:
    """HMAC-SHA256 of the chat id under TELEGRAM_ID_SECRET: stable, and useless without the key."""
    digest = hmac.new(secret.encode(), str(chat_id).encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest
