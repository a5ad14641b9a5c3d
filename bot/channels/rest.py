"""The public REST channel, with its guard: POST /webhooks/rest/webhook.

Anyone on the internet can reach it, so before anything reaches the model it:
- refuses bodies over 16 KB, and requests without a well-formed, unguessable sender;
- answers empty, over-long and too-frequent messages itself, and stores nothing;
- accepts a "/command" only if it is the signed payload of a button the bot offered;
- runs each message once: a repeated `message_id` gets the reply it got before
  (bot/channels/turns.py), so clients may retry on any replica;
- never answers with an empty 200: if the model or a store fails, the user is told, with
  the crisis help when the safety detector matched, and an `error` item says to retry.
The reply contract is docs/reply-contract.md.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_fixes, settings, work
from bot.channels import turns
from bot.channels.signing import sign, verified_command
from bot.content.catalog import AUDIENCES, DEFAULT_LANGUAGE, LANGUAGES, Catalog
from bot.content.catalog import cached as content
from bot.hotlines.registry import cached as hotlines
from bot.hotlines.registry import is_country
from bot.language import single as single_language
from bot.safety.detector import detect
from bot.stores import shared
from bot.stores.tracker_store import PrivateTrackerStore, sweep

logger = logging.getLogger(__name__)
rasa_fixes.apply()

MAX_BODY_BYTES = 16 * 1024
MAX_MESSAGE_CHARS = 2000
TURN_TIMEOUT_SECONDS = 30
# At least 128 bits of randomness: 32 or more hex digits, optionally after a channel prefix.
SENDER = re.compile(r"^(?:[a-z]{1,16}-)?[0-9a-f]{32,128}$")
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
RETRY_AFTER_SECONDS = 5
CHANNELS = ("web", "telegram", "messenger")
HANDOVERS = ("page_inbox",)  # people of the channel who can take a conversation over
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


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
    if raw.get("handover") in HANDOVERS:
        out["handover"] = raw["handover"]
    return out


def unready(agent: Any) -> str | None:
    """Why this server must get no traffic yet: "starting" (no model), "misconfigured"
    (Rasa could not load our tracker store and quietly keeps conversations in its own
    memory: unshared, never purged); None when it is ready."""
    if agent is None or not agent.is_ready():
        return "starting"
    store = getattr(agent.tracker_store, "_tracker_store", agent.tracker_store)
    return None if isinstance(store, PrivateTrackerStore) else "misconfigured"


def failure_reason(error: BaseException) -> str:
    """What kind of failure a turn met, for the `error` item and the log."""
    if isinstance(error, turns.NotReady):
        return "starting"
    if isinstance(error, asyncio.TimeoutError):
        return "timeout"
    names = {c.__module__.split(".")[0] + "." + c.__name__ for c in type(error).__mro__}
    if names & {"rasa.LockError", "sqlalchemy.SQLAlchemyError", "redis.RedisError", "builtins.OSError"}:
        return "store"
    return "failed"


class GuardedRestInput(RestInput):
    failures = 0  # turns that failed inside Rasa and got the error reply instead

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        config = settings.load()
        # Shared by every replica when the lock store is Redis (bot/stores/shared.py).
        limits = shared.connect(config.lock_store_url)
        rest = Blueprint("kalasag_rest", __name__)

        @rest.listener("before_server_start")
        async def prepare(app: Any, loop: Any) -> None:
            app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
            # Read (and check) the catalog and registry now, not during someone's first message.
            content(config.content_dir)
            hotlines(config.hotlines_dir)

        @rest.listener("after_server_start")
        async def start_sweeping(app: Any, loop: Any) -> None:
            app.ctx.kalasag_sweep = loop.create_task(sweep(lambda: getattr(app.ctx, "agent", None)))

        @rest.listener("before_server_stop")
        async def stop_sweeping(app: Any, loop: Any) -> None:
            sweeping = getattr(app.ctx, "kalasag_sweep", None)
            if sweeping:
                sweeping.cancel()
            await rasa_fixes.close_connections()

        @rest.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            """Readiness: 200 once this server can take turns, 503 until then."""
            not_ready = unready(getattr(request.app.ctx, "agent", None))
            return response.json(
                {"status": not_ready or "ok", "failed_turns": GuardedRestInput.failures,
                 "work": work.counts()},
                status=503 if not_ready else 200,
            )

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
            message_id = body.get("message_id")
            if message_id is not None and not (isinstance(message_id, str) and MESSAGE_ID.match(message_id)):
                return response.json(
                    {"error": "message_id must be 16 to 64 letters, digits, '-' or '_'"}, status=400
                )

            metadata = clean_metadata(body.get("metadata"))
            catalog = content(config.content_dir)
            text = clean(message)
            # For the guard's own replies; in a turn, actions/context.py decides with the history.
            language = (
                metadata.get("language") or single_language(text[:MAX_MESSAGE_CHARS]) or DEFAULT_LANGUAGE
            )

            if not await limits.allow(sender, config.rate_limit_per_minute):
                return _reply(sender, catalog, "rate_limited", language, text, metadata)
            if not text:
                return _reply(sender, catalog, "empty_message", language, text, metadata)
            if len(text) > MAX_MESSAGE_CHARS:
                return _reply(sender, catalog, "too_long", language, text[:MAX_MESSAGE_CHARS], metadata)
            if text.startswith("/"):
                # Only the bot's own buttons are commands; anything else typed is just text.
                text = verified_command(sender, text) or text.lstrip("/ ") or "/"

            user_message = UserMessage(
                text, CollectingOutputChannel(), sender, input_channel=self.name(), metadata=metadata,
                message_id=message_id,
            )
            try:
                messages = await asyncio.wait_for(
                    turns.handle(request.app.ctx.agent, user_message, replayable=message_id is not None),
                    timeout=TURN_TIMEOUT_SECONDS,
                )
            except Exception as error:
                GuardedRestInput.failures += 1
                reason = failure_reason(error)
                # The type only: an exception's text can quote the user.
                logger.error("turn failed: %s (%s)", reason, type(error).__name__)
                return _reply(sender, catalog, "error_retry", language, text, metadata, failed=reason)
            if not messages:
                GuardedRestInput.failures += 1
                logger.error("turn produced no reply")
                return _reply(sender, catalog, "error_retry", language, text, metadata, failed="failed")
            return response.json(_signed(sender, messages))

        return rest


def _signed(sender: str, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for message in messages:
        for button in message.get("buttons") or []:
            payload = str(button.get("payload") or "")
            if payload.startswith("/"):
                button["payload"] = sign(sender, payload)
    return messages


def _reply(
    sender: str, catalog: Catalog, key: str, language: str, text: str, metadata: dict[str, str],
    failed: str | None = None,
) -> HTTPResponse:
    """The guard's own reply, with the crisis help first when the message needs it; after
    a failed turn, an `error` item that tells clients the message was not handled."""
    messages: list[dict[str, Any]] = []
    crisis = detect(text)
    if crisis and catalog.crisis:
        registry = hotlines(settings.load().hotlines_dir)
        emergency = registry.emergency_for(metadata.get("country"))
        category = crisis.category if crisis.category in catalog.crisis.acknowledgement else "check-in"
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
    if failed:
        messages.append({"recipient_id": sender, "custom": {
            "kind": "error", "reason": failed, "retry_after": RETRY_AFTER_SECONDS, "language": language,
        }})
    return response.json(messages)
