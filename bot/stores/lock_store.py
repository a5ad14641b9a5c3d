"""The conversation lock: one turn of a conversation at a time, in arrival order, across
every process that serves it.

Rasa's own RedisLockStore keeps a lock as one JSON value and changes it with a GET and
then a SET, so two replicas can draw the same ticket (RasaHQ/rasa#9213); a replica that
dies holding a ticket blocks its conversation for a minute; waiters look again once a
second. This store:
- draws tickets and decides who is first in Lua scripts, so every step is atomic;
- gives each ticket a lease that its process renews while it waits and works, so the
  tickets of a process that died expire within LEASE_SECONDS;
- looks again every few milliseconds, and gives up with LockError after MAX_WAIT_SECONDS;
- puts an expiry on every key, so nothing is left behind.
If the holder's ticket vanishes (Redis restarted empty), its turn is cancelled before it
can overlap another: the REST guard then answers with an explicit error.

With `memory://` (the embedded profile) the lock is an asyncio.Lock per conversation:
first come, first served, no polling, one process only.

endpoints.yml: `lock_store: {type: bot.stores.lock_store.ConversationLockStore, url: ${LOCK_STORE_URL}}`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from rasa.core.lock_store import LockError, LockStore

from bot.stores import redis_client

logger = logging.getLogger(__name__)

LEASE_SECONDS = 10.0
RENEW_EVERY_SECONDS = 2.0
MAX_WAIT_SECONDS = 25.0  # below the guard's turn timeout, so a waiter hears why
IDLE_SECONDS = 120  # every key expires this long after its last use
POLL_SECONDS = (0.002, 0.02)  # first and longest pause between looks at the queue

# KEYS: next ticket, queue (ticket -> ticket), leases (ticket -> expiry in ms, Redis clock)
# ARGV: lease ms, idle ms. Returns {ticket, 1 if nobody is ahead of it}.
_ENQUEUE = """
local t = redis.call('INCR', KEYS[1])
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZADD', KEYS[2], t, t)
redis.call('HSET', KEYS[3], t, ms + tonumber(ARGV[1]))
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
if tonumber(head) == t then return {t, 1} end
return {t, 0}
"""

# KEYS: next, queue, leases. ARGV: ticket, lease ms, idle ms.
# Renews the ticket's lease, drops expired tickets ahead of it; 1 first, 0 wait, -1 gone.
_FIRST = """
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -1 end
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[3], ARGV[1], ms + tonumber(ARGV[2]))
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
while true do
  local head = redis.call('ZRANGE', KEYS[2], 0, 0)[1]
  if head == ARGV[1] then return 1 end
  if tonumber(redis.call('HGET', KEYS[3], head) or '0') > ms then return 0 end
  redis.call('ZREM', KEYS[2], head)
  redis.call('HDEL', KEYS[3], head)
end
"""

# KEYS: next, queue, leases. ARGV: ticket, lease ms, idle ms. 1 renewed, 0 gone.
_RENEW = """
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('HSET', KEYS[3], ARGV[1], ms + tonumber(ARGV[2]))
for i = 1, 3 do redis.call('PEXPIRE', KEYS[i], ARGV[3]) end
return 1
"""

# KEYS: next, queue, leases. ARGV: ticket.
_RELEASE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3]) end
return 1
"""


class MemoryLocks:
    """One asyncio.Lock per conversation that has a turn running or waiting."""

    def __init__(self) -> None:
        self.locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self.locks.get(key) or (asyncio.Lock(), 0)
        self.locks[key] = (lock, users + 1)
        try:
            try:
                await asyncio.wait_for(lock.acquire(), MAX_WAIT_SECONDS)
            except asyncio.TimeoutError:
                raise LockError(f"waited over {MAX_WAIT_SECONDS:.0f} s for the conversation") from None
            try:
                yield
            finally:
                lock.release()
        finally:
            lock, users = self.locks[key]
            if users > 1:
                self.locks[key] = (lock, users - 1)
            else:
                del self.locks[key]


@dataclass
class _Turn:
    task: asyncio.Task | None
    lost: bool = False
    over: bool = False


class RedisLocks:
    """Fair ticket locks in Redis, with leases (module docstring)."""

    def __init__(self, url: str, prefix: str = "kalasag:lock:") -> None:
        self.url = url
        self.prefix = prefix
        self._scripts: dict[str, Any] | None = None

    def scripts(self) -> dict[str, Any]:
        # Made on first use, inside the server's event loop (each Sanic worker has its own).
        if self._scripts is None:
            client = redis_client.connect(self.url)
            self._scripts = {
                name: client.register_script(source)
                for name, source in (("enqueue", _ENQUEUE), ("first", _FIRST),
                                     ("renew", _RENEW), ("release", _RELEASE))
            }
        return self._scripts

    def keys(self, conversation: str) -> list[str]:
        base = self.prefix + conversation
        return [f"{base}:next", f"{base}:queue", f"{base}:leases"]

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        keys, scripts = self.keys(key), self.scripts()
        lease_ms, idle_ms = int(LEASE_SECONDS * 1000), IDLE_SECONDS * 1000
        try:
            ticket, first = map(int, await scripts["enqueue"](keys=keys, args=[lease_ms, idle_ms]))
        except redis_client.ERRORS as error:
            raise LockError(f"the lock store is unavailable ({type(error).__name__})") from None

        turn = _Turn(asyncio.current_task())
        keeper = asyncio.create_task(self._keep(keys, ticket, turn))
        try:
            if not first:
                await self._wait_until_first(scripts["first"], keys, ticket, lease_ms, idle_ms)
            try:
                yield
            except asyncio.CancelledError:
                if turn.lost:  # cancelled by the keeper: another turn may now run
                    raise LockError("the conversation's lock was lost mid-turn") from None
                raise
        finally:
            turn.over = True  # a renewal still in flight must not cancel what the task does next
            keeper.cancel()
            try:
                await scripts["release"](keys=keys, args=[ticket])
            except redis_client.ERRORS as error:  # its lease runs out by itself
                logger.warning("could not release a lock (%s)", type(error).__name__)

    async def _wait_until_first(self, first: Any, keys: list[str], ticket: int, lease_ms: int,
                                idle_ms: int) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_WAIT_SECONDS
        pause, longest = POLL_SECONDS
        while True:
            try:
                state = int(await first(keys=keys, args=[ticket, lease_ms, idle_ms]))
            except redis_client.ERRORS as error:
                raise LockError(f"the lock store is unavailable ({type(error).__name__})") from None
            if state == 1:
                return
            if state == -1:
                raise LockError("the lock store lost this turn's ticket")
            if loop.time() > deadline:
                raise LockError(f"waited over {MAX_WAIT_SECONDS:.0f} s for the conversation")
            await asyncio.sleep(pause)
            pause = min(pause * 2, longest)

    async def _keep(self, keys: list[str], ticket: int, turn: _Turn) -> None:
        """Renew the lease until cancelled; if the ticket is gone, stop the holder's turn."""
        renew = self.scripts()["renew"]
        while True:
            await asyncio.sleep(RENEW_EVERY_SECONDS)
            try:
                alive = int(await renew(keys=keys, args=[ticket, int(LEASE_SECONDS * 1000),
                                                          IDLE_SECONDS * 1000]))
            except redis_client.ERRORS:
                continue  # Redis is away; nobody else can take the lock meanwhile
            if not alive and not turn.over:
                logger.error("a conversation's lock was lost; cancelling its turn")
                turn.lost = True
                if turn.task is not None:
                    turn.task.cancel()
                return


class ConversationLockStore(LockStore):
    """Rasa's LockStore interface over MemoryLocks or RedisLocks, chosen by URL."""

    def __init__(self, endpoint_config: Any = None, url: str | None = None, **_: Any) -> None:
        url = url or getattr(endpoint_config, "url", None) or "memory://"
        if url.startswith("memory:"):
            self.backend: MemoryLocks | RedisLocks = MemoryLocks()
        elif url.startswith(("redis:", "rediss:")):
            self.backend = RedisLocks(url)
        else:
            raise ValueError(f"LOCK_STORE_URL must be memory:// or redis://, not {url.split(':')[0]}:…")
        super().__init__()

    @contextlib.asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = 0,
                   wait_time_in_seconds: float = 0) -> AsyncIterator[None]:
        async with self.backend.hold(conversation_id):
            yield None
