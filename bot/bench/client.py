"""A REST-channel client for load: keep-alive connections to one or more replicas, and a
turn that is retried, with the same message_id, until the bot has answered it.

What a client of a replicated bot should do: a turn that fails (the replica is gone, it
times out, or the reply says `error`) is sent again to another replica with the same
`message_id`, so the bot runs it once (bot/channels/turns.py) and no message is lost.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import aiohttp

REQUEST_TIMEOUT_SECONDS = 35  # above the guard's 30 s turn timeout
SKIP_DEAD_SECONDS = 5  # a replica that refused a connection is left alone this long


@dataclass
class Turn:
    """One message and what became of it."""

    sender: str
    text: str
    message_id: str
    reply: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0  # the attempt that got the reply
    total_seconds: float = 0.0  # from the first attempt to the reply
    attempts: int = 0
    failures: list[str] = field(default_factory=list)  # what each failed attempt met

    @property
    def answered(self) -> bool:
        return bool(self.reply) and not is_error(self.reply)


def is_error(reply: list[dict[str, Any]]) -> bool:
    """The guard's explicit failure: the message was not handled (docs/reply-contract.md)."""
    return any((m.get("custom") or {}).get("kind") == "error" for m in reply)


def new_sender(prefix: str = "bench") -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


class RestClient:
    def __init__(self, urls: list[str], connections: int = 100) -> None:
        self.urls = list(urls)
        self.dead_until = [0.0] * len(self.urls)
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections),
            timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS),
        )

    async def close(self) -> None:
        await self.session.close()

    async def __aenter__(self) -> RestClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def post(self, url: str, sender: str, text: str, message_id: str | None,
                   metadata: dict[str, str] | None = None) -> tuple[int, Any]:
        body: dict[str, Any] = {"sender": sender, "message": text, "metadata": metadata or {}}
        if message_id:
            body["message_id"] = message_id
        async with self.session.post(url, data=json.dumps(body),
                                     headers={"Content-Type": "application/json"}) as response:
            return response.status, await response.json(content_type=None)

    def next_replica(self, after: int) -> int:
        """The next replica not known to be down (as a load balancer's health check would)."""
        now = time.monotonic()
        for step in range(1, len(self.urls) + 1):
            index = (after + step) % len(self.urls)
            if self.dead_until[index] <= now:
                return index
        return (after + 1) % len(self.urls)

    async def turn(self, sender: str, text: str, *, replica: int | None = None,
                   metadata: dict[str, str] | None = None, give_up_after: float = 120.0,
                   pause: float = 0.2, retry: bool = True) -> Turn:
        """Send until answered (or `give_up_after` seconds); each retry goes to the next
        replica. With retry=False, one attempt, whatever it gets."""
        turn = Turn(sender, text, uuid.uuid4().hex)
        index = self.next_replica(random.randrange(len(self.urls))) if replica is None else replica
        start = time.perf_counter()
        while True:
            url = self.urls[index]
            turn.attempts += 1
            attempt = time.perf_counter()
            try:
                status, body = await self.post(url, sender, text, turn.message_id, metadata)
                turn.seconds = time.perf_counter() - attempt
                if status != 200:
                    turn.failures.append(f"http {status}")
                elif not isinstance(body, list) or not body:
                    turn.failures.append("empty reply")
                else:
                    turn.reply = body
                    if not is_error(body):
                        break
                    reason = next(m["custom"].get("reason") for m in body
                                  if (m.get("custom") or {}).get("kind") == "error")
                    turn.failures.append(f"error: {reason}")
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                turn.failures.append(type(error).__name__)
                if isinstance(error, aiohttp.ClientConnectionError):
                    self.dead_until[index] = time.monotonic() + SKIP_DEAD_SECONDS
            if not retry or time.perf_counter() - start > give_up_after:
                break
            index = self.next_replica(index)
            await asyncio.sleep(pause)
        turn.total_seconds = time.perf_counter() - start
        return turn
