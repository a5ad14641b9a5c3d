"""The Graph API client against the fake Graph API: Meta's errors retried or dropped,
never raised by a send, and the token only where Meta wants it."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.channels.messenger.graph import Graph, GraphError
from tests.messenger.fake_graph_api import TOKEN, FakeGraphAPI

PSID = "6789012345678901"


@pytest.fixture
def fake():
    with FakeGraphAPI() as api:
        yield api


def sending(fake, message, token=TOKEN):
    async def go():
        graph = Graph(fake.base_url, token, backoff=0.01)
        try:
            return await graph.send(PSID, message)
        finally:
            await graph.close()

    return asyncio.run(go())


def test_a_message_is_sent_as_a_response(fake):
    assert sending(fake, {"text": "hello"})
    (call,) = fake.calls_to("messages")
    body = {"recipient": {"id": PSID}, "messaging_type": "RESPONSE", "message": {"text": "hello"}}
    assert call["body"] == body
    assert call["query"] == {"access_token": TOKEN}


@pytest.mark.parametrize("error", ["server", "rate_limit", "app_rate_limit"])
def test_a_5xx_or_a_rate_limit_is_tried_again(fake, error):
    fake.fail("messages", error, error)
    assert sending(fake, {"text": "hello"})
    assert len(fake.calls_to("messages")) == 3


@pytest.mark.parametrize("error", ["user_unavailable", "outside_window"])
def test_an_unreachable_user_is_logged_by_code_and_dropped(fake, error, caplog):
    fake.fail("messages", error)
    with caplog.at_level(logging.WARNING):
        assert not sending(fake, {"text": "secret words"})
    assert len(fake.calls_to("messages")) == 1
    assert "dropped" in caplog.text and "secret words" not in caplog.text and PSID not in caplog.text


def test_errors_that_last_stop_after_a_few_tries_and_never_raise(fake, caplog):
    fake.fail("messages", *["server"] * 10)
    with caplog.at_level(logging.ERROR):
        assert not sending(fake, {"text": "secret words"})
    assert len(fake.calls_to("messages")) == 4 and "secret words" not in caplog.text


def test_a_bad_token_is_not_retried_and_the_call_raises(fake):
    async def go():
        graph = Graph(fake.base_url, "wrong", backoff=0.01)
        try:
            await graph.call("messenger_profile", {"greeting": []})
        finally:
            await graph.close()

    with pytest.raises(GraphError) as raised:
        asyncio.run(go())
    assert raised.value.code == 190 and len(fake.calls) == 1


def test_meta_down_entirely_is_a_failed_send(caplog):
    with FakeGraphAPI() as gone:
        url = gone.base_url
    async def go():
        graph = Graph(url, TOKEN, backoff=0.01, tries=2)
        try:
            return await graph.send(PSID, {"text": "x"})
        finally:
            await graph.close()

    assert asyncio.run(go()) is False
