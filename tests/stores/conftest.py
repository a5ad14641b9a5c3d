"""A real Redis for the store tests: a database of its own on 127.0.0.1, emptied after."""

from __future__ import annotations

import pytest

from tests.conftest import need

TEST_DB = 11


@pytest.fixture
def redis_url():
    import redis

    client = redis.Redis(host="127.0.0.1", db=TEST_DB, socket_connect_timeout=1)
    try:
        client.ping()
        up = True
    except redis.RedisError:
        up = False
    need(up, "Redis on 127.0.0.1:6379")
    client.flushdb()
    yield f"redis://127.0.0.1:6379/{TEST_DB}"
    client.flushdb()


@pytest.fixture
def redis_keys(redis_url):
    """Every key in the test database, with its time to live in seconds."""
    import redis

    client = redis.Redis(host="127.0.0.1", db=TEST_DB)
    return lambda: {k.decode(): client.ttl(k) for k in client.keys("*")}
