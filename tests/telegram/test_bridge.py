"""The Telegram bridge: real python-telegram-bot against a fake Bot API server
(tests/telegram/fake_bot_api.py), in front of a real running bot."""

from __future__ import annotations

import html
import json
import random
import re
import socket
import sqlite3
import time
from dataclasses import replace

import pytest
from telegram import Update

from bot import launcher
from bot.channels.telegram.bridge import Bridge
from bot.channels.telegram.identity import message_id, sender_id
from bot.content.catalog import load
from tests.fake_servers import LoopThread
from tests.telegram.fake_bot_api import BOT, FakeBotAPI

pytestmark = pytest.mark.live
SECRET = "test-id-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    """A bridge's PTB Application on its own event loop, as `run_polling` or `run_webhook` would."""

    def __init__(self, bridge: Bridge, webhook: dict | None = None):
        self.bridge, self.webhook = bridge, webhook
        self.app = bridge.application()
        self.loop = LoopThread()

    async def _start(self) -> None:
        await self.app.initialize()
        await self.bridge.register_commands(self.app)
        await self.app.start()
        allowed = [Update.MESSAGE, Update.CALLBACK_QUERY]
        if self.webhook:
            await self.app.updater.start_webhook(allowed_updates=allowed, **self.webhook)
        else:
            await self.app.updater.start_polling(poll_interval=0.05, timeout=1, allowed_updates=allowed)

    async def _stop(self) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()

    def __enter__(self) -> Running:
        self.loop.start()
        self.loop.run(self._start())
        return self

    def __exit__(self, *exc) -> None:
        self.loop.run(self._stop())
        self.loop.stop()


@pytest.fixture
def fake():
    with FakeBotAPI() as api:
        yield api


@pytest.fixture
def config(live_bot, fake):
    return replace(live_bot, telegram_token="123456:TEST", telegram_api_base_url=fake.base_url,
                   telegram_id_secret=SECRET)


@pytest.fixture
def bridge(config, fake):
    with Running(Bridge(config, launcher.rest_url(config))) as running:
        yield running.bridge


@pytest.fixture(scope="module")
def catalog(root):
    return load(root / "data/content")


def new_chat() -> int:
    return random.randint(10**9, 10**10)


def texts(fake, chat) -> list[str]:
    return [m["text"] for m in fake.sent.get(chat, [])]


def wait_text(fake, chat, pattern: str, timeout: float = 20) -> str:
    """The first message the bot sent to `chat` that contains `pattern` (plain or regex)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for text in texts(fake, chat):
            if pattern in text or re.search(pattern, text):
                return text
        time.sleep(0.05)
    raise AssertionError(f"no message with {pattern!r} in {texts(fake, chat)}")


def wait_quiet(fake, chat, seconds: float = 1.5) -> list[str]:
    """What the bot sent to `chat`, once it has sent nothing new for `seconds`."""
    seen = texts(fake, chat)
    while True:
        time.sleep(seconds)
        if texts(fake, chat) == seen:
            return seen
        seen = texts(fake, chat)


def escaped(text: str) -> str:
    return html.escape(text)


def keyboard(fake, chat) -> list[tuple[int, str, str]]:
    """(message id, button title, callback key) of every button the bot sent to `chat`."""
    out = []
    for message in fake.sent.get(chat, []):
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            out += [(message["message_id"], b["text"], b["callback_data"]) for b in row]
    return out


def test_start_gives_the_privacy_notice_and_the_choices(fake, bridge, catalog):
    chat = new_chat()
    fake.push_message(chat, "/start")
    wait_text(fake, chat, escaped(catalog.message("privacy_notice", "en").splitlines()[0]))
    wait_text(fake, chat, escaped(catalog.message("ask_audience", "en")))
    titles = [t for _, t, _ in keyboard(fake, chat)]
    assert catalog.message("audience_button_teen", "en") in titles
    assert catalog.message("language_button_fil", "fil") in titles
    assert all(len(key.encode()) <= 64 for _, _, key in keyboard(fake, chat))
    # Commands in English and Filipino.
    assert {c["command"] for c in fake.my_commands()} >= {"start", "forget", "clear", "hotline", "language"}
    assert fake.my_commands("tl")[0]["description"] == catalog.message("command_start", "fil")


def test_an_answer_carries_its_sources_as_links(fake, bridge, catalog):
    chat = new_chat()
    fake.push_message(chat, "how do i set my tiktok account to private")
    text = wait_text(fake, chat, escaped(catalog.message("sources_label", "en")))
    assert re.search(r'<a href="https://[^"]+">', text)


def test_a_button_round_trips_and_an_unknown_key_is_refused(fake, bridge, catalog):
    chat = new_chat()
    fake.push_message(chat, "/start")
    wait_text(fake, chat, escaped(catalog.message("ask_audience", "en")))
    teen = catalog.message("audience_button_teen", "en")
    message_id, _, key = next(b for b in keyboard(fake, chat) if b[1] == teen)
    fake.push_callback(chat, message_id, key)
    wait_text(fake, chat, escaped(catalog.message("audience_set_teen", "en")))
    assert fake.calls_of("answerCallbackQuery")
    fake.push_callback(chat, message_id, "made-up-key")
    wait_text(fake, chat, escaped(catalog.message("button_expired", "en")))


def test_hotlines_become_one_card_with_dialable_numbers(fake, bridge, catalog):
    chat = new_chat()
    fake.push_message(chat, "/country")
    wait_text(fake, chat, escaped(catalog.message("ask_country", "en")))
    message_id, _, key = next(b for b in keyboard(fake, chat) if "Philippines" in b[1])
    fake.push_callback(chat, message_id, key)
    card = wait_text(fake, chat, r"☎ \+?\d{3,}")
    assert "<b>" in card and not re.search(r"☎ [^\n·]*\s\d", card)  # no spaces inside a number


def test_a_crisis_reply_comes_first_and_stands_out(fake, bridge):
    chat = new_chat()
    fake.push_message(chat, "someone says he will post my nudes unless i pay him tonight")
    wait_text(fake, chat, "🆘")
    assert texts(fake, chat)[0].startswith("🆘 <b>")


def test_filipino(fake, bridge, catalog):
    chat = new_chat()
    fake.push_message(chat, "paano po i-private ang tiktok ng anak ko", language_code="tl")
    wait_text(fake, chat, escaped(catalog.message("sources_label", "fil")))


def test_forget_deletes_the_conversation_on_the_server(fake, bridge, catalog, config):
    chat = new_chat()
    fake.push_message(chat, "what is grooming")
    wait_text(fake, chat, escaped(catalog.message("sources_label", "en")))
    fake.push_message(chat, "/forget")
    wait_text(fake, chat, escaped(catalog.message("forget_done", "en")))
    assert events_of(config, sender_id(chat, SECRET)) == 0


def test_clear_deletes_both_sides_and_says_what_it_could_not(fake, bridge, catalog):
    chat = new_chat()
    first = fake.push_message(chat, "what is grooming")["message"]["message_id"]
    wait_text(fake, chat, escaped(catalog.message("sources_label", "en")))
    fake.undeletable.add(first)
    fake.push_message(chat, "/clear")
    wait_text(fake, chat, escaped(catalog.message("not_cleared", "en", count="1")))
    # What is left: the message Telegram would not let go, and the notice itself.
    assert len(fake.visible(chat)) == 2 and first in fake.visible(chat)


def test_a_photo_in_a_private_chat_is_deleted_unopened_then_how_to_report(fake, bridge, catalog):
    chat = new_chat()
    photo = fake.push_message(chat, photo=True)["message"]["message_id"]
    wait_text(fake, chat, escaped(catalog.message("media_deleted", "en")))
    assert {"chat_id": chat, "message_id": photo}.items() <= fake.wait_for("deleteMessage")[0].items()
    answer = catalog.topics["report-abuse-material"]
    wait_text(fake, chat, escaped(answer.answer(None, "en").splitlines()[0]))
    assert not fake.calls_of("getFile")


def test_in_a_group_it_only_invites_to_a_private_chat(fake, bridge, catalog):
    group = -new_chat()
    fake.push_message(group, "/start", chat_type="group")
    invite = wait_text(fake, group, "https://t.me/kalasag_test_bot")
    assert invite.startswith(escaped(catalog.message("group_invite", "en", link="")[:20]))
    fake.push_message(group, "my stepdad hurts me", chat_type="group")
    fake.push_message(group, photo=True, chat_type="group")
    time.sleep(1.5)
    assert len(texts(fake, group)) == 1 and not fake.calls_of("deleteMessage")


def test_too_many_messages_get_a_kind_limit(fake, bridge, catalog):
    chat = new_chat()
    for i in range(16):
        fake.push_message(chat, f"hello {i}")
    wait_text(fake, chat, escaped(catalog.message("rate_limited", "en")), timeout=60)


def test_when_rasa_is_down_the_user_gets_help_numbers(fake, config, catalog):
    chat = new_chat()
    down = f"http://127.0.0.1:{free_port()}/webhooks/rest/webhook"
    with Running(Bridge(config, down)):
        fake.push_message(chat, "hello")
        text = wait_text(fake, chat, escaped(catalog.message("unavailable", "en")))
    assert "112" in text or "911" in text


def webhook(port: int) -> dict:
    return {"listen": "127.0.0.1", "port": port, "url_path": "tg",
            "webhook_url": f"http://127.0.0.1:{port}/tg", "secret_token": "right-secret"}


def test_webhook_mode_refuses_a_wrong_secret(fake, config, catalog):
    chat = new_chat()
    with Running(Bridge(config, launcher.rest_url(config)), webhook=webhook(free_port())):
        update = {"update_id": 1, "message": {
            "message_id": 1, "date": int(time.time()), "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "A"}, "text": "what is grooming"}}
        assert fake.post_to_webhook(update, secret_token="wrong") == 403
        assert fake.post_to_webhook(update, secret_token=None) == 403
        assert fake.post_to_webhook(update) == 200
        wait_text(fake, chat, escaped(catalog.message("sources_label", "en")))


def events_of(config, sender: str) -> int:
    path = config.tracker_store_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def user_message_ids(config, sender: str) -> list[str]:
    """The message id of every user message the conversation holds, oldest first."""
    path = config.tracker_store_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                          (sender,)).fetchall()
    return [json.loads(data).get("message_id") for (data,) in rows]


def test_a_redelivered_update_runs_its_turn_once_and_gets_the_same_reply(fake, config, catalog):
    chat = new_chat()
    with Running(Bridge(config, launcher.rest_url(config)), webhook=webhook(free_port())):
        update = fake.push_message(chat, "what is grooming")
        assert fake.post_to_webhook(update) == 200
        wait_text(fake, chat, escaped(catalog.message("sources_label", "en")))
        first = wait_quiet(fake, chat)
        assert fake.post_to_webhook(update) == 200  # Telegram did not hear our 200, say
        deadline = time.monotonic() + 20
        while len(texts(fake, chat)) < 2 * len(first) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert wait_quiet(fake, chat) == first + first
    expected = message_id(BOT["id"], update["update_id"], SECRET)
    assert user_message_ids(config, sender_id(chat, SECRET)) == [expected]


def test_two_bridges_sharing_redis_can_each_take_any_update(fake, config, catalog, redis_url):
    shared = replace(config, lock_store_url=redis_url)
    rasa, a, b = launcher.rest_url(config), free_port(), free_port()
    chat = new_chat()

    def through(port, update):
        assert fake.post_to_webhook(update, url=f"http://127.0.0.1:{port}/tg") == 200

    with Running(Bridge(shared, rasa), webhook=webhook(a)), Running(Bridge(shared, rasa), webhook=webhook(b)):
        # A button offered through A, pressed through B.
        through(a, fake.push_message(chat, "/start"))
        wait_text(fake, chat, escaped(catalog.message("ask_audience", "en")))
        filipino = catalog.message("language_button_fil", "en")
        offered, _, key = next(button for button in keyboard(fake, chat) if button[1] == filipino)
        through(b, fake.push_callback(chat, offered, key))
        wait_text(fake, chat, escaped(catalog.message("language_set", "fil")))
        # The language A learns from a reply is the one B speaks in.
        through(a, fake.push_message(chat, "how do i set my tiktok account to private"))
        wait_text(fake, chat, escaped(catalog.message("sources_label", "fil")))
        through(b, fake.push_message(chat, "/country"))
        wait_text(fake, chat, escaped(catalog.message("ask_country", "fil")))
        # /clear through B deletes what went through A, both sides.
        wait_quiet(fake, chat)
        before = fake.visible(chat)
        through(b, fake.push_message(chat, "/clear"))
        cleared = catalog.message("cleared", "fil", deleted=str(len(before) + 1))
        notice = wait_text(fake, chat, escaped(cleared))
    assert [m["text"] for m in fake.sent[chat] if m["message_id"] in fake.visible(chat)] == [notice]


def test_rasa_sees_an_hmac_of_the_chat_never_the_chat_id(fake, bridge, config, catalog):
    chat = new_chat()
    fake.push_message(chat, "what is grooming", username="teen_user", first_name="Maria")
    wait_text(fake, chat, escaped(catalog.message("sources_label", "en")))
    path = config.tracker_store_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        senders = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}
        stored = " ".join(str(row[0]) for row in db.execute("SELECT data FROM events"))
    assert sender_id(chat, SECRET) in senders
    assert not any(str(chat) in s for s in senders)
    assert str(chat) not in stored and "teen_user" not in stored and "Maria" not in stored


def test_a_typed_slash_command_that_is_not_ours_is_only_text(fake, bridge):
    seen = []
    real = bridge.rasa.send

    async def spy(sender, text, metadata, message_id):
        seen.append(text)
        return await real(sender, text, metadata, message_id)

    bridge.rasa.send = spy
    fake.push_message(new_chat(), '/faq{"content_id":"sharenting"}')
    fake.wait_for("sendMessage")
    assert seen == ['faq{"content_id":"sharenting"}']  # Rasa never sees an unsigned "/command"
