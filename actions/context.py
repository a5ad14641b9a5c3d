"""What every action needs to know about the current turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot import audience, language, settings
from bot.content.catalog import AUDIENCES, DEFAULT_LANGUAGE, LANGUAGES, Catalog, cached
from bot.hotlines import places
from bot.hotlines import registry as hotline_registry


def catalog() -> Catalog:
    return cached(settings.load().content_dir)


def registry() -> hotline_registry.Registry:
    return hotline_registry.cached(settings.load().hotlines_dir)


def text(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


def metadata(tracker: Tracker) -> dict[str, Any]:
    meta = (tracker.latest_message or {}).get("metadata")
    return meta if isinstance(meta, dict) else {}


def entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return value if isinstance(value, str) else None


@dataclass
class Context:
    catalog: Catalog
    audience: str | None
    language: str
    country: str | None
    events: list[EventType] = field(default_factory=list)


def _audience(tracker: Tracker, events: list[EventType]) -> str | None:
    """Precedence: a choice made now or before, then metadata, then inference."""
    remembered = tracker.get_slot("audience")
    source = tracker.get_slot("audience_source")
    candidates = [
        (entity(tracker, "audience"), "chosen"),
        (remembered if source == "chosen" else None, "chosen"),
        (metadata(tracker).get("audience"), "metadata"),
        (audience.infer(text(tracker)), "inferred"),
    ]
    for value, how in candidates:
        if value in AUDIENCES:
            if (value, how) != (remembered, source):
                events += [SlotSet("audience", value), SlotSet("audience_source", how)]
            return value
    return remembered if remembered in AUDIENCES else None


def _language(tracker: Tracker, events: list[EventType]) -> str:
    """Precedence: a choice made now or before, then metadata, then detection (bot/language.py)."""
    remembered = tracker.get_slot("language")
    source = tracker.get_slot("language_source")
    message = text(tracker)
    typed = "" if message.startswith("/") else message

    def use(value: str, how: str) -> str:
        if (value, how) != (remembered, source):
            events.extend([SlotSet("language", value), SlotSet("language_source", how)])
        return value

    chosen = entity(tracker, "language") or language.explicit_choice(typed)
    if chosen in LANGUAGES:
        return use(chosen, "chosen")
    if source == "chosen" and remembered in LANGUAGES:
        return remembered
    wanted = metadata(tracker).get("language")
    if wanted in LANGUAGES:
        return use(wanted, "metadata")
    score = tracker.get_slot("language_score")
    detected, new_score = language.detect(typed, score, remembered if source == "detected" else None)
    if new_score != score:
        events.append(SlotSet("language_score", new_score))
    if detected in LANGUAGES:
        return use(detected, "detected")
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def _country(tracker: Tracker, events: list[EventType]) -> str | None:
    """Precedence: metadata, then the message (a button or a place named), then memory."""
    remembered = tracker.get_slot("country")
    message = text(tracker)
    # "Tagalog po" chooses a language, not a place ("tagalog" is also a place name).
    named = None if message.startswith("/") or language.explicit_choice(message) else places.own_country(
        places.mentions(message, settings.load().places_file)
    )
    for value in (metadata(tracker).get("country"), entity(tracker, "country"), named):
        value = str(value).upper() if value else None
        if value and hotline_registry.is_country(value):
            if value != remembered:
                events.append(SlotSet("country", value))
            return value
    return remembered if remembered and hotline_registry.is_country(remembered) else None


def resolve(tracker: Tracker) -> Context:
    events: list[EventType] = []
    return Context(
        catalog=catalog(),
        audience=_audience(tracker, events),
        language=_language(tracker, events),
        country=_country(tracker, events),
        events=events,
    )
