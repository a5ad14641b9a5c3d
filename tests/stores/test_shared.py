"""Shared state, in memory and in a real Redis: the same answers from both, entries that
expire, and an outage that neither crashes nor blocks a message."""

from __future__ import annotations

import asyncio

import pytest

from bot.stores import shared


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(params=["memory", "redis"])
def states(request):
    """Two handles on one state, as two replicas would have (one handle for memory)."""
    if request.param == "memory":
        state = shared.connect("memory://")
        return state, state
    url = request.getfixturevalue("redis_url")
    return shared.connect(url), shared.connect(url)


def test_the_rate_limit_counts_across_replicas(states):
    a, b = states

    async def scenario():
        allowed = [await (a if i % 2 else b).allow("sender-1", 5) for i in range(8)]
        return allowed, await a.allow("sender-2", 5)

    allowed, other = run(scenario())
    assert allowed == [True] * 5 + [False] * 3
    assert other  # per sender


def test_maps_keep_the_newest_fields(states):
    a, b = states

    async def scenario():
        for i in range(5):
            await a.put("keys:x", f"k{i}", f"payload {i}", ttl=60, max_fields=3)
        return [await b.get("keys:x", f"k{i}") for i in range(5)], await b.get("keys:y", "k4")

    values, elsewhere = run(scenario())
    assert values == [None, None, "payload 2", "payload 3", "payload 4"]
    assert elsewhere is None


def test_lists_are_taken_once(states):
    a, b = states

    async def scenario():
        for i in range(4):
            await a.push("messages:x", str(i), ttl=60, max_items=3)
        return await b.take("messages:x"), await a.take("messages:x")

    assert run(scenario()) == (["1", "2", "3"], [])


def test_first_time_and_drop(states):
    a, b = states

    async def scenario():
        firsts = [await a.first_time("hinted:x", 60), await b.first_time("hinted:x", 60)]
        await a.put("lang:x", "language", "fil", ttl=60)
        await b.drop("lang:x", "hinted:x")
        return firsts, await a.get("lang:x", "language"), await a.first_time("hinted:x", 60)

    assert run(scenario()) == ([True, False], None, True)


def test_entries_expire(states):
    a, b = states

    async def scenario():
        await a.put("short", "f", "v", ttl=1)
        await asyncio.sleep(1.2)
        return await b.get("short", "f")

    assert run(scenario()) is None


def test_every_redis_key_has_an_expiry(redis_url, redis_keys):
    state = shared.connect(redis_url)

    async def scenario():
        await state.allow("s", 10)
        await state.put("m", "f", "v", ttl=100, max_fields=5)
        await state.push("l", "1", ttl=100)
        await state.first_time("f", 100)

    run(scenario())
    keys = redis_keys()
    assert len(keys) == 5 and all(ttl > 0 for ttl in keys.values())


def test_redis_down_lets_messages_through_and_remembers_nothing():
    state = shared.connect("redis://127.0.0.1:1/0")

    async def scenario():
        await state.put("m", "f", "v", ttl=10)
        await state.push("l", "1", ttl=10)
        return await state.allow("s", 1), await state.get("m", "f"), await state.take("l")

    assert run(asyncio.wait_for(scenario(), 10)) == (True, None, [])
