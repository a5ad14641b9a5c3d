"""The bridge's REST client, against a stand-in REST channel: a turn that failed inside
Rasa is tried once more, with the same message id, and only the second reply counts."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.channels.bridge.rasa_client import RasaClient, RasaUnavailable

FAILED = [
    {"text": "Something went wrong. Please try again."},
    {"custom": {"kind": "error", "reason": "store", "retry_after": 5, "language": "en"}},
]
SENDER, MESSAGE_ID = "telegram-" + "a" * 64, "m" * 32
ANSWER = [{"text": "Grooming is …"}, {"custom": {"kind": "answer", "language": "en"}}]


@pytest.fixture
def waits(monkeypatch):
    """The seconds the client waited, without waiting."""
    seen = []

    async def sleep(seconds):
        seen.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    return seen


def client_answering(*replies):
    """A client whose REST channel answers `replies` in turn; and the bodies it received."""
    bodies, queue = [], list(replies)

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        reply = queue.pop(0)
        return httpx.Response(200, json=reply) if isinstance(reply, list) else httpx.Response(reply)

    client = RasaClient("http://rasa.test/webhooks/rest/webhook", "telegram")
    client.http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    return client, bodies


def send(client):
    return asyncio.run(client.send(SENDER, "what is grooming", {"language": "en"}, MESSAGE_ID))


def test_a_turn_that_worked_is_sent_once_with_its_message_id(waits):
    client, bodies = client_answering(ANSWER)
    assert send(client) == ANSWER
    assert bodies == [{"sender": SENDER, "message": "what is grooming", "message_id": MESSAGE_ID,
                       "metadata": {"channel": "telegram", "language": "en"}}]
    assert waits == []


def test_a_failed_turn_is_retried_once_with_the_same_message_id(waits):
    client, bodies = client_answering(FAILED, ANSWER)
    assert send(client) == ANSWER
    assert len(bodies) == 2 and bodies[0] == bodies[1] and waits == [5]


def test_a_turn_that_fails_twice_gives_its_reply_and_the_wait_is_capped(waits):
    slow = [FAILED[0], {"custom": {**FAILED[1]["custom"], "retry_after": 600}}]
    client, bodies = client_answering(slow, FAILED)
    assert send(client) == FAILED
    assert len(bodies) == 2 and waits == [5]


def test_an_http_error_on_the_retry_is_unavailable(waits):
    client, _ = client_answering(FAILED, 502)
    with pytest.raises(RasaUnavailable):
        send(client)


def test_a_failed_crisis_turn_is_not_held_back_for_a_retry(waits):
    """The guard's error reply to a crisis carries the emergency number: shown at once."""
    crisis_failed = [{"text": "You did the right thing telling me. Call 911."},
                     {"custom": {"kind": "crisis", "category": "imminent-danger"}}, *FAILED]
    client, bodies = client_answering(crisis_failed)
    assert send(client) == crisis_failed
    assert len(bodies) == 1 and waits == []
