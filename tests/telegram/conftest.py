"""A real Redis for the bridge's shared state: a database of its own on 127.0.0.1,
emptied before and after each test."""

from __future__ import annotations

import pytest

from tests.conftest import need

TEST_DB = 12


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
