"""The SQL tracker store when replicas start together over an empty database (the first
start of a deployment): every one of them starts, and the table and index exist once."""

from __future__ import annotations

import multiprocessing
import uuid

import pytest

from tests.conftest import need

STARTING_TOGETHER = 3


def _start(url: str, results) -> None:
    try:
        from bot.stores.tracker_store import PrivateTrackerStore

        PrivateTrackerStore(host=url)
        results.put(None)
    except Exception as error:  # reported to the test, which fails with it
        results.put(f"{type(error).__name__}: {error}")


@pytest.fixture
def empty_database():
    psycopg2 = pytest.importorskip("psycopg2")
    try:
        admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres", connect_timeout=3)
    except psycopg2.Error:
        admin = None
    need(admin is not None, "PostgreSQL on 127.0.0.1:5432")
    admin.autocommit = True
    name = f"kalasag_test_{uuid.uuid4().hex[:8]}"
    admin.cursor().execute(f"CREATE DATABASE {name}")
    yield f"postgresql://postgres@127.0.0.1:5432/{name}", name, psycopg2
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.close()


def test_replicas_starting_together_all_start(empty_database):
    url, name, psycopg2 = empty_database
    results = multiprocessing.get_context("spawn").Queue()
    starts = [multiprocessing.get_context("spawn").Process(target=_start, args=(url, results))
              for _ in range(STARTING_TOGETHER)]
    for process in starts:
        process.start()
    errors = [e for e in (results.get(timeout=120) for _ in starts) if e]
    for process in starts:
        process.join()
    assert errors == []
    with psycopg2.connect(host="127.0.0.1", user="postgres", dbname=name) as connection:
        cursor = connection.cursor()
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'events'")
        assert "events_sender_id_id" in {row[0] for row in cursor.fetchall()}
