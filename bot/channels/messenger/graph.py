"""Meta's Graph API, only as much as the bridge needs: the Send API, sender actions, the
handover protocol and the Messenger Profile API. Every call goes to <base>/me/...

Errors (https://developers.facebook.com/docs/messenger-platform/error-codes): a 5xx, a
rate limit (4, 17, 32, 613) or Meta's "retry later" (2) is tried again with backoff; a user
who can no longer be reached (551) or a message outside the 24-hour window (10 / 2018278)
is logged by its code and dropped. Nothing logged carries a message, an id or the token.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
TRIES = 4
BACKOFF_SECONDS = 0.5
RETRY_CODES = {2, 4, 17, 32, 613}
DROP = {(551, None), (10, 2018278)}
# The Page Inbox's app id, fixed by Meta, for pass_thread_control.
PAGE_INBOX_APP_ID = "263902037430900"


class GraphError(Exception):
    def __init__(self, status: int | None, code: int | None = None, subcode: int | None = None) -> None:
        super().__init__(f"graph api error (status {status}, code {code}, subcode {subcode})")
        self.status, self.code, self.subcode = status, code, subcode

    @property
    def retryable(self) -> bool:
        return self.status is None or self.status >= 500 or self.code in RETRY_CODES

    @property
    def dropped(self) -> bool:
        """The user cannot get this message now: not a fault of ours."""
        return (self.code, None) in DROP or (self.code, self.subcode) in DROP


def _error(response: httpx.Response) -> GraphError:
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    code, subcode = error.get("code"), error.get("error_subcode")
    return GraphError(response.status_code, code if isinstance(code, int) else None,
                      subcode if isinstance(subcode, int) else None)


class Graph:
    def __init__(self, base_url: str, token: str, backoff: float = BACKOFF_SECONDS,
                 tries: int = TRIES) -> None:
        self.base = base_url.rstrip("/") + "/me/"
        self.token, self.backoff, self.tries = token, backoff, tries
        self.http = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)

    async def call(self, edge: str, body: dict[str, Any], tries: int | None = None) -> dict[str, Any]:
        """One Graph API POST, tried again while Meta says it may work later."""
        tries = tries or self.tries
        for attempt in range(tries):
            try:
                query = {"access_token": self.token}
                response = await self.http.post(self.base + edge, params=query, json=body)
                if response.status_code == 200:
                    return response.json()
                error = _error(response)
            except (httpx.HTTPError, ValueError) as failure:
                logger.warning("graph api %s: %s", edge, type(failure).__name__)
                error = GraphError(None)
            if not error.retryable or attempt == tries - 1:
                raise error
            await asyncio.sleep(self.backoff * 2 ** attempt)
        raise GraphError(None)  # not reached: the loop returns or raises

    async def send(self, psid: str, message: dict[str, Any]) -> bool:
        """One message, as a reply to the user (within the 24-hour window). Never raises."""
        body = {"recipient": {"id": psid}, "messaging_type": "RESPONSE", "message": message}
        return await self._quietly("messages", body)

    async def typing(self, psid: str) -> bool:
        # Once: a lost typing indicator is not worth a retry.
        return await self._quietly("messages", {"recipient": {"id": psid}, "sender_action": "typing_on"}, 1)

    async def pass_thread_control(self, psid: str, target_app_id: str, metadata: str) -> bool:
        body = {"recipient": {"id": psid}, "target_app_id": target_app_id, "metadata": metadata}
        return await self._quietly("pass_thread_control", body)

    async def _quietly(self, edge: str, body: dict[str, Any], tries: int | None = None) -> bool:
        try:
            await self.call(edge, body, tries)
            return True
        except GraphError as error:
            level = logging.WARNING if error.dropped else logging.ERROR
            logger.log(level, "%s %s: %s", edge, "dropped" if error.dropped else "failed", error)
            return False

    async def close(self) -> None:
        await self.http.aclose()
