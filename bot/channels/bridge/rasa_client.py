"""A bridge's only way into the bot: the guarded REST channel, with a timeout, and one
more try of a turn that failed inside Rasa."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

TIMEOUT_SECONDS = 20
MAX_RETRY_WAIT_SECONDS = 5


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


class RasaClient:
    def __init__(self, url: str, channel: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url, self.channel = url, channel
        self.http = httpx.AsyncClient(timeout=timeout)

    async def send(
        self, sender: str, text: str, metadata: dict[str, str], message_id: str
    ) -> list[dict[str, Any]]:
        """The reply to one message. A turn that failed (an `error` item) is sent once more,
        with the same message id, so it can never run twice; if that fails too, its reply
        is the answer (it tells the user to try again)."""
        body = {"sender": sender, "message": text, "message_id": message_id,
                "metadata": {"channel": self.channel, **metadata}}
        messages = await self._post(body)
        wait = retry_after(messages)
        if wait is None or _has_crisis(messages):  # the emergency number now, not after a wait
            return messages
        await asyncio.sleep(wait)
        return await self._post(body)

    async def _post(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            response = await self.http.post(self.url, json=body)
            response.raise_for_status()
            messages = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from None
        if not isinstance(messages, list) or not messages:
            raise RasaUnavailable("empty reply")
        return messages

    async def close(self) -> None:
        await self.http.aclose()


def _has_crisis(messages: list[dict[str, Any]]) -> bool:
    return any(isinstance(m.get("custom"), dict) and m["custom"].get("kind") == "crisis" for m in messages)


def retry_after(messages: list[dict[str, Any]]) -> float | None:
    """Seconds to wait before trying a failed turn again; None if the turn did not fail."""
    for message in messages:
        item = message.get("custom")
        if isinstance(item, dict) and item.get("kind") == "error":
            wait = item.get("retry_after")
            wait = float(wait) if isinstance(wait, (int, float)) else 0.0
            return min(max(wait, 0.0), MAX_RETRY_WAIT_SECONDS)
    return None
