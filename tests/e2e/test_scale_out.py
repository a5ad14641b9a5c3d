"""The scale profile, for real: Rasa replicas over one PostgreSQL and one Redis, with the
action server, under concurrent conversations, a killed replica, store outages, and one
very long conversation (the embedded profile too).

PostgreSQL and Redis here are private servers (tests/servers.py) that these tests stop
and start; figures go to results/scale-out.json for the record.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from bot import launcher, settings, training, work
from bot.bench.client import RestClient, Turn, new_sender
from bot.bench.subjects import KALASAG_SCRIPT as SCRIPT
from bot.stores.sessions import MAX_SESSION_EVENTS
from tests.conftest import need
from tests.servers import PostgresServer, RedisServer

pytestmark = pytest.mark.live

UNLIMITED = {"KALASAG_RATE_LIMIT": "1000000"}
RESULTS = Path(__file__).resolve().parents[2] / "results" / "scale-out.json"


def record(name: str, figures: dict) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[name] = figures
    RESULTS.write_text(json.dumps(data, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _model():
    model = training.model_path(settings.load())
    need(model.exists(), f"a trained model ({model.name}; run `make model`)")
    return model


@pytest.fixture(scope="module")
def servers():
    redis, postgres = RedisServer(), PostgresServer()
    redis.start()
    postgres.start()
    try:
        yield redis, postgres
    finally:
        redis.stop()
        postgres.remove()


@pytest.fixture(scope="module")
def scale_bot(servers):
    redis, postgres = servers
    model = _model()
    config = dataclasses.replace(
        settings.load(), profile="scale", tracker_store_url=postgres.url, lock_store_url=redis.url,
        replicas=2, rasa_port=5405, action_port=5455,
    )
    with (
        tempfile.NamedTemporaryFile("w", prefix="kalasag-scale-", suffix=".log") as log,
        launcher.Bot(config, model, log=log, env=UNLIMITED) as bot,
    ):
        yield bot


@pytest.fixture(scope="module")
def embedded_bot(tmp_path_factory):
    model = _model()
    config = dataclasses.replace(
        settings.load(), profile="embedded", lock_store_url="memory://", replicas=1,
        tracker_store_url=f"sqlite:///{tmp_path_factory.mktemp('embedded') / 'tracker.db'}",
        rasa_port=5505, action_port=5555,
    )
    with (
        tempfile.NamedTemporaryFile("w", prefix="kalasag-embedded-", suffix=".log") as log,
        launcher.Bot(config, model, log=log, env=UNLIMITED) as bot,
    ):
        yield bot


def stored_turns(postgres: PostgresServer, senders: list[str]) -> dict[str, list[tuple[str, list[str]]]]:
    """Per conversation, in stored order: each user message id and the events after it
    (`bot`, `action:<name>`, ...) up to the next user message."""
    import psycopg2

    with psycopg2.connect(postgres.url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT sender_id, type_name, data FROM events WHERE sender_id = ANY(%s) ORDER BY id", (senders,)
        )
        rows = cursor.fetchall()
    turns: dict[str, list[tuple[str, list[str]]]] = {s: [] for s in senders}
    for sender, kind, data in rows:
        event = json.loads(data)
        if kind == "user":
            turns[sender].append((event["message_id"], []))
        elif turns[sender]:
            turns[sender][-1][1].append(f"action:{event['name']}" if kind == "action" else kind)
    return turns


# What may follow a turn's closing action_listen before the next user message: a new session.
SESSION_OPENING = {"action:action_session_start", "session_started", "slot", "action:action_listen"}


def assert_stored_exactly(postgres: PostgresServer, sent: dict[str, list[Turn]], ordered: bool = True,
                          ) -> None:
    """Every turn stored once, whole (its replies, then action_listen, nothing of another
    turn in between), and, unless the turns were sent at once, in the order sent."""
    stored = stored_turns(postgres, list(sent))
    for sender, turns in sent.items():
        ids = [message_id for message_id, _ in stored[sender]]
        expected = [t.message_id for t in turns]
        if ordered:
            assert ids == expected, f"{sender}: turns lost, repeated or out of order"
        else:
            assert sorted(ids) == sorted(expected), f"{sender}: turns lost or repeated"
        for message_id, after in stored[sender]:
            assert "action:action_listen" in after, f"{message_id}: turn not finished"
            end = after.index("action:action_listen")
            assert "bot" in after[:end], f"{message_id}: turn without a reply"
            assert set(after[end:]) <= SESSION_OPENING, f"{message_id}: turns mixed: {after}"


def test_two_replicas_share_100_conversations_and_survive_losing_one(scale_bot, servers):
    """100 conversations x 8 turns at once, each turn to a replica at random; one replica
    is killed mid-run and the clients carry on with the other."""
    _, postgres = servers
    urls = launcher.rest_urls(scale_bot.config)
    victim = f"rasa-{scale_bot.config.rasa_ports[1]}"
    total = 100 * len(SCRIPT)

    async def scenario():
        sent: dict[str, list[Turn]] = {}
        done = 0
        killed_after = None

        async def conversation(client: RestClient) -> None:
            nonlocal done, killed_after
            sender = new_sender("scale")
            sent[sender] = []
            for text in SCRIPT:
                sent[sender].append(await client.turn(sender, text, pause=0.5))
                done += 1
                if killed_after is None and done >= total * 0.4:
                    killed_after = done
                    scale_bot.kill(victim)  # SIGKILL: no goodbye, turns in flight are cut

        async with RestClient(urls) as client:
            start = time.perf_counter()
            await asyncio.gather(*(conversation(client) for _ in range(100)))
            return sent, time.perf_counter() - start, killed_after

    try:
        sent, seconds, killed_after = asyncio.run(scenario())
    finally:
        scale_bot.spawn(victim)  # back for the next tests
        deadline = time.monotonic() + 180
        while not launcher.is_up(scale_bot.config) and time.monotonic() < deadline:
            time.sleep(1)
    turns = [t for conversation in sent.values() for t in conversation]
    assert len(turns) == total and killed_after is not None
    assert all(t.answered for t in turns), [t.failures for t in turns if not t.answered][:5]
    assert_stored_exactly(postgres, sent)
    retried = [t for t in turns if t.attempts > 1]
    record("concurrency", {
        "conversations": 100, "turns": total, "seconds": round(seconds, 1),
        "turns_per_second": round(total / seconds, 1), "killed_replica_after_turns": killed_after,
        "turns_retried": len(retried), "failures_seen": sorted({f for t in retried for f in t.failures}),
        "p50_ms": round(statistics.median(t.seconds for t in turns) * 1000, 1),
        "p95_ms": round(p95([t.seconds for t in turns]) * 1000, 1),
    })


def test_messages_sent_at_once_to_both_replicas_run_one_at_a_time(scale_bot, servers):
    """Bursts of 3 messages of one conversation at the same moment, to alternating replicas:
    the lock makes them take turns, whole, each once."""
    _, postgres = servers
    urls = launcher.rest_urls(scale_bot.config)

    async def scenario():
        async with RestClient(urls) as client:
            async def burst():
                sender = new_sender("burst")
                turns = await asyncio.gather(*(
                    client.turn(sender, text, replica=i % 2) for i, text in enumerate(SCRIPT[1:4])
                ))
                return sender, list(turns)

            return dict(await asyncio.gather(*(burst() for _ in range(30))))

    sent = asyncio.run(scenario())
    assert all(t.answered for turns in sent.values() for t in turns)
    assert_stored_exactly(postgres, sent, ordered=False)


def test_store_outages_get_explicit_errors_and_service_recovers(scale_bot, servers):
    """Steady load; Redis stopped for 10 s, then PostgreSQL for 10 s. Every message gets a
    reply or an explicit error (never an empty 200, never silence); each conversation
    goes on once the store is back, with every turn stored once, in order."""
    redis, postgres = servers
    urls = launcher.rest_urls(scale_bot.config)
    events: list[tuple[float, str]] = []  # (time, what happened) for every attempt

    async def scenario():
        sent: dict[str, list[Turn]] = {}
        running = True

        async def conversation(client: RestClient) -> None:
            sender = new_sender("fault")
            sent[sender] = []
            while running:
                text = SCRIPT[len(sent[sender]) % len(SCRIPT)]
                turn = await client.turn(sender, text, pause=1.0, give_up_after=90)
                for failure in turn.failures:
                    events.append((time.monotonic(), failure))
                events.append((time.monotonic(), "answered" if turn.answered else "unanswered"))
                sent[sender].append(turn)
                await asyncio.sleep(random.uniform(0.2, 0.6))

        async def outages() -> dict[str, float]:
            nonlocal running
            marks = {}
            await asyncio.sleep(5)
            for name, server in (("redis", redis), ("postgresql", postgres)):
                marks[f"{name}_down"] = time.monotonic()
                await asyncio.to_thread(server.stop)
                await asyncio.sleep(10)
                await asyncio.to_thread(server.start)
                marks[f"{name}_up"] = time.monotonic()
                await asyncio.sleep(8)
            running = False
            return marks

        async with RestClient(urls) as client:
            *_, marks = await asyncio.gather(*(conversation(client) for _ in range(20)), outages())
        return sent, marks

    sent, marks = asyncio.run(scenario())
    turns = [t for conversation in sent.values() for t in conversation]
    kinds = [what for _, what in events]
    # Explicit: an `error` item, never an empty or failed HTTP answer, never a dropped connection.
    assert not [k for k in kinds if not (k == "answered" or k.startswith("error: "))], set(kinds)
    assert all(t.answered for t in turns)
    assert any(k == "error: store" for k in kinds), "the outages were not felt: is the test real?"
    recovery = {}
    # Service comes back with each store: answers between its return and the next outage
    # (or the end). An order of events, not a time limit; the seconds are for the record.
    ends = {"redis": marks["postgresql_down"], "postgresql": float("inf")}
    for name in ("redis", "postgresql"):
        up = marks[f"{name}_up"]
        answered = [when for when, what in events if what == "answered" and up < when < ends[name]]
        assert answered, f"{name}: no answer after it came back"
        recovery[name] = round(min(answered) - up, 2)
    assert_stored_exactly(postgres, sent)
    record("faults", {
        "conversations": len(sent), "turns": len(turns), "attempts": len(kinds),
        "explicit_errors": sum(k.startswith("error") for k in kinds),
        "seconds_to_first_answer_after_return": recovery,
    })


def work_counts(rest_url: str) -> dict[str, int]:
    """What this server's turns have done so far (bot/work.py), from its health answer."""
    with urllib.request.urlopen(rest_url.removesuffix("webhook"), timeout=30) as answer:
        return json.loads(answer.read())["work"]


@pytest.mark.parametrize("profile", ["embedded", "scale"])
def test_turn_work_does_not_grow_with_the_conversation(profile, request):
    """Stock Rasa 3.6 reads, replays and predicts on the whole session every turn: 20 ms at
    turn 10, 174 ms at turn 100, 1.85 s at turn 300. Here the work of each turn is counted
    through the real server (events read back from the store, events the policies see,
    events sent to the action server), and turns 531-550 of one conversation do no more of
    it than turns 11-30: the session cap bounds it. Counts, not times, so a busy machine
    cannot fail it; make bench prints the time curve."""
    bot = request.getfixturevalue(f"{profile}_bot")
    [url] = launcher.rest_urls(dataclasses.replace(bot.config, replicas=1))
    cycle = SCRIPT[1:-1]  # questions: the same work at every turn
    early, late = range(10, 30), range(530, 550)

    async def scenario():
        per_turn: dict[int, dict[str, int]] = {}
        async with RestClient([url]) as client:
            sender = new_sender("long")
            for n in range(550):
                measured = n in early or n in late
                before = await asyncio.to_thread(work_counts, url) if measured else None
                turn = await client.turn(sender, cycle[n % len(cycle)], retry=False)
                assert turn.answered, n
                if measured:
                    after = await asyncio.to_thread(work_counts, url)
                    per_turn[n] = {k: after[k] - before[k] for k in after}
        return per_turn

    per_turn = asyncio.run(scenario())
    assert all(per_turn[n]["turns"] == 1 for n in per_turn)  # nothing else ran on this server
    read = {n: per_turn[n][work.EVENTS_READ] for n in per_turn}
    assert min(read[n] for n in early) > 0  # counted at all: the test sees the work
    # The store hands back one bounded session, however long the conversation (without
    # the cap, a turn at 531-550 would read ~20x what one at 11-30 does).
    assert max(read.values()) <= MAX_SESSION_EVENTS, read
    # And, whatever the cap is set to: no more than the most read early on plus one turn's events.
    one_turn = max(read[n + 1] - read[n] for n in early if n + 1 in early)
    assert max(read[n] for n in late) <= max(read[n] for n in early) + one_turn, read
    figures = {work.EVENTS_READ: {"turns_11_30_max": max(read[n] for n in early),
                                  "turns_531_550_max": max(read[n] for n in late)}}
    for kind in (work.EVENTS_PREDICTED_ON, work.EVENTS_SENT_TO_ACTIONS):
        # What a turn adds on top of what it read depends on the message alone; both
        # windows cycle through the same questions.
        added = {n: per_turn[n][kind] - read[n] for n in per_turn}
        figures[kind] = {"turns_11_30_max": max(per_turn[n][kind] for n in early),
                         "turns_531_550_max": max(per_turn[n][kind] for n in late)}
        assert min(per_turn[n][kind] for n in early) > 0, kind
        assert max(added[n] for n in late) <= max(added[n] for n in early), (kind, figures)
    record(f"long_conversation_work_{profile}", figures)
