"""The bridge's only way into the bot: the guarded REST channel, with a timeout."""

from __future__ import annotations

from typing import Any

import httpx

TIMEOUT_SECONDS = 20


class RasaUnavailable(Exception):
    """Rasa did not answer in time, or answered with an error."""


class RasaClient:
    def __init__(self, url: str, timeout: float = TIMEOUT_SECONDS) -> None:
        self.url = url
        self.http = httpx.AsyncClient(timeout=timeout)

    async def send(self, sender: str, text: str, metadata: dict[str, str]) -> list[dict[str, Any]]:
        body = {"sender": sender, "message": text, "metadata": {"channel": "telegram", **metadata}}
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
