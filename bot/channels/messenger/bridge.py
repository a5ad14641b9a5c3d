"""The Messenger bridge: Meta's webhook in front of the Rasa REST channel.

GET answers Meta's verification; POST checks X-Hub-Signature-256 in constant time, answers
200 at once and does the work after, for every event of every entry
(https://developers.facebook.com/docs/messenger-platform/webhooks). What it remembers per
chat is in the shared state (bot/channels/bridge/chat_state.py), so any replica can take
any delivery, and a redelivered `mid` is answered once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections import defaultdict
from typing import Any

from aiohttp import web

from bot.channels.bridge import identity
from bot.channels.bridge import text as bridge_text
from bot.channels.bridge.chat_state import ChatState
from bot.channels.bridge.rasa_client import RasaClient, RasaUnavailable
from bot.channels.messenger.graph import PAGE_INBOX_APP_ID, Graph
from bot.channels.messenger.render import Reply, render, send_api_messages, short
from bot.channels.signing import sign
from bot.content.catalog import Catalog
from bot.content.catalog import cached as content
from bot.hotlines.registry import cached as hotlines
from bot.settings import Settings
from bot.stores import shared

logger = logging.getLogger(__name__)

PATH = "/webhooks/messenger"
PREFIX = "messenger-"
# Postback payloads the page's menu, Get Started and ice breakers send: the same for every
# user, so not signed; each maps to a payload the bridge signs for the sender.
MENU = {
    "GET_STARTED": "/greet",
    "MENU_TOPICS": "/show_topics",
    "MENU_HOTLINE": "/ask_hotline",
    "MENU_LANGUAGE": "/choose_language",
    "MENU_FORGET": "/forget_me",
    "MENU_PERSON": "/talk_to_person",
}
KEY = "K:"  # a quick reply's or button's payload: a key to the signed payload in the shared state
ICE = "ICE:"  # ICE:<message key>:<language>: the question, asked as if typed
REPORT_HOW = '/faq{"content_id":"report-abuse-material"}'
FLOOD_PER_MINUTE = 12


def signed(body: bytes, header: str | None, secret: str) -> bool:
    """X-Hub-Signature-256: "sha256=" + HMAC-SHA256 of the raw body under the app secret."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.removeprefix("sha256=").encode())


class Bridge:
    def __init__(self, config: Settings, rasa_url: str, catalog: Catalog | None = None,
                 graph: Graph | None = None) -> None:
        self.config = config
        self.catalog = catalog or content(config.content_dir)
        self.registry = hotlines(config.hotlines_dir)
        self.rasa = RasaClient(rasa_url, "messenger")
        self.graph = graph or Graph(config.messenger_graph_api_url, config.messenger_page_access_token or "")
        self.state = shared.connect(config.lock_store_url)
        self.chats = ChatState(self.state, int(config.retention_hours * 3600), namespace="fb")
        self.tasks: set[asyncio.Task] = set()
        self.metadata = {"handover": config.messenger_handover} if config.messenger_handover else {}

    # -- the webhook ----------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_get(PATH, self.verify)
        app.router.add_post(PATH, self.receive)
        app.on_cleanup.append(self.close)
        return app

    async def verify(self, request: web.Request) -> web.Response:
        query = request.query
        token = (query.get("hub.verify_token") or "").encode()
        expected = (self.config.messenger_verify_token or "").encode()
        if query.get("hub.mode") == "subscribe" and expected and hmac.compare_digest(token, expected):
            return web.Response(text=query.get("hub.challenge", ""))
        return web.Response(status=403)

    async def receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        secret = self.config.messenger_app_secret or ""
        if not signed(body, request.headers.get("X-Hub-Signature-256"), secret):
            return web.Response(status=403)
        try:
            data = json.loads(body)
        except ValueError:
            return web.Response(status=400)
        if isinstance(data, dict) and data.get("object") == "page":
            task = asyncio.create_task(self.handle_all(list(events(data))))
            self.tasks.add(task)  # kept until done, or the loop may drop it
            task.add_done_callback(self.tasks.discard)
        return web.Response(text="EVENT_RECEIVED")

    async def handle_all(self, batch: list[tuple[str, dict]]) -> None:
        """Each user's events in order; different users side by side."""
        per_user: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for where, event in batch:
            psid = (event.get("sender") or {}).get("id")
            if isinstance(psid, str) and psid:
                per_user[psid].append((where, event))

        async def one_user(psid: str, items: list[tuple[str, dict]]) -> None:
            for where, event in items:
                try:
                    await self.handle(psid, where, event)
                except Exception as error:  # one bad event must not stop the rest
                    # The type only: an exception's text can quote the user's message.
                    logger.error("messenger event failed (%s)", type(error).__name__)

        await asyncio.gather(*(one_user(psid, items) for psid, items in per_user.items()))

    async def handle(self, psid: str, where: str, event: dict[str, Any]) -> None:
        sender = self.sender(psid)
        if where == "standby":  # another app (the page inbox) holds the thread: stay silent
            return
        control = event.get("pass_thread_control") or event.get("take_thread_control")
        if isinstance(control, dict):
            await self.control_changed(psid, sender, control)
            return
        message, postback = event.get("message"), event.get("postback")
        if isinstance(message, dict) and message.get("is_echo"):
            return
        if not isinstance(message, dict) and not isinstance(postback, dict):
            return  # delivery and read receipts, reactions, referrals
        if await self.chats.held(sender):
            return
        incoming = message if isinstance(message, dict) else postback
        mid = incoming.get("mid") or f"{event.get('timestamp')}"
        turn = identity.message_id(self.config.messenger_id_key, "mid", mid)
        if not await self.chats.first_delivery(turn):
            return  # Meta delivered it again, here or to another replica: answered once
        if not await self.within_limits(psid, sender):
            return
        if isinstance(postback, dict):
            await self.tapped(psid, sender, str(postback.get("payload") or ""), turn)
        elif isinstance(message.get("quick_reply"), dict):
            await self.tapped(psid, sender, str(message["quick_reply"].get("payload") or ""), turn)
        elif message.get("attachments"):
            await self.media(psid, sender, turn)
        elif isinstance(message.get("text"), str):
            # Only our payloads are commands: anything typed with "/" is plain text.
            await self.ask(psid, sender, message["text"].lstrip("/ ") or "?", turn)

    async def tapped(self, psid: str, sender: str, payload: str, turn: str) -> None:
        if payload in MENU:
            if payload == "GET_STARTED":  # Meta's rule: say first that this is an automated bot
                language = await self.chats.language(sender)
                await self.say(psid, self.catalog.message("messenger_automated", language))
            await self.ask(psid, sender, sign(sender, MENU[payload]), turn)
            return
        if payload.startswith(ICE) and payload.count(":") == 2:
            _, key, language = payload.split(":")
            if f"ice_breaker_{key}" in self.catalog.messages and language in ("en", "fil"):
                await self.ask(psid, sender, self.catalog.message(f"ice_breaker_{key}", language), turn)
                return
        found = None
        if payload.startswith(KEY):
            found = await self.chats.payload(sender, payload.removeprefix(KEY))
        if found is None:  # never offered to this user, or forgotten
            await self.say(psid, self.catalog.message("button_expired", await self.chats.language(sender)))
            return
        await self.ask(psid, sender, found, turn)

    async def media(self, psid: str, sender: str, turn: str) -> None:
        """Never fetched, never passed on: why, how to remove it, then how to report."""
        await self.say(psid, self.catalog.message("media_not_opened", await self.chats.language(sender)))
        await self.ask(psid, sender, sign(sender, REPORT_HOW), identity.message_id(
            self.config.messenger_id_key, turn, "report-how"))

    async def control_changed(self, psid: str, sender: str, control: dict[str, Any]) -> None:
        """The thread went to the page inbox (the bot stays silent) or came back (it resumes)."""
        if str(control.get("new_owner_app_id") or "") == PAGE_INBOX_APP_ID:
            await self.chats.hold(sender, PAGE_INBOX_APP_ID)
        elif await self.chats.held(sender):
            await self.chats.release(sender)
            await self.say(psid, self.catalog.message("handover_back", await self.chats.language(sender)))

    # -- talking to Rasa and to Messenger -------------------------------------------

    def sender(self, psid: str) -> str:
        return identity.sender_id(PREFIX, psid, self.config.messenger_id_key)

    async def within_limits(self, psid: str, sender: str) -> bool:
        if await self.state.allow("flood:" + sender, FLOOD_PER_MINUTE):
            return True
        await self.say(psid, self.catalog.message("rate_limited", await self.chats.language(sender)))
        return False

    async def ask(self, psid: str, sender: str, text: str, turn: str) -> None:
        await self.graph.typing(psid)
        try:
            replies = await self.rasa.send(sender, text, self.metadata, turn)
        except RasaUnavailable as error:
            logger.error("rasa unavailable (%s)", error)
            language, country = await self.chats.language(sender), await self.chats.country(sender)
            await self.say(psid, bridge_text.unavailable(self.catalog, self.registry, language, country))
            return
        await self.chats.learn(sender, replies)
        reply = render(replies, self.catalog)
        await self.send(psid, sender, reply)
        if reply.handover is not None:
            await self.hand_over(psid, sender, turn)

    async def hand_over(self, psid: str, sender: str, turn: str) -> None:
        """Tell the user who will answer and when, then pass the thread to the page inbox,
        with a note of ids only: the topic, the crisis category and the language."""
        language, country = await self.chats.language(sender), await self.chats.country(sender)
        emergency = self.registry.emergency_for(country)
        number = emergency.numbers[0] if emergency else " / ".join(self.registry.common_emergency_numbers())
        wanted = self.config.messenger_helpline
        helpline = next((s for s in self.registry.all_services() if s.id == wanted), None)
        if helpline and helpline.hours:
            text = self.catalog.message("handover_hours", language, name=helpline.name, hours=helpline.hours,
                                        emergency=number)
        else:
            text = self.catalog.message("handover_no_hours", language, emergency=number)
        note = {"topic": await self.chats.learnt(sender, "topic"),
                "category": await self.chats.learnt(sender, "category"), "language": language}
        await self.say(psid, text)
        if await self.graph.pass_thread_control(psid, PAGE_INBOX_APP_ID, json.dumps(note)):
            await self.chats.hold(sender, PAGE_INBOX_APP_ID)
            return
        # No person can take it (handover not set up on the page, say): the hotlines instead.
        await self.say(psid, self.catalog.message("handover_failed", language))
        hotline_turn = identity.message_id(self.config.messenger_id_key, turn, "hotlines")
        await self.ask(psid, sender, sign(sender, "/ask_hotline"), hotline_turn)

    async def say(self, psid: str, text: str) -> None:
        await self.send(psid, "", render([{"text": text}], self.catalog))

    async def send(self, psid: str, sender: str, reply: Reply) -> None:
        messages = [m for outgoing in reply.messages for m in send_api_messages(outgoing)]
        if messages and reply.buttons and sender:
            messages[-1]["quick_replies"] = [
                {"content_type": "text", "title": short(title),
                 "payload": KEY + await self.chats.key(sender, payload)}
                for title, payload in reply.buttons
            ]
        for message in messages:
            if not await self.graph.send(psid, message):
                return  # user unreachable or outside the window: the rest would fail too

    async def close(self, _app: web.Application | None = None) -> None:
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.rasa.close()
        await self.graph.close()


def events(data: dict[str, Any]) -> list[tuple[str, dict]]:
    """Every event of every entry: `messaging` (ours to answer) and `standby` (the thread
    is another app's). Entries with neither (RasaHQ/rasa#10456) are skipped."""
    found = []
    for entry in data.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        for where in ("messaging", "standby"):
            found += [(where, e) for e in entry.get(where) or [] if isinstance(e, dict)]
    return found


def run(config: Settings, rasa_url: str) -> None:
    web.run_app(Bridge(config, rasa_url).app(), host="0.0.0.0", port=config.messenger_webhook_port,
                access_log=None, print=None)
