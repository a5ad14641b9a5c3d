"""The public REST channel's guard, against a running bot."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import tempfile
import time
import urllib.error
import urllib.request
import uuid

import pytest
from hypothesis import HealthCheck, given, settings, strategies

from bot import launcher, training
from bot import settings as bot_settings
from bot.channels.rest import MAX_MESSAGE_CHARS
from bot.channels.signing import sign
from bot.content.catalog import load
from tests.conftest import need
from tests.servers import RedisServer

pytestmark = pytest.mark.live


def raw_post(config, body: bytes):
    request = urllib.request.Request(launcher.rest_url(config), body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None


def post(config, message, sender=None, metadata=None):
    body = {"sender": sender or f"test-{uuid.uuid4().hex}", "message": message, "metadata": metadata or {}}
    status, reply = raw_post(config, json.dumps(body).encode())
    assert status == 200, status
    return reply


def said(reply, key, root):
    wanted = load(root / "data/content").message(key, "en")
    return any(m.get("text") == wanted for m in reply)


def kinds(reply):
    return [(m.get("custom") or {}).get("kind") for m in reply]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"x" * (17 * 1024), 413),
        (b"not json", 400),
        (b"[1, 2]", 400),
        (json.dumps({"message": "hi"}).encode(), 400),  # no sender
        (json.dumps({"sender": "default", "message": "hi"}).encode(), 400),  # guessable
        (json.dumps({"sender": "web-1234", "message": "hi"}).encode(), 400),
        (json.dumps({"sender": f"web-{uuid.uuid4().hex}", "message": 42}).encode(), 400),
    ],
)
def test_bad_requests_are_refused(live_bot, body, status):
    assert raw_post(live_bot, body)[0] == status


def test_an_over_long_message_gets_a_kind_reply_and_is_not_stored(live_bot, root):
    sender = f"test-{uuid.uuid4().hex}"
    reply = post(live_bot, "a" * (MAX_MESSAGE_CHARS + 1), sender)
    assert said(reply, "too_long", root)
    store = root / "kalasag.db"
    if store.exists():
        import sqlite3

        with sqlite3.connect(store) as connection:
            rows = connection.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
        assert rows[0] == 0


def test_an_over_long_crisis_still_gets_the_crisis_help_first(live_bot, root):
    reply = post(live_bot, "i want to kill myself. " + "please " * 400, metadata={"country": "PH"})
    assert kinds(reply)[:2] == [None, "crisis"] and said(reply, "too_long", root)
    assert next(m["custom"] for m in reply if m.get("custom"))["emergency_number"] == "911"


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200b", "\x00\x01\x02"])
def test_empty_messages_get_a_kind_reply(live_bot, root, text):
    assert said(post(live_bot, text), "empty_message", root)


@pytest.mark.parametrize("text", ["😀😀😀", "\u202eolleh", "\u05e9\u05dc\u05d5\u05dd", "?!?!", "🚨🚨 help"])
def test_odd_messages_get_a_sensible_reply(live_bot, text):
    reply = post(live_bot, text)
    assert reply and all(m.get("text") or m.get("custom") for m in reply)


def test_a_typed_command_cannot_set_a_slot(live_bot):
    sender = f"test-{uuid.uuid4().hex}"
    post(live_bot, '/choose_audience{"audience":"educator"}', sender)
    reply = post(live_bot, "what is grooming", sender)
    [answer] = [m["custom"] for m in reply if (m.get("custom") or {}).get("kind") == "answer"]
    assert answer["audience"] != "educator"


def test_the_bots_own_buttons_work_and_only_for_their_sender(live_bot):
    sender = f"test-{uuid.uuid4().hex}"
    greeting = post(live_bot, "hello", sender)
    buttons = [b for m in greeting for b in m.get("buttons") or [] if "choose_audience" in b["payload"]]
    educator = next(b for b in buttons if "educator" in b["payload"])
    assert "|" in educator["payload"]  # signed
    post(live_bot, educator["payload"], sender)
    reply = post(live_bot, "what is grooming", sender)
    assert [m["custom"]["audience"] for m in reply if (m.get("custom") or {}).get("kind") == "answer"] == [
        "educator"
    ]
    # Someone else replaying the same signed payload gets no command.
    other = f"test-{uuid.uuid4().hex}"
    post(live_bot, educator["payload"], other)
    reply = post(live_bot, "what is grooming", other)
    assert [m["custom"]["audience"] for m in reply if (m.get("custom") or {}).get("kind") == "answer"] != [
        "educator"
    ]


def test_the_safe_word_works_at_any_point(live_bot):
    sender = f"test-{uuid.uuid4().hex}"
    post(live_bot, "how do i make my account private", sender)
    assert "crisis" in kinds(post(live_bot, "HELP", sender))
    assert "crisis" in kinds(post(live_bot, "tulong", sender))


def test_too_many_messages_get_a_kind_reply(live_bot, root):
    sender = f"test-{uuid.uuid4().hex}"
    limit = bot_settings.load().rate_limit_per_minute
    replies = [post(live_bot, "hi", sender) for _ in range(limit + 1)]
    assert said(replies[-1], "rate_limited", root)
    assert not said(replies[0], "rate_limited", root)


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    strategies.one_of(
        strategies.text(max_size=300),
        strategies.text(alphabet=strategies.characters(codec="utf-8"), min_size=1900, max_size=2100),
        strategies.from_regex(r"/[a-z_]{1,20}(\{.{0,40}\})?", fullmatch=True),
        strategies.sampled_from(["\u202e", "\x00", "{}", "[]", "null", "<script>", "' OR 1=1", "%s%s%s"]),
    )
)
def test_fuzzed_messages_always_get_a_well_formed_reply(live_bot, text):
    reply = post(live_bot, text, sender=f"fuzz-{uuid.uuid4().hex}")
    assert isinstance(reply, list) and reply
    for message in reply:
        assert set(message) <= {"recipient_id", "text", "buttons", "custom", "image", "attachment"}


def test_the_conversation_goes_on_after_fuzzing(live_bot):
    reply = post(live_bot, "how do i set my tiktok account to private")
    assert "answer" in kinds(reply)


def _own_bot(config, rasa_port: int, **changes):
    model = training.model_path(config)
    need(model.exists(), f"a trained model ({model.name}; run `make model`)")
    config = dataclasses.replace(config, rasa_port=rasa_port, action_port=rasa_port + 50, **changes)
    return config, launcher.Bot(config, model, log=tempfile.TemporaryFile("w"))


def test_a_store_failure_gets_an_explicit_reply_and_the_conversation_survives(root):
    """Kill the conversation store under a running bot: replies keep coming (with the
    crisis help when it matters), and after the store is back the conversation resumes."""
    redis = RedisServer(persistent=True)  # what was saved before the outage survives it
    redis.start()
    config, bot = _own_bot(bot_settings.load(), 5305, tracker_store_url=redis.url)
    try:
        with bot:
            sender = f"test-{uuid.uuid4().hex}"
            post(config, "im 15 and someone keeps asking for pics", sender)
            redis.stop()
            during = post(config, "someone is hurting me right now", sender, {"country": "GB"})
            assert "crisis" in kinds(during) and "error" in kinds(during)
            assert "error" in kinds(post(config, "what is grooming", sender))  # said, never an empty 200
            redis.start()
            after = post(config, "what is grooming", sender)
            [answer] = [m["custom"] for m in after if (m.get("custom") or {}).get("kind") == "answer"]
            assert answer["audience"] == "teen"  # remembered from before the outage
    finally:
        redis.remove()


def test_a_failed_action_is_not_half_saved_and_the_message_can_be_sent_again(tmp_path):
    """With the action server down, a turn fails explicitly and nothing of it is stored;
    sent again with the same message_id once it is back, it runs once, whole."""
    store = tmp_path / "tracker.db"
    config, bot = _own_bot(bot_settings.load(), 5315, tracker_store_url=f"sqlite:///{store}")
    sender, message_id = f"test-{uuid.uuid4().hex}", uuid.uuid4().hex
    body = json.dumps({"sender": sender, "message": "what is grooming", "message_id": message_id}).encode()

    def stored_ids() -> list[str]:
        with sqlite3.connect(store) as connection:
            rows = connection.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user'",
                                      (sender,)).fetchall()
        return [json.loads(data)["message_id"] for (data,) in rows]

    with bot:
        bot.kill("actions")
        status, failed = raw_post(config, body)
        assert status == 200 and [k for k in kinds(failed) if k] == ["error"]
        assert stored_ids() == []
        bot.spawn("actions")
        while not launcher.is_up(config):
            time.sleep(0.2)
        status, answered = raw_post(config, body)
        assert status == 200 and "answer" in kinds(answered)
        assert raw_post(config, body) == (200, answered)  # and again: the same reply
        assert stored_ids() == [message_id]


def test_sign_is_per_sender():
    assert sign("a" * 32, "/greet") != sign("b" * 32, "/greet")
