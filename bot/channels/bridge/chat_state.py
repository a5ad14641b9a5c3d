"""What a bridge remembers about a chat, in the shared state (bot/stores/shared.py), so
that any bridge replica can take the chat's next update.

Every entry is keyed by the sender id (an HMAC of the chat id), holds no user text, and
expires: with the conversation (KALASAG_RETENTION_HOURS after its last write), or, for
the message ids Telegram's /clear deletes, when Telegram no longer lets a bot delete them.
Each bridge has its own namespace ("tg", "fb") in the shared state.
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
# What the last crisis and the last answer were, for a handover note (ids, never words).
LEARNT_AS = {("crisis", "category"): "category", ("answer", "content_id"): "topic"}
# Names in the shared state, after the namespace; each followed by the sender id.
KEYS, SENT, CHAT, HINTED, SEEN, HELD = ":keys:", ":sent:", ":chat:", ":hinted:", ":seen:", ":held:"


class ChatState:
    def __init__(self, state: SharedState, retention_seconds: int, namespace: str = "tg") -> None:
        self.state = state
        self.ttl = max(1, retention_seconds)
        self.ns = namespace

    # Telegram's callback_data holds 64 bytes at most, and a signed payload is longer:
    # a button carries a random key to its payload. A key never handed out, or forgotten,
    # maps to nothing.

    async def key(self, sender: str, payload: str) -> str:
        key = secrets.token_urlsafe(12)  # 16 characters
        await self.state.put(self.ns + KEYS + sender, key, payload, self.ttl, max_fields=MAX_KEYS_PER_CHAT)
        return key

    async def payload(self, sender: str, key: str) -> str | None:
        return await self.state.get(self.ns + KEYS + sender, key)

    # Message ids of both sides, for /clear.

    async def sent(self, sender: str, message_id: int) -> None:
        await self.state.push(self.ns + SENT + sender, str(message_id), DELETABLE_SECONDS,
                              max_items=MAX_MESSAGES_PER_CHAT)

    async def take_sent(self, sender: str) -> list[int]:
        # Once each: a redelivered update records its message again.
        return [int(m) for m in dict.fromkeys(await self.state.take(self.ns + SENT + sender))]

    # What the bot's replies said, for the bridge's own messages.

    async def language(self, sender: str) -> str:
        return await self.state.get(self.ns + CHAT + sender, "language") or DEFAULT_LANGUAGE

    async def country(self, sender: str) -> str | None:
        return await self.state.get(self.ns + CHAT + sender, "country")

    async def learn(self, sender: str, replies: list[dict[str, Any]]) -> None:
        items = [m["custom"] for m in replies if isinstance(m.get("custom"), dict)]
        if any(item.get("kind") == "forgotten" for item in items):
            await self.forget(sender)
            return
        for item in items:
            for field in LEARNT:
                if isinstance(item.get(field), str) and item[field]:
                    await self.state.put(self.ns + CHAT + sender, field, item[field], self.ttl)
            for (kind, field), name in LEARNT_AS.items():
                if item.get("kind") == kind and isinstance(item.get(field), str):
                    await self.state.put(self.ns + CHAT + sender, name, item[field], self.ttl)

    async def learnt(self, sender: str, name: str) -> str | None:
        """What `learn` kept: language, country, category (of the last crisis) or topic."""
        return await self.state.get(self.ns + CHAT + sender, name)

    async def first_message(self, sender: str) -> bool:
        """True once per conversation: when the user's Telegram language is a hint."""
        return await self.state.first_time(self.ns + HINTED + sender, self.ttl)

    async def first_delivery(self, delivery: str) -> bool:
        """True for the first of a platform's deliveries with this id (already an HMAC), on
        any replica: a redelivered message is answered once."""
        return await self.state.first_time(self.ns + SEEN + delivery, self.ttl)

    # Handover: while people on the platform hold the thread, the bot stays silent.

    async def hold(self, sender: str, owner: str) -> None:
        await self.state.put(self.ns + HELD + sender, "owner", owner, self.ttl)

    async def held(self, sender: str) -> bool:
        return await self.state.get(self.ns + HELD + sender, "owner") is not None

    async def release(self, sender: str) -> None:
        await self.state.drop(self.ns + HELD + sender)

    async def forget(self, sender: str) -> None:
        # The message ids stay (numbers, gone in 48 hours): after "forget me", /clear can
        # still take the conversation off the user's phone.
        await self.state.drop(*(self.ns + name + sender for name in (KEYS, CHAT, HINTED, HELD)))
