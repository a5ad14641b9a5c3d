"""Plain-text helpers every bridge renders with."""

from __future__ import annotations

from bot.content.catalog import Catalog
from bot.hotlines import routing
from bot.hotlines.registry import Registry


def split(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at line breaks, then spaces, where possible."""
    pieces = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        if cut <= 0:
            cut = text.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return pieces + ([text] if text else [])


def dialable(number: str) -> str:
    """A number a phone can dial from the text: digits and a leading +, no spaces."""
    keep = "".join(ch for ch in number if ch.isdigit() or ch == "+")
    return keep or number


def unavailable(catalog: Catalog, registry: Registry, language: str, country: str | None) -> str:
    """What a bridge says when Rasa is down or slow: so, with the emergency and
    child-helpline numbers (the bridge answers this itself)."""
    crisis = catalog.crisis
    lines = [catalog.message("unavailable", language)]
    emergency = registry.emergency_for(country)
    if emergency:
        lines.append(crisis.text("emergency", language, number=emergency.numbers[0]))
        services = routing.select(registry, country, "crisis").services
        lines += [f"{s.name}: {s.phone}" for s in services if s.phone and "child-helpline" in s.kinds]
    else:
        numbers = " / ".join(registry.common_emergency_numbers())
        lines.append(crisis.text("emergency_unknown", language, numbers=numbers))
    return "\n\n".join(lines)
