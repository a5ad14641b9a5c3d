"""Shared fixtures. Tests that need something this machine may lack (a trained
model, Chromium, PostgreSQL, Redis) skip with a notice on a developer's machine;
with KALASAG_REQUIRE_ALL=1 (set by .ci/run) such a skip is a failure instead."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from bot import launcher, settings, training

ROOT = Path(__file__).resolve().parent.parent


def need(available: bool, what: str) -> None:
    """Skip (or, in CI, fail) a test whose prerequisite is missing."""
    if available:
        return
    if os.environ.get("KALASAG_REQUIRE_ALL") == "1":
        pytest.fail(f"{what} is required here (KALASAG_REQUIRE_ALL=1)")
    pytest.skip(f"NOTICE: {what} is not available on this machine")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def live_bot():
    """A running bot: the one already up, or one started for this test session."""
    config = settings.load()
    if launcher.is_up(config):
        yield config
        return
    model = training.model_path(config)
    need(model.exists(), f"a trained model ({model.name}; run `make model`)")
    with tempfile.NamedTemporaryFile("w", prefix="kalasag-test-", suffix=".log") as log, launcher.Bot(
        config, model, log=log
    ):
        yield config


# A database of the machine's Redis that only these tests use (another checkout's suite
# running at the same time sets its own).
REDIS_TEST_DB = int(os.environ.get("KALASAG_TEST_REDIS_DB", "11"))


@pytest.fixture
def redis_url():
    """A real Redis for the stores and the bridge's state, emptied before and after each test."""
    import redis

    client = redis.Redis(host="127.0.0.1", db=REDIS_TEST_DB, socket_connect_timeout=1)
    try:
        client.ping()
        up = True
    except redis.RedisError:
        up = False
    need(up, "Redis on 127.0.0.1:6379")
    client.flushdb()
    yield f"redis://127.0.0.1:6379/{REDIS_TEST_DB}"
    client.flushdb()


@pytest.fixture
def redis_keys(redis_url):
    """Every key in the test database, with its time to live in seconds."""
    import redis

    client = redis.Redis(host="127.0.0.1", db=REDIS_TEST_DB)
    return lambda: {k.decode(): client.ttl(k) for k in client.keys("*")}
