"""Small state that every replica of a face must see alike: rate-limit windows, and the
Telegram bridge's per-chat maps and lists (callback keys, message ids, language).

`memory://` keeps it in this process (one replica). `redis://` keeps it in Redis, so any
replica behind a load balancer can take the next request. Every entry expires; nothing
here is user text. Callers pass pseudonymous keys (the sender id), never a chat id.

If Redis is away, reads find nothing and writes are dropped, and the rate limit lets
messages through: the turn itself then meets the lock store, which answers explicitly.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from typing import Any

from bot.stores import redis_client

logger = logging.getLogger(__name__)

MAX_MEMORY_ENTRIES = 100_000
PREFIX = "kalasag:shared:"

# KEYS: window. ARGV: now ms, window ms, limit, member. 1 allowed, 0 not.
_ALLOW = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""

# KEYS: map, its insertion order. ARGV: field, value, ttl s, most fields kept (0: no cap).
_PUT = """
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(t[1]) * 1000000 + tonumber(t[2]), ARGV[1])
local extra = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if tonumber(ARGV[4]) > 0 and extra > 0 then
  local old = redis.call('ZRANGE', KEYS[2], 0, extra - 1)
  redis.call('ZREM', KEYS[2], unpack(old))
  redis.call('HDEL', KEYS[1], unpack(old))
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
"""


class SharedState:
    """The interface; `connect(url)` returns the implementation the URL names."""

    async def allow(self, key: str, per_minute: int) -> bool:
        """Count one event for `key`; False once `per_minute` were counted in the last 60 s."""
        raise NotImplementedError

    async def put(self, name: str, field: str, value: str, ttl: int, max_fields: int = 0) -> None:
        """Set one field of the map `name`; the map expires `ttl` s after its last write."""
        raise NotImplementedError

    async def get(self, name: str, field: str) -> str | None:
        raise NotImplementedError

    async def push(self, name: str, value: str, ttl: int, max_items: int = 0) -> None:
        """Append to the list `name`, which expires `ttl` s after its last write."""
        raise NotImplementedError

    async def take(self, name: str) -> list[str]:
        """The whole list `name`, which is then gone."""
        raise NotImplementedError

    async def first_time(self, name: str, ttl: int) -> bool:
        """True the first time `name` is asked about within `ttl` seconds."""
        raise NotImplementedError

    async def drop(self, *names: str) -> None:
        raise NotImplementedError


class MemoryState(SharedState):
    def __init__(self) -> None:
        # name -> (expires at, value); oldest write first, so the oldest go first when full
        self.entries: OrderedDict[str, tuple[float, object]] = OrderedDict()

    def _live(self, name: str) -> object | None:
        entry = self.entries.get(name)
        if entry is None or entry[0] < time.monotonic():
            self.entries.pop(name, None)
            return None
        return entry[1]

    def _store(self, name: str, value: object, ttl: float) -> None:
        self.entries[name] = (time.monotonic() + ttl, value)
        self.entries.move_to_end(name)
        while len(self.entries) > MAX_MEMORY_ENTRIES:
            self.entries.popitem(last=False)

    async def allow(self, key: str, per_minute: int) -> bool:
        now = time.monotonic()
        window = self._live("rate:" + key)
        if not isinstance(window, deque):
            window = deque()
        while window and now - window[0] > 60:
            window.popleft()
        allowed = len(window) < per_minute
        if allowed:
            window.append(now)
        self._store("rate:" + key, window, 60)
        return allowed

    async def put(self, name: str, field: str, value: str, ttl: int, max_fields: int = 0) -> None:
        fields = self._live(name)
        if not isinstance(fields, OrderedDict):
            fields = OrderedDict()
        fields[field] = value
        while max_fields and len(fields) > max_fields:
            fields.popitem(last=False)
        self._store(name, fields, ttl)

    async def get(self, name: str, field: str) -> str | None:
        fields = self._live(name)
        return fields.get(field) if isinstance(fields, dict) else None

    async def push(self, name: str, value: str, ttl: int, max_items: int = 0) -> None:
        items = self._live(name)
        if not isinstance(items, deque):
            items = deque()
        items.append(value)
        while max_items and len(items) > max_items:
            items.popleft()
        self._store(name, items, ttl)

    async def take(self, name: str) -> list[str]:
        items = self._live(name)
        self.entries.pop(name, None)
        return list(items) if isinstance(items, deque) else []

    async def first_time(self, name: str, ttl: int) -> bool:
        if self._live(name) is not None:
            return False
        self._store(name, True, ttl)
        return True

    async def drop(self, *names: str) -> None:
        for name in names:
            self.entries.pop(name, None)


class RedisState(SharedState):
    def __init__(self, url: str) -> None:
        self.url = url
        self._client = None
        self._scripts: dict[str, Any] = {}

    @property
    def client(self) -> Any:  # made on first use, inside the running event loop
        if self._client is None:
            self._client = redis_client.connect(self.url)
            self._scripts = {"allow": self._client.register_script(_ALLOW),
                             "put": self._client.register_script(_PUT)}
        return self._client

    def script(self, name: str) -> Any:
        if self._client is None:
            self.client  # noqa: B018 (connects and registers the scripts)
        return self._scripts[name]

    async def allow(self, key: str, per_minute: int) -> bool:
        now_ms = int(time.time() * 1000)
        member = f"{now_ms}-{time.perf_counter_ns()}"
        try:
            allowed = await self.script("allow")(
                keys=[PREFIX + "rate:" + key], args=[now_ms, 60_000, per_minute, member]
            )
            return bool(allowed)
        except redis_client.ERRORS as error:
            logger.warning("rate limit not checked: Redis unavailable (%s)", type(error).__name__)
            return True

    async def put(self, name: str, field: str, value: str, ttl: int, max_fields: int = 0) -> None:
        try:
            await self.script("put")(keys=[PREFIX + name, PREFIX + name + ":order"],
                                     args=[field, value, ttl, max_fields])
        except redis_client.ERRORS as error:
            logger.warning("shared state not saved: Redis unavailable (%s)", type(error).__name__)

    async def get(self, name: str, field: str) -> str | None:
        try:
            value = await self.client.hget(PREFIX + name, field)
        except redis_client.ERRORS as error:
            logger.warning("shared state not read: Redis unavailable (%s)", type(error).__name__)
            return None
        return value.decode() if value is not None else None

    async def push(self, name: str, value: str, ttl: int, max_items: int = 0) -> None:
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.rpush(PREFIX + name, value)
                if max_items:
                    pipe.ltrim(PREFIX + name, -max_items, -1)
                pipe.expire(PREFIX + name, ttl)
                await pipe.execute()
        except redis_client.ERRORS as error:
            logger.warning("shared state not saved: Redis unavailable (%s)", type(error).__name__)

    async def take(self, name: str) -> list[str]:
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.lrange(PREFIX + name, 0, -1)
                pipe.delete(PREFIX + name)
                items, _ = await pipe.execute()
        except redis_client.ERRORS as error:
            logger.warning("shared state not read: Redis unavailable (%s)", type(error).__name__)
            return []
        return [item.decode() for item in items]

    async def first_time(self, name: str, ttl: int) -> bool:
        try:
            return bool(await self.client.set(PREFIX + name, 1, ex=ttl, nx=True))
        except redis_client.ERRORS as error:
            logger.warning("shared state not read: Redis unavailable (%s)", type(error).__name__)
            return False

    async def drop(self, *names: str) -> None:
        try:
            await self.client.delete(*(PREFIX + n + suffix for n in names for suffix in ("", ":order")))
        except redis_client.ERRORS as error:
            logger.warning("shared state not deleted: Redis unavailable (%s)", type(error).__name__)


def connect(url: str) -> SharedState:
    if url.startswith(("redis:", "rediss:")):
        return RedisState(url)
    if url.startswith("memory:"):
        return MemoryState()
    raise ValueError(f"shared state must be memory:// or redis://, not {url.split(':')[0]}:…")
