"""The reply contract, checked through the real REST channel of a running bot."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from bot import launcher
from bot.content.catalog import load

pytestmark = pytest.mark.live


def post(config, message, metadata=None, sender=None, message_id=None):
    body = {"sender": sender or f"test-{uuid.uuid4().hex}", "message": message}
    if metadata is not None:
        body["metadata"] = metadata
    if message_id is not None:
        body["message_id"] = message_id
    request = urllib.request.Request(
        launcher.rest_url(config), json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def custom(messages, kind):
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("kind") == kind]


def test_an_answer_is_text_then_its_sources(live_bot, root):
    messages = post(live_bot, "how do i set my tiktok account to private")
    assert [("text" in m, "custom" in m) for m in messages] == [(True, False), (False, True)]
    item = messages[1]["custom"]
    topic = load(root / "data/content").topics[item["content_id"]]
    assert item == topic.payload(item["audience"], "en")
    assert messages[0]["text"] == topic.answer(item["audience"], "en")


def test_metadata_picks_the_audience(live_bot):
    for audience in ("parent", "teen", "educator"):
        messages = post(live_bot, "what is grooming", {"audience": audience, "channel": "web"})
        [item] = custom(messages, "answer")
        assert item["content_id"] == "grooming-what-it-is" and item["audience"] == audience


def test_the_audience_is_inferred_and_remembered(live_bot):
    sender = f"test-{uuid.uuid4().hex}"
    [first] = custom(post(live_bot, "im 14 and a guy i met online wants to meet me", sender=sender), "answer")
    assert first["audience"] == "teen"
    [second] = custom(post(live_bot, "what is grooming", sender=sender), "answer")
    assert second["audience"] == "teen"


def test_out_of_scope_gets_a_fallback_and_no_answer(live_bot):
    messages = post(live_bot, "what's a good recipe for banana bread")
    expected = {"kind": "fallback", "reason": "out_of_scope", "suggestions": [], "language": "en"}
    assert custom(messages, "fallback") == [expected]
    assert custom(messages, "answer") == []
    assert any(m.get("buttons") for m in messages)


def test_every_button_payload_is_an_intent_command(live_bot):
    messages = post(live_bot, "hello")
    buttons = [b for m in messages for b in m.get("buttons") or []]
    assert buttons and all(b["payload"].startswith("/") and b["title"] for b in buttons)


def test_the_server_root_answers_and_the_http_api_is_off(live_bot):
    with urllib.request.urlopen(live_bot.rasa_url + "/", timeout=5) as response:
        assert response.status == 200
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(live_bot.rasa_url + "/conversations/someone/tracker", timeout=5)
    assert error.value.code in (401, 403, 404)


def test_the_chat_page_is_served_with_a_strict_policy(live_bot):
    with urllib.request.urlopen(live_bot.rasa_url + "/chat/", timeout=5) as response:
        csp = response.headers["Content-Security-Policy"]
        page = response.read().decode()
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert '<script src="/chat/chat.js"' in page
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(live_bot.rasa_url + "/chat/../credentials.yml", timeout=5)
    assert error.value.code == 404


def test_hotlines_ask_for_the_country_once_then_answer(live_bot):
    sender = f"test-{uuid.uuid4().hex}"
    first = post(live_bot, "who can i call", sender=sender)
    assert custom(first, "hotlines") == []
    assert any("/inform_country" in b["payload"] for m in first for b in m.get("buttons") or [])
    [item] = custom(post(live_bot, "nasa cebu po ako", sender=sender), "hotlines")
    assert item["country"] == "PH" and item["entries"][-1]["phone"] == "911"
    # remembered for the rest of the conversation
    [again] = custom(post(live_bot, "helpline please", sender=sender), "hotlines")
    assert again["country"] == "PH"


def test_the_language_follows_the_user(live_bot):
    sender = f"test-{uuid.uuid4().hex}"
    filipino = custom(post(live_bot, "paano po i-private ang tiktok ng anak ko", sender=sender), "answer")
    assert filipino and filipino[0]["language"] == "fil"
    # One English question does not flip a Filipino conversation; naming a language does.
    still = custom(post(live_bot, "what about instagram?", sender=sender), "answer")
    assert all(item["language"] == "fil" for item in still)
    switched = post(live_bot, "English please", sender=sender)
    assert not custom(switched, "answer")
    english = custom(post(live_bot, "ano ang grooming", sender=sender), "answer")
    assert english and english[0]["language"] == "en"  # the choice outranks detection


def test_a_filipino_crisis_is_answered_in_filipino(live_bot, root):
    messages = post(live_bot, "ayoko na mabuhay, gusto ko na mamatay", {"country": "PH"})
    (crisis,) = custom(messages, "crisis")
    assert crisis["language"] == "fil"
    acknowledgement = load(root / "data/content").crisis.acknowledge("self-harm", "fil")
    assert messages[0]["text"].startswith(acknowledgement)


def test_a_repeated_message_id_gets_the_same_reply_and_runs_once(live_bot):
    """A client retrying after a timeout or a dead replica sends the same message_id."""
    import asyncio

    from bot.bench.client import RestClient

    sender, message_id = f"test-{uuid.uuid4().hex}", uuid.uuid4().hex
    first = post(live_bot, "what is sextortion", sender=sender, message_id=message_id)
    again = post(live_bot, "what is sextortion", sender=sender, message_id=message_id)
    assert again == first and custom(first, "answer")

    async def at_once():  # two copies in flight together: the lock lets one run, then replays
        async with RestClient([launcher.rest_url(live_bot)]) as client:
            return await asyncio.gather(*(client.post(client.urls[0], sender, "thanks", "t" * 32)
                                          for _ in range(2)))

    (status_a, a), (status_b, b) = asyncio.run(at_once())
    assert status_a == status_b == 200 and a == b
    later = post(live_bot, "what is sextortion", sender=sender)  # a new id is a new turn
    assert custom(later, "answer")


@pytest.mark.parametrize("message_id", ["short", "x" * 65, "no spaces allowed here!", 12345678901234567])
def test_a_malformed_message_id_is_refused(live_bot, message_id):
    body = json.dumps({"sender": f"test-{uuid.uuid4().hex}", "message": "hi", "message_id": message_id})
    request = urllib.request.Request(
        launcher.rest_url(live_bot), body.encode(), {"Content-Type": "application/json"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
