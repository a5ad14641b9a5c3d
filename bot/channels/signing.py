"""Button payloads the bot offers are signed for their sender; only those act as commands.

Its own module, free of Rasa, so the Telegram bridge (a separate, small process) signs
its command payloads the same way the REST channel checks them.
"""

from __future__ import annotations

import hashlib
import hmac

from bot import settings


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
