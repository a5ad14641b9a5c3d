"""The public REST channel, with its guard: POST /webhooks/rest/webhook.

Anyone on the internet can reach it, so before anything reaches the model it:
- refuses bodies over 16 KB, and requests without a well-formed, unguessable sender;
- answers empty, over-long and too-frequent messages itself, and stores nothing;
- accepts a "/command" only if it is the signed payload of a button the bot offered;
- never answers with an empty 200: if the model or a store fails, the user is told,
  with the crisis help when the safety detector matched.
The reply contract is docs/reply-contract.md.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import settings
from bot.content.catalog import AUDIENCES, DEFAULT_LANGUAGE, LANGUAGES, Catalog
from bot.content.catalog import cached as content
from bot.hotlines.registry import cached as hotlines
from bot.hotlines.registry import is_country
from bot.language import single as single_language
from bot.privacy.tracker_store import sweep
from bot.safety.detector import detect

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
MAX_MESSAGE_CHARS = 2000
TURN_TIMEOUT_SECONDS = 30
# At least 128 bits of randomness: 32 or more hex digits, optionally after a channel prefix.
SENDER = re.compile(r"^(?:[a-z]{1,16}-)?[0-9a-f]{32,128}$")
CHANNELS = ("web", "telegram")
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def sign(sender: str, payload: str) -> str:
    """A button payload the bot offered to this sender, with its signature."""
    digest = hmac.new(settings.load().secret.encode(), f"{sender}\n{payload}".encode(), hashlib.sha256)
    return f"{payload}|{digest.hexdigest()[:24]}"


def verified_command(sender: str, text: str) -> str | None:
    """The payload, if `text` is a payload this bot signed for this sender."""
    payload = text.rpartition("|")[0]
    # Bytes: compare_digest refuses non-ASCII str, and typed text can be anything.
    if payload and hmac.compare_digest(sign(sender, payload).encode(), text.encode()):
        return payload
    return None


def clean(text: str) -> str:
    """NFKC, no control or direction-override characters, no surrounding space."""
    return _UNSAFE_CHARS.sub("", unicodedata.normalize("NFKC", text)).strip()


def clean_metadata(raw: Any) -> dict[str, str]:
    """Only the metadata the contract defines, with valid values."""
    raw = raw if isinstance(raw, dict) else {}
    out = {"channel": raw.get("channel") if raw.get("channel") in CHANNELS else "web"}
    if raw.get("language") in LANGUAGES:
        out["language"] = raw["language"]
    if raw.get("audience") in AUDIENCES:
        out["audience"] = raw["audience"]
    country = str(raw.get("country") or "").upper()
    if is_country(country):
        out["country"] = country
    return out


class RateLimiter:
    """Per-sender sliding window, in this process's memory."""

    def __init__(self, per_minute: int):
        self.per_minute = per_minute
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, sender: str) -> bool:
        now = time.monotonic()
        window = self.seen[sender]
        while window and now - window[0] > 60:
            window.popleft()
        if len(window) >= self.per_minute:
            return False
        window.append(now)
        if len(self.seen) > 100_000:  # forget quiet senders rather than grow without bound
            for key in [k for k, v in self.seen.items() if not v or now - v[-1] > 60]:
                del self.seen[key]
        return True


class GuardedRestInput(RestInput):
    failures = 0  # turns that failed inside Rasa and got the error reply instead

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        config = settings.load()
        limiter = RateLimiter(config.rate_limit_per_minute)
        rest = Blueprint("kalasag_rest", __name__)

        @rest.listener("before_server_start")
        async def limit_bodies(app: Any, loop: Any) -> None:
            app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES

        @rest.listener("after_server_start")
        async def start_sweeping(app: Any, loop: Any) -> None:
            app.add_task(sweep(lambda: getattr(app.ctx, "agent", None)))

        @rest.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "failed_turns": GuardedRestInput.failures})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                return await guarded(request)
            except Exception as error:  # a bug in the guard itself: still a kind reply, never a 500
                GuardedRestInput.failures += 1
                logger.error("guard failed (%s)", type(error).__name__)
                text = content(config.content_dir).message("error_retry", DEFAULT_LANGUAGE)
                return response.json([{"recipient_id": None, "text": text}])

        async def guarded(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": "request too large"}, status=413)
            try:
                body = json.loads(request.body or b"")
            except ValueError:
                return response.json({"error": "the body must be JSON"}, status=400)
            if not isinstance(body, dict):
                return response.json({"error": "the body must be a JSON object"}, status=400)
            sender, message = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not SENDER.match(sender):
                return response.json(
                    {"error": "sender must be a random id of at least 32 hex digits"}, status=400
                )
            if not isinstance(message, str):
                return response.json({"error": "message must be a string"}, status=400)

            metadata = clean_metadata(body.get("metadata"))
            catalog = content(config.content_dir)
            text = clean(message)
            # For the guard's own replies; in a turn, actions/context.py decides with the history.
            language = (
                metadata.get("language") or single_language(text[:MAX_MESSAGE_CHARS]) or DEFAULT_LANGUAGE
            )

            if not limiter.allow(sender):
                return _reply(sender, catalog, "rate_limited", language, text, metadata)
            if not text:
                return _reply(sender, catalog, "empty_message", language, text, metadata)
            if len(text) > MAX_MESSAGE_CHARS:
                return _reply(sender, catalog, "too_long", language, text[:MAX_MESSAGE_CHARS], metadata)
            if text.startswith("/"):
                # Only the bot's own buttons are commands; anything else typed is just text.
                text = verified_command(sender, text) or text.lstrip("/ ") or "/"

            collector = CollectingOutputChannel()
            try:
                await asyncio.wait_for(
                    on_new_message(
                        UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                    ),
                    timeout=TURN_TIMEOUT_SECONDS,
                )
            except Exception as error:
                GuardedRestInput.failures += 1
                logger.error("turn failed (%s)", type(error).__name__)  # no text: it may quote the user
                return _reply(sender, catalog, "error_retry", language, text, metadata)
            if not collector.messages:
                GuardedRestInput.failures += 1
                logger.error("turn produced no reply")
                return _reply(sender, catalog, "error_retry", language, text, metadata)
            return response.json(_signed(sender, collector.messages))

        return rest


def _signed(sender: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for message in messages:
        for button in message.get("buttons") or []:
            payload = str(button.get("payload") or "")
            if payload.startswith("/"):
                button["payload"] = sign(sender, payload)
    return messages


def _reply(
    sender: str, catalog: Catalog, key: str, language: str, text: str, metadata: dict[str, str]
) -> HTTPResponse:
    """The guard's own reply, with the crisis help first when the message needs it."""
    messages: list[dict[str, Any]] = []
    crisis = detect(text)
    if crisis and catalog.crisis:
        registry = hotlines(settings.load().hotlines_dir)
        emergency = registry.emergency_for(metadata.get("country"))
        category = crisis.category if crisis.category in catalog.crisis.acknowledgement else "possible"
        lines = [catalog.crisis.acknowledge(category, language)]
        if emergency:
            lines.append(catalog.crisis.text("emergency", language, number=emergency.numbers[0]))
        else:
            numbers = " / ".join(registry.common_emergency_numbers())
            lines.append(catalog.crisis.text("emergency_unknown", language, numbers=numbers))
        messages.append({"recipient_id": sender, "text": "\n\n".join(lines)})
        messages.append({"recipient_id": sender, "custom": {
            "kind": "crisis", **crisis.as_dict(), "country": metadata.get("country"), "language": language,
            "emergency_number": emergency.numbers[0] if emergency else None,
        }})
    messages.append({"recipient_id": sender, "text": catalog.message(key, language)})
    return response.json(messages)
