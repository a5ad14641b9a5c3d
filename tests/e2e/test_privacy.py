"""Privacy with real stores: no raw text on disk or in logs, forget me, retention.

Each store (SQLite, PostgreSQL, Redis) gets its own real bot, on its own ports, with a
short retention time; so does the scale profile: two replicas over PostgreSQL, with the
lock and shared state in Redis, each message to either replica. Canary strings sent
through the REST channel must never appear in any store or in the captured logs, while
the dialogue still works.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from bot import launcher, settings, training
from bot.channels.signing import sign
from tests.conftest import need

pytestmark = pytest.mark.live
RETENTION_SECONDS = 6


def _up(check) -> bool:
    try:
        check()
        return True
    except Exception:
        return False


def _value(client, key: str):
    """A Redis value of any type, as JSON-able data."""
    kind = client.type(key)
    read = {
        "string": client.get, "hash": client.hgetall, "list": lambda k: client.lrange(k, 0, -1),
        "set": lambda k: sorted(client.smembers(k)),
        "zset": lambda k: client.zrange(k, 0, -1, withscores=True),
    }
    return read[kind](key) if kind in read else None


class Store:
    """One tracker store under test: where it is, and how to read it back raw."""

    def __init__(self, kind: str, tmp: Path):
        self.kind = kind
        self.name = f"kalasag_test_{uuid.uuid4().hex[:8]}"
        self.lock_url = "memory://"
        if kind == "sqlite":
            self.path = tmp / "tracker.db"
            self.url = f"sqlite:///{self.path}"
        elif kind in ("postgresql", "scale"):
            import psycopg2

            need(_up(lambda: psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres").close()),
                 "PostgreSQL on 127.0.0.1:5432")
            connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
            connection.autocommit = True
            connection.cursor().execute(f"CREATE DATABASE {self.name}")
            connection.close()
            self.url = f"postgresql://postgres@127.0.0.1:5432/{self.name}"
            if kind == "scale":
                import redis

                need(_up(lambda: redis.Redis(host="127.0.0.1").ping()), "Redis on 127.0.0.1:6379")
                self.db = 8
                redis.Redis(host="127.0.0.1", db=self.db).flushdb()
                self.lock_url = f"redis://127.0.0.1:6379/{self.db}"
        else:
            import redis

            need(_up(lambda: redis.Redis(host="127.0.0.1").ping()), "Redis on 127.0.0.1:6379")
            self.db = 7
            redis.Redis(host="127.0.0.1", db=self.db).flushdb()
            self.url = f"redis://127.0.0.1:6379/{self.db}"

    def dump(self) -> str:
        """Everything the stores hold, as text."""
        if self.kind == "sqlite":
            return self.path.read_bytes().decode("utf-8", errors="replace")
        text = ""
        if self.kind in ("postgresql", "scale"):
            import psycopg2

            with psycopg2.connect(host="127.0.0.1", user="postgres", dbname=self.name) as connection:
                cursor = connection.cursor()
                cursor.execute("SELECT sender_id, type_name, intent_name, action_name, data FROM events")
                text = json.dumps(cursor.fetchall())
        if self.kind in ("redis", "scale"):  # the tracker store, or the lock and shared state
            import redis

            client = redis.Redis(host="127.0.0.1", db=self.db, decode_responses=True)
            text += json.dumps({key: _value(client, key) for key in client.keys("*")})
        return text

    def senders(self) -> set[str]:
        if self.kind == "sqlite":
            with sqlite3.connect(self.path) as connection:
                return {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}
        if self.kind in ("postgresql", "scale"):
            import psycopg2

            with psycopg2.connect(host="127.0.0.1", user="postgres", dbname=self.name) as connection:
                cursor = connection.cursor()
                cursor.execute("SELECT DISTINCT sender_id FROM events")
                return {row[0] for row in cursor.fetchall()}
        import redis

        client = redis.Redis(host="127.0.0.1", db=self.db)
        return {k.decode().removeprefix("kalasag:tracker:") for k in client.keys("*")}

    def close(self) -> None:
        if self.kind in ("postgresql", "scale"):
            import psycopg2

            connection = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
            connection.autocommit = True
            connection.cursor().execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            connection.close()
        if self.kind in ("redis", "scale"):
            import redis

            redis.Redis(host="127.0.0.1", db=self.db).flushdb()


@pytest.fixture(scope="module", params=["sqlite", "postgresql", "redis", "scale"])
def bot_with_store(request, tmp_path_factory):
    config = settings.load()
    model = training.model_path(config)
    need(model.exists(), f"a trained model ({model.name}; run `make model`)")
    store = Store(request.param, tmp_path_factory.mktemp(request.param))
    # Own ports, so a developer's running bot (or the shared test bot) is left alone.
    config = dataclasses.replace(
        config, rasa_port=5205, action_port=5255, tracker_store_url=store.url, lock_store_url=store.lock_url,
        replicas=2 if request.param == "scale" else 1,
    )
    env = {"KALASAG_RETENTION_HOURS": str(RETENTION_SECONDS / 3600)}
    with (
        tempfile.NamedTemporaryFile("w+", prefix="kalasag-privacy-", suffix=".log") as log,
        launcher.Bot(config, model, log=log, env=env),
    ):
        yield config, store, log
    store.close()


def post(config, sender, message, metadata=None):
    """To any replica: what one replica stored or forgot, the next must see."""
    body = json.dumps({"sender": sender, "message": message, "metadata": metadata or {}}).encode()
    url = random.choice(launcher.rest_urls(config))
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def new_sender() -> str:
    return f"test-{uuid.uuid4().hex}"


def test_no_user_text_is_stored_or_logged_and_the_dialogue_still_works(bot_with_store):
    config, store, log = bot_with_store
    canary = "zebrakanaryo"  # fixed, so the model parses the same message every run
    sender = new_sender()
    first = post(config, sender, f"im 14 and a guy named {canary} keeps asking for pics")
    crisis = post(config, sender, f"{canary} says he will post my nudes unless i pay")
    later = post(config, sender, "what is grooming")
    assert any((m.get("custom") or {}).get("kind") == "answer" for m in first)
    assert any((m.get("custom") or {}).get("kind") == "crisis" for m in crisis)
    # The audience the first message revealed was remembered without its words.
    [answer] = [m["custom"] for m in later if (m.get("custom") or {}).get("kind") == "answer"]
    assert answer["audience"] == "teen"

    assert sender in store.senders()
    stored = store.dump()
    assert canary not in stored and "asking for pics" not in stored
    log.flush()
    logged = Path(log.name).read_text(errors="replace")
    assert canary not in logged and "asking for pics" not in logged


def test_forget_me_deletes_the_conversation_at_once(bot_with_store):
    config, store, _ = bot_with_store
    sender = new_sender()
    post(config, sender, "how do i make my account private")
    assert sender in store.senders()
    reply = post(config, sender, "please delete this chat")
    assert any((m.get("custom") or {}).get("kind") == "forgotten" for m in reply)
    assert sender not in store.senders()
    # The button works the same way, and the user can start afresh.
    post(config, sender, "hello")
    post(config, sender, sign(sender, "/forget_me"))
    assert sender not in store.senders()


def test_idle_conversations_are_purged_by_the_running_bot_without_traffic(bot_with_store):
    config, store, _ = bot_with_store
    old = new_sender()
    post(config, old, "hello")
    assert old in store.senders()
    # No more traffic: the bot purges on its own.
    deadline = time.monotonic() + 2 * RETENTION_SECONDS + 10
    while old in store.senders() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert old not in store.senders()

