"""The ids Rasa sees for Telegram (bot/channels/bridge/identity.py): never the chat id,
and one message id per update."""

from __future__ import annotations

from bot.channels.bridge import identity

PREFIX = "telegram-"


def sender_id(chat_id: int, secret: str) -> str:
    return identity.sender_id(PREFIX, chat_id, secret)


def message_id(bot_id: int, update_id: int, secret: str, suffix: str = "") -> str:
    """A suffix names another message the bridge sends for the same update."""
    return identity.message_id(secret, bot_id, update_id, suffix)
