"""What the bridge remembers about a chat, in the shared state (bot/stores/shared.py), so
that any bridge replica can take the chat's next update.

Every entry is keyed by the sender id (an HMAC of the chat id), holds no user text, and
expires: with the conversation (KALASAG_RETENTION_HOURS after its last write), or, for
the message ids /clear deletes, when Telegram no longer lets a bot delete them.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.content.catalog import DEFAULT_LANGUAGE
from bot.stores.shared import SharedState

MAX_KEYS_PER_CHAT = 200
MAX_MESSAGES_PER_CHAT = 500
DELETABLE_SECONDS = 48 * 3600  # Telegram lets a bot delete a message for 48 hours
LEARNT = ("language", "country")
# Names in the shared state, each followed by the sender id.
KEYS, SENT, CHAT, HINTED = "tg:keys:", "tg:sent:", "tg:chat:", "tg:hinted:"


class ChatState:
    def __init__(self, state: SharedState, retention_seconds: int) -> None:
        self.state = state
        self.ttl = max(1, retention_seconds)

    # Telegram's callback_data holds 64 bytes at most, and a signed payload is longer:
    # a button carries a random key to its payload. A key never handed out, or forgotten,
    # maps to nothing.

    async def key(self, sender: str, payload: str) -> str:
        key = secrets.token_urlsafe(12)  # 16 characters
        await self.state.put(KEYS + sender, key, payload, self.ttl, max_fields=MAX_KEYS_PER_CHAT)
        return key

    async def payload(self, sender: str, key: str) -> str | None:
        return await self.state.get(KEYS + sender, key)

    # Message ids of both sides, for /clear.

    async def sent(self, sender: str, message_id: int) -> None:
        await self.state.push(SENT + sender, str(message_id), DELETABLE_SECONDS,
                              max_items=MAX_MESSAGES_PER_CHAT)

    async def take_sent(self, sender: str) -> list[int]:
        # Once each: a redelivered update records its message again.
        return [int(m) for m in dict.fromkeys(await self.state.take(SENT + sender))]

    # What the bot's replies said, for the bridge's own messages.

    async def language(self, sender: str) -> str:
        return await self.state.get(CHAT + sender, "language") or DEFAULT_LANGUAGE

    async def country(self, sender: str) -> str | None:
        return await self.state.get(CHAT + sender, "country")

    async def learn(self, sender: str, replies: list[dict[str, Any]]) -> None:
        items = [m["custom"] for m in replies if isinstance(m.get("custom"), dict)]
        if any(item.get("kind") == "forgotten" for item in items):
            await self.forget(sender)
            return
        for item in items:
            for field in LEARNT:
                if isinstance(item.get(field), str) and item[field]:
                    await self.state.put(CHAT + sender, field, item[field], self.ttl)

    async def first_message(self, sender: str) -> bool:
        """True once per conversation: when the user's Telegram language is a hint."""
        return await self.state.first_time(HINTED + sender, self.ttl)

    async def forget(self, sender: str) -> None:
        # The message ids stay (numbers, gone in 48 hours): after "forget me", /clear can
        # still take the conversation off the user's phone.
        await self.state.drop(*(name + sender for name in (KEYS, CHAT, HINTED)))
