"""What the bridge remembers per chat, in memory and in a real Redis: the same answers
from any replica, bounded, expiring, keyed by the sender id, and gone after "forget me"
(but for the message ids /clear deletes)."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.bridge.chat_state import DELETABLE_SECONDS, MAX_KEYS_PER_CHAT, ChatState
from bot.channels.telegram.identity import sender_id
from bot.stores import shared

DAY = 24 * 3600
CHAT = 123456789
SENDER = sender_id(CHAT, "k")
OTHER = sender_id(CHAT + 1, "k")


def run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture(params=["memory", "redis"])
def replicas(request):
    """Two bridges' views of one state (one view for memory, which is one process)."""
    if request.param == "memory":
        state = ChatState(shared.connect("memory://"), DAY)
        return state, state
    url = request.getfixturevalue("redis_url")
    return ChatState(shared.connect(url), DAY), ChatState(shared.connect(url), DAY)


def test_a_key_handed_out_by_one_replica_works_on_the_other_and_only_for_its_chat(replicas):
    a, b = replicas

    async def scenario():
        key = await a.key(SENDER, "/faq{...}|sig")
        return key, await b.payload(SENDER, key), await b.payload(OTHER, key), await b.payload(SENDER, "nope")

    key, payload, elsewhere, unknown = run(scenario())
    assert len(key) == 16 and len(key.encode()) <= 64
    assert payload == "/faq{...}|sig" and elsewhere is None and unknown is None


def test_only_the_newest_keys_are_kept(replicas):
    a, b = replicas

    async def scenario():
        keys = [await a.key(SENDER, f"/p{i}") for i in range(MAX_KEYS_PER_CHAT + 1)]
        return await b.payload(SENDER, keys[0]), await b.payload(SENDER, keys[1])

    assert run(scenario()) == (None, "/p1")


def test_message_ids_are_taken_once(replicas):
    a, b = replicas

    async def scenario():
        for message_id in (3, 4, 4, 7):  # 4 twice: a redelivered update
            await a.sent(SENDER, message_id)
        return await b.take_sent(SENDER), await a.take_sent(SENDER)

    assert run(scenario()) == ([3, 4, 7], [])


def test_language_and_country_are_learnt_from_replies(replicas):
    a, b = replicas

    async def scenario():
        before = await b.language(SENDER), await b.country(SENDER)
        await a.learn(SENDER, [
            {"text": "Salamat."},
            {"custom": {"kind": "answer", "language": "fil"}},
            {"custom": {"kind": "hotlines", "country": "PH"}},
            {"custom": {"kind": "hotlines", "country": None}},
        ])
        return before, (await b.language(SENDER), await b.country(SENDER)), await b.language(OTHER)

    assert run(scenario()) == (("en", None), ("fil", "PH"), "en")


def test_the_language_hint_is_given_once(replicas):
    a, b = replicas

    async def scenario():
        return [await a.first_message(SENDER), await b.first_message(SENDER), await a.first_message(OTHER)]

    assert run(scenario()) == [True, False, True]


def test_forgotten_drops_everything_about_the_chat_but_what_clear_needs(replicas):
    a, b = replicas

    async def scenario():
        key = await a.key(SENDER, "/p")
        await a.sent(SENDER, 5)
        await a.first_message(SENDER)
        await a.learn(SENDER, [{"custom": {"kind": "answer", "language": "fil", "country": "PH"}}])
        other = await a.key(OTHER, "/q")
        await b.learn(SENDER, [{"text": "Done."}, {"custom": {"kind": "forgotten"}}])
        return (await a.payload(SENDER, key), await a.take_sent(SENDER), await a.language(SENDER),
                await a.country(SENDER), await a.first_message(SENDER), await a.payload(OTHER, other))

    assert run(scenario()) == (None, [5], "en", None, True, "/q")


def test_in_redis_every_entry_is_keyed_by_the_sender_and_expires(redis_url):
    import redis

    chats = ChatState(shared.connect(redis_url), DAY)

    async def scenario():
        await chats.key(SENDER, "/p")
        await chats.sent(SENDER, 5)
        await chats.first_message(SENDER)
        await chats.learn(SENDER, [{"custom": {"kind": "answer", "language": "fil"}}])

    run(scenario())
    client = redis.Redis.from_url(redis_url)
    ttls = {k.decode().removeprefix(shared.PREFIX): client.ttl(k) for k in client.keys("*")}
    day, deletable = pytest.approx(DAY, abs=5), pytest.approx(DELETABLE_SECONDS, abs=5)
    assert ttls == {
        f"tg:keys:{SENDER}": day, f"tg:keys:{SENDER}:order": day,
        f"tg:chat:{SENDER}": day, f"tg:chat:{SENDER}:order": day,
        f"tg:hinted:{SENDER}": day, f"tg:sent:{SENDER}": deletable,
    }
    assert not any(str(CHAT) in name for name in ttls)
