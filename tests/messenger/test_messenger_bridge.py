"""The Messenger bridge: Meta's signed webhook deliveries, in Meta's documented format,
posted to the real bridge in front of a real running bot, with a fake Graph API
(tests/messenger/fake_graph_api.py) standing in for Meta's servers."""

from __future__ import annotations

import json
import random
import sqlite3
import time
import urllib.error
import urllib.request
from dataclasses import replace

import pytest
from aiohttp import web

from bot import launcher
from bot.channels.bridge.identity import sender_id
from bot.channels.messenger.bridge import PREFIX, Bridge
from bot.channels.messenger.graph import PAGE_INBOX_APP_ID, Graph
from bot.content.catalog import load
from tests.fake_servers import LoopThread
from tests.messenger import fake_graph_api as meta
from tests.messenger.fake_graph_api import APP_SECRET, TOKEN, FakeGraphAPI
from tests.servers import free_port

pytestmark = pytest.mark.live
SECRET = "test-messenger-id-secret"
VERIFY = "test-verify-token"
OUR_APP_ID = "1517776481860111"


class Running:
    """A bridge's aiohttp app on its own event loop and a free port, as `run` would serve it."""

    def __init__(self, bridge: Bridge):
        self.bridge, self.port, self.loop = bridge, free_port(), LoopThread()
        self.url = f"http://127.0.0.1:{self.port}/webhooks/messenger"

    async def _start(self) -> None:
        self.runner = web.AppRunner(self.bridge.app())
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    def __enter__(self) -> Running:
        self.loop.start()
        self.loop.run(self._start())
        return self

    def __exit__(self, *exc) -> None:
        self.loop.run(self.runner.cleanup(), timeout=60)  # waits for the work after each 200
        self.loop.stop()

    def post(self, payload: dict, headers: dict | None = None) -> int:
        return meta.post(self.url, payload, headers)

    def say(self, *events: dict) -> None:
        assert self.post(meta.delivery_of(meta.entry(*events))) == 200


@pytest.fixture
def fake():
    with FakeGraphAPI() as api:
        yield api


@pytest.fixture
def config(live_bot, fake):
    return replace(live_bot, messenger_page_access_token=TOKEN, messenger_app_secret=APP_SECRET,
                   messenger_verify_token=VERIFY, messenger_graph_api_url=fake.base_url,
                   messenger_id_secret=SECRET, messenger_handover=None)


def running(config, rasa_url=None) -> Running:
    graph = Graph(config.messenger_graph_api_url, TOKEN, backoff=0.01)
    return Running(Bridge(config, rasa_url or launcher.rest_url(config), graph=graph))


@pytest.fixture
def bridge(config):
    with running(config) as r:
        yield r


@pytest.fixture
def handover(config):
    with running(replace(config, messenger_handover="page_inbox", messenger_helpline="ph-makabata")) as r:
        yield r


@pytest.fixture(scope="module")
def catalog(root):
    return load(root / "data/content")


def new_psid() -> str:
    return str(random.randint(10**15, 10**16))


def sender(psid: str) -> str:
    return sender_id(PREFIX, psid, SECRET)


def stored(config, psid: str) -> tuple[int, str]:
    """How many events the conversation holds, and all of their data."""
    path = config.tracker_store_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ?", (sender(psid),)).fetchall()
    return len(rows), " ".join(r[0] for r in rows)


def quick_replies(fake, psid: str) -> list[dict]:
    return [q for m in fake.messages(psid) for q in m.get("quick_replies") or []]


def wait_quick_reply(fake, psid: str, title: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [q for q in quick_replies(fake, psid) if q["title"] == title]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no quick reply {title!r} in {quick_replies(fake, psid)}")


def fetched_outside_the_api(fake) -> list[str]:
    return [c["path"] for c in fake.calls if not c["path"].startswith(f"/{meta.VERSION}/me/")]


def test_the_verification_handshake(bridge):
    def get(query: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"{bridge.url}?{query}", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, ""

    challenge = "1158201444"
    assert get(f"hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge={challenge}") == (200, challenge)
    assert get("hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")[0] == 403
    assert get(f"hub.mode=unsubscribe&hub.verify_token={VERIFY}&hub.challenge=1")[0] == 403
    assert get("")[0] == 403


def test_only_a_right_sha256_signature_is_processed(bridge, fake, catalog):
    psid = new_psid()
    delivery = meta.delivery_of(meta.entry(meta.text(psid, "what is grooming")))
    body = json.dumps(delivery).encode()
    assert bridge.post(delivery, {"X-Hub-Signature-256": meta.signature(body, "not-the-secret")}) == 403
    assert bridge.post(delivery, {}) == 403
    assert bridge.post(delivery, {"X-Hub-Signature": meta.signature(body, algorithm="sha1")}) == 403
    fake.wait_quiet()
    assert fake.messages(psid) == []
    assert bridge.post(delivery) == 200
    fake.wait_text(psid, catalog.message("sources_label", "en"))


def test_every_event_of_every_entry_is_answered(bridge, fake, catalog):
    a, b, c = new_psid(), new_psid(), new_psid()
    delivery = meta.delivery_of(
        meta.entry(meta.text(a, "what is grooming"), meta.text(b, "hi")),
        meta.entry(meta.text(c, "how do i set my tiktok account to private")),
    )
    assert bridge.post(delivery) == 200
    for psid in (a, c):
        fake.wait_text(psid, catalog.message("sources_label", "en"))
    fake.wait_text(b, catalog.message("ask_audience", "en"))
    assert all("typing_on" in fake.actions(p) for p in (a, b, c))


def test_a_redelivered_mid_is_answered_once(bridge, fake, config, catalog):
    psid = new_psid()
    delivery = meta.delivery_of(meta.entry(meta.text(psid, "what is grooming", mid="m_redelivered_1")))
    assert bridge.post(delivery) == 200
    fake.wait_text(psid, catalog.message("sources_label", "en"))
    fake.wait_quiet()
    first = fake.texts(psid)
    assert bridge.post(delivery) == 200  # Meta did not hear our 200, say
    fake.wait_quiet()
    assert fake.texts(psid) == first
    assert stored(config, psid)[1].count('"event": "user"') == 1


def test_echoes_and_receipts_are_ignored(bridge, fake, config):
    psid = new_psid()
    bridge.say(meta.echo(psid, "an echo of our own message"), meta.delivery(psid), meta.read(psid))
    fake.wait_quiet()
    assert fake.messages(psid) == [] and stored(config, psid)[0] == 0


@pytest.mark.parametrize("kind", ["image", "video", "audio", "file", "sticker"])
def test_an_attachment_is_never_fetched_and_the_user_is_told_how_to_remove_and_report(
        bridge, fake, config, catalog, kind):
    psid = new_psid()
    url = fake.cdn_url(f"{kind}-{psid}")
    bridge.say(meta.attachment(psid, kind, url))
    fake.wait_text(psid, catalog.message("media_not_opened", "en")[:60])
    report = catalog.topics["report-abuse-material"].answer(None, "en").splitlines()[0]
    fake.wait_text(psid, report[:60])
    assert fetched_outside_the_api(fake) == []
    assert url not in json.dumps([c["body"] for c in fake.calls_to("messages")])
    assert "cdn" not in stored(config, psid)[1]


def test_quick_replies_and_postbacks_carry_our_payloads_and_an_unknown_one_has_expired(bridge, fake, catalog):
    psid = new_psid()
    bridge.say(meta.postback(psid, "Get Started", "GET_STARTED"))
    fake.wait_text(psid, catalog.message("messenger_automated", "en"))
    fake.wait_text(psid, catalog.message("privacy_notice", "en").splitlines()[0])
    fake.wait_text(psid, catalog.message("ask_audience", "en"))
    assert fake.texts(psid)[0] == catalog.message("messenger_automated", "en")  # first, as Meta requires
    teen = wait_quick_reply(fake, psid, catalog.message("audience_button_teen", "en"))
    bridge.say(meta.quick_reply(psid, teen["title"], teen["payload"]))
    fake.wait_text(psid, catalog.message("audience_set_teen", "en"))
    bridge.say(meta.postback(psid, "Old button", "K:made-up-key"))
    fake.wait_text(psid, catalog.message("button_expired", "en"))
    bridge.say(meta.postback(psid, "Typed payload", '/faq{"content_id":"sharenting"}'))
    fake.wait_quiet()
    assert fake.texts(psid).count(catalog.message("button_expired", "en")) == 2


def test_a_message_over_2000_characters_gets_the_guards_answer(bridge, fake, catalog):
    psid = new_psid()
    bridge.say(meta.text(psid, "how do I keep my child safe " * 100))
    fake.wait_text(psid, catalog.message("too_long", "en")[:40])
    assert all(len(t) <= 2000 for t in fake.texts(psid))


def test_a_crisis_reply_comes_first_as_its_own_message(bridge, fake):
    psid = new_psid()
    bridge.say(meta.text(psid, "someone says he will post my nudes unless i pay him tonight"))
    fake.wait_text(psid, "🆘")
    assert fake.texts(psid)[0].startswith("🆘 ")


def test_filipino(bridge, fake, catalog):
    psid = new_psid()
    bridge.say(meta.text(psid, "paano po i-private ang tiktok ng anak ko"))
    fake.wait_text(psid, catalog.message("sources_label", "fil"))


def test_forget_me_from_the_menu_deletes_the_conversation(bridge, fake, config, catalog):
    psid = new_psid()
    bridge.say(meta.text(psid, "what is grooming"))
    fake.wait_text(psid, catalog.message("sources_label", "en"))
    bridge.say(meta.postback(psid, "Forget me", "MENU_FORGET"))
    fake.wait_text(psid, catalog.message("forget_done", "en"))
    assert stored(config, psid)[0] == 0


def test_rasa_sees_an_hmac_of_the_psid_and_no_profile_is_ever_asked_for(bridge, fake, config, catalog):
    psid = new_psid()
    bridge.say(meta.text(psid, "what is grooming"))
    fake.wait_text(psid, catalog.message("sources_label", "en"))
    path = config.tracker_store_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        senders = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}
        data = " ".join(row[0] for row in db.execute("SELECT data FROM events"))
    assert sender(psid) in senders and not any(psid in s for s in senders) and psid not in data
    assert fetched_outside_the_api(fake) == []  # no GET /<PSID>?fields=first_name,profile_pic


def test_talk_to_person_passes_the_thread_to_the_page_inbox_and_the_bot_waits(handover, fake, catalog):
    psid = new_psid()
    handover.say(meta.text(psid, "someone says he will post my nudes unless i pay him tonight"))
    fake.wait_text(psid, "🆘")
    person = catalog.message("menu_person", "en")
    tap = wait_quick_reply(fake, psid, person)  # on the crisis reply
    handover.say(meta.quick_reply(psid, person, tap["payload"]))
    # The helpline's hours from the registry (MESSENGER_HELPLINE=ph-makabata: 24/7).
    told = fake.wait_text(psid, "24/7")
    assert told.startswith(catalog.message("handover_hours", "en", name="", hours="", emergency="")[:20])
    fake.wait_quiet()
    (passed,) = fake.calls_to("pass_thread_control")
    assert passed["body"]["target_app_id"] == PAGE_INBOX_APP_ID == "263902037430900"
    note = json.loads(passed["body"]["metadata"])
    assert set(note) == {"topic", "category", "language"} and note["category"] == "threat"
    assert "nudes" not in passed["body"]["metadata"]
    # While the inbox holds the thread: silent, on messaging and on standby alike.
    before = len(fake.messages(psid))
    handover.say(meta.text(psid, "hello? what is grooming"))
    assert handover.post(meta.delivery_of(meta.entry(meta.text(psid, "are you there"), standby=True))) == 200
    fake.wait_quiet()
    assert len(fake.messages(psid)) == before
    # The page's team passes the thread back: the bot says so, and answers again.
    handover.say(meta.control(psid, "pass_thread_control", OUR_APP_ID, PAGE_INBOX_APP_ID))
    fake.wait_text(psid, catalog.message("handover_back", "en"))
    handover.say(meta.text(psid, "what is grooming"))
    fake.wait_text(psid, catalog.message("sources_label", "en"))


def test_talk_to_person_typed_in_english_and_filipino(handover, fake, catalog):
    english, filipino = new_psid(), new_psid()
    handover.say(meta.text(english, "i want to talk to a person"),
                 meta.text(filipino, "gusto kong makipag-usap sa tao"))
    fake.wait_text(english, "24/7")
    fake.wait_text(filipino, catalog.message("handover_hours", "fil", name="", hours="", emergency="")[:25])
    fake.wait_quiet()
    assert len(fake.calls_to("pass_thread_control")) == 2


def test_take_thread_control_by_the_inbox_silences_and_a_take_back_resumes(handover, fake, catalog):
    psid = new_psid()
    handover.say(meta.control(psid, "take_thread_control", PAGE_INBOX_APP_ID, OUR_APP_ID))
    handover.say(meta.text(psid, "what is grooming"))
    fake.wait_quiet()
    assert fake.messages(psid) == []
    handover.say(meta.control(psid, "take_thread_control", OUR_APP_ID, PAGE_INBOX_APP_ID))
    fake.wait_text(psid, catalog.message("handover_back", "en"))


def test_without_handover_talk_to_person_gives_the_hotlines(bridge, fake, catalog):
    psid = new_psid()
    bridge.say(meta.postback(psid, "Talk to a person", "MENU_PERSON"))
    fake.wait_text(psid, catalog.message("ask_country", "en")[:30])
    assert fake.calls_to("pass_thread_control") == []


def test_when_the_page_cannot_take_over_the_user_gets_the_hotlines(handover, fake, catalog):
    psid = new_psid()
    fake.fail("pass_thread_control", "invalid")
    handover.say(meta.postback(psid, "Talk to a person", "MENU_PERSON"))
    fake.wait_text(psid, catalog.message("handover_failed", "en"))
    fake.wait_text(psid, catalog.message("ask_country", "en")[:30])


def test_send_api_errors_are_retried_or_dropped_and_the_bridge_carries_on(bridge, fake, catalog):
    gone, limited, late = new_psid(), new_psid(), new_psid()
    fake.fail("messages", "user_unavailable")
    bridge.say(meta.text(gone, "what is grooming"))
    fake.wait_quiet()
    fake.fail("messages", "rate_limit", "server")
    bridge.say(meta.text(limited, "what is grooming"))
    fake.wait_text(limited, catalog.message("sources_label", "en"))
    fake.fail("messages", "outside_window")
    bridge.say(meta.text(late, "what is grooming"))
    fake.wait_quiet()
    bridge.say(meta.text(late, "how do i set my tiktok account to private"))
    fake.wait_text(late, catalog.message("sources_label", "en"))


def test_when_rasa_is_down_the_user_gets_help_numbers(config, fake, catalog):
    psid = new_psid()
    with running(config, f"http://127.0.0.1:{free_port()}/webhooks/rest/webhook") as down:
        down.say(meta.text(psid, "hello"))
        text = fake.wait_text(psid, catalog.message("unavailable", "en"))
    assert "112" in text or "911" in text
