"""The conversation lock, in memory and in a real Redis: one turn at a time, first come
first served, leases that outlive a dead holder only briefly, nothing left behind."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.lock_store import LockError

from bot.stores import lock_store
from bot.stores.lock_store import ConversationLockStore


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(params=["memory", "redis"])
def stores(request):
    """Three lock stores that share their locks, as three replicas would (one for memory)."""
    if request.param == "memory":
        store = ConversationLockStore(url="memory://")
        return [store, store, store]
    url = request.getfixturevalue("redis_url")
    return [ConversationLockStore(url=url) for _ in range(3)]


async def _turns(stores, conversation, count, hold=0.002, spacing=0.0):
    inside, most, order = 0, 0, []

    async def turn(i):
        nonlocal inside, most
        async with stores[i % len(stores)].lock(conversation):
            inside += 1
            most = max(most, inside)
            order.append(i)
            await asyncio.sleep(hold)
            inside -= 1

    tasks = []
    for i in range(count):
        tasks.append(asyncio.create_task(turn(i)))
        await asyncio.sleep(spacing)
    await asyncio.gather(*tasks)
    return most, order


def test_one_turn_at_a_time_across_stores(stores):
    most, order = run(_turns(stores, "conversation-a", 60))
    assert most == 1 and sorted(order) == list(range(60))


def test_first_come_first_served(stores):
    async def scenario():
        for store in stores:  # connections made, scripts loaded
            async with store.lock("warm-up"):
                pass
        return await _turns(stores, "conversation-b", 15, hold=0.01, spacing=0.02)

    _, order = run(scenario())
    assert order == list(range(15))


def test_conversations_do_not_wait_for_each_other(stores):
    async def scenario():
        # Would wait forever if "other" waited for "busy".
        async with stores[0].lock("busy"), stores[1].lock("other"):
            return True

    assert run(asyncio.wait_for(scenario(), 5))


def test_a_waiter_gives_up_with_a_lock_error(stores, monkeypatch):
    monkeypatch.setattr(lock_store, "MAX_WAIT_SECONDS", 0.3)

    async def scenario():
        async with stores[0].lock("stuck"):
            with pytest.raises(LockError):
                async with stores[1].lock("stuck"):
                    pass

    run(scenario())


def test_a_dead_holders_ticket_expires_with_its_lease(redis_url, monkeypatch):
    """A replica killed mid-turn renews nothing: its turn's lease runs out, the next goes."""
    monkeypatch.setattr(lock_store, "LEASE_SECONDS", 0.5)
    monkeypatch.setattr(lock_store, "RENEW_EVERY_SECONDS", 60)  # the "dead" one never renews
    dead, alive = lock_store.RedisLocks(redis_url), lock_store.RedisLocks(redis_url)

    async def scenario():
        keys = dead.keys("orphaned")
        await dead.scripts()["enqueue"](keys=keys, args=[500, 120_000])  # drew a ticket, then died
        loop = asyncio.get_running_loop()
        start = loop.time()
        async with alive.hold("orphaned"):
            return loop.time() - start

    waited = run(scenario())
    assert 0.3 < waited < 2.0


def test_a_long_turn_keeps_its_lease(redis_url, monkeypatch):
    monkeypatch.setattr(lock_store, "LEASE_SECONDS", 0.4)
    monkeypatch.setattr(lock_store, "RENEW_EVERY_SECONDS", 0.1)
    stores = [ConversationLockStore(url=redis_url) for _ in range(2)]
    most, order = run(_turns(stores, "slow", 4, hold=0.6))  # each turn outlives a lease
    assert most == 1 and sorted(order) == [0, 1, 2, 3]


def test_a_lost_ticket_cancels_the_turn_with_a_lock_error(redis_url, redis_keys, monkeypatch):
    """Redis restarted empty: the holder's ticket is gone, so its turn must not go on."""
    import redis

    monkeypatch.setattr(lock_store, "RENEW_EVERY_SECONDS", 0.1)
    store = ConversationLockStore(url=redis_url)

    async def scenario():
        async with store.lock("wiped"):
            redis.Redis.from_url(redis_url).flushdb()
            await asyncio.sleep(5)  # cancelled long before this ends

    with pytest.raises(LockError, match="lost"):
        run(asyncio.wait_for(scenario(), 3))


def test_every_key_expires_and_none_is_left(redis_url, redis_keys):
    store = ConversationLockStore(url=redis_url)

    async def scenario():
        async with store.lock("tidy"):
            during = redis_keys()
            await asyncio.sleep(0)
        return during

    during = run(scenario())
    assert during and all(0 < ttl <= lock_store.IDLE_SECONDS for ttl in during.values())
    assert redis_keys() == {}


def test_redis_down_is_a_lock_error_within_seconds():
    store = ConversationLockStore(url="redis://127.0.0.1:1/0")  # nothing listens there

    async def scenario():
        async with store.lock("nowhere"):
            pass

    with pytest.raises(LockError, match="unavailable"):
        run(asyncio.wait_for(scenario(), 5))


def test_other_urls_are_refused():
    with pytest.raises(ValueError):
        ConversationLockStore(url="postgresql://localhost/locks")
