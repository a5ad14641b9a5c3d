"""What every action needs to know about the current turn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from bot import audience, settings
from bot.content.catalog import AUDIENCES, DEFAULT_LANGUAGE, LANGUAGES, Catalog, cached


def catalog() -> Catalog:
    return cached(settings.load().content_dir)


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
    events: list[EventType] = field(default_factory=list)


def _audience(tracker: Tracker, events: list[EventType]) -> str | None:
    """Precedence: a choice made now or before, then metadata, then inference."""
    remembered = tracker.get_slot("audience")
    source = tracker.get_slot("audience_source")
    candidates = [
        (entity(tracker, "audience"), "chosen"),
        (remembered if source == "chosen" else None, "chosen"),
        (metadata(tracker).get("audience"), "metadata"),
        (audience.infer((tracker.latest_message or {}).get("text")), "inferred"),
    ]
    for value, how in candidates:
        if value in AUDIENCES:
            if (value, how) != (remembered, source):
                events += [SlotSet("audience", value), SlotSet("audience_source", how)]
            return value
    return remembered if remembered in AUDIENCES else None


def _language(tracker: Tracker, events: list[EventType]) -> str:
    remembered = tracker.get_slot("language")
    wanted = metadata(tracker).get("language")
    if wanted in LANGUAGES:
        if wanted != remembered:
            events.append(SlotSet("language", wanted))
        return wanted
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def resolve(tracker: Tracker) -> Context:
    events: list[EventType] = []
    return Context(
        catalog=catalog(),
        audience=_audience(tracker, events),
        language=_language(tracker, events),
        events=events,
    )
