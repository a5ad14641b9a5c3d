"""The ids Rasa sees for Telegram: never the chat id, and one message id per update."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "telegram-"


def sender_id(chat_id: int, secret: str) -> str:
    """HMAC-SHA256 of the chat id under TELEGRAM_ID_SECRET: stable, and useless without the key."""
    digest = hmac.new(secret.encode(), str(chat_id).encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest


def message_id(bot_id: int, update_id: int, secret: str, suffix: str = "") -> str:
    """The REST `message_id` for a Telegram update: the same on every delivery and on every
    replica, so Rasa runs the turn once. A suffix names another message the bridge sends
    for the same update."""
    text = f"{bot_id}:{update_id}" + (f":{suffix}" if suffix else "")
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
