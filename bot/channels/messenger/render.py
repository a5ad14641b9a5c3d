"""The REST reply contract, rendered as Send API messages within Messenger's limits
(https://developers.facebook.com/docs/messenger-platform/send-messages): text up to 2,000
characters, at most 13 quick replies with titles of 20, button templates with at most 3
buttons and 640 characters of text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.channels.bridge.text import dialable, split
from bot.content.catalog import Catalog

MAX_TEXT = 2000
MAX_TEMPLATE_TEXT = 640
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20
MAX_TEMPLATE_BUTTONS = 3


@dataclass
class Outgoing:
    text: str
    # Button template buttons: ("web_url", title, url) or ("phone_number", title, +number).
    links: list[tuple[str, str, str]] = field(default_factory=list)
    crisis: bool = False


@dataclass
class Reply:
    messages: list[Outgoing]
    # (title, Rasa payload): quick replies on the last message, where Messenger shows them.
    buttons: list[tuple[str, str]]
    handover: dict[str, Any] | None = None


def short(title: str, limit: int = MAX_TITLE) -> str:
    """A title cut at a word where possible, with an ellipsis; the payload behind it, not
    the title, names the topic, so a cut title loses nothing."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit)
    return title[: cut if cut > limit // 2 else limit - 1].rstrip(" ,.:;-") + "…"


def _sources(item: dict[str, Any], catalog: Catalog, language: str) -> Outgoing | None:
    sources = [s for s in item.get("sources") or [] if str(s.get("url", "")).startswith("https://")]
    if not sources:
        return None
    label = catalog.message("sources_label", language)
    buttons = [("web_url", short(s.get("publisher") or s.get("title") or label), s["url"])
               for s in sources[:MAX_TEMPLATE_BUTTONS]]
    # More than the template holds: the rest as links in its text, while they fit.
    lines = [label]
    for s in sources[MAX_TEMPLATE_BUTTONS:]:
        line = f"{s.get('publisher', '')}: {s['url']}"
        if len("\n".join([*lines, line])) <= MAX_TEMPLATE_TEXT:
            lines.append(line)
    return Outgoing("\n".join(lines), buttons)


def _hotline_card(item: dict[str, Any]) -> Outgoing | None:
    lines, phones = [], []
    for entry in item.get("entries") or []:
        parts = [entry.get("name", "")]
        if entry.get("phone"):
            parts.append(f"☎ {dialable(entry['phone'])}")
            # Messenger dials only +<country code><number>, not short codes like 1383.
            if entry["phone"].startswith("+") and len(phones) < MAX_TEMPLATE_BUTTONS:
                phones.append(("phone_number", short(f"☎ {entry.get('name', '')}"), dialable(entry["phone"])))
        if entry.get("sms"):
            parts.append(f"✉ {dialable(entry['sms'])}")
        if entry.get("url"):
            parts.append(entry["url"])
        if entry.get("hours"):
            parts.append(entry["hours"])
        lines.append(" · ".join(p for p in parts if p))
    if not lines:
        return None
    card = "\n".join(lines)
    return Outgoing(card, phones if len(card) <= MAX_TEMPLATE_TEXT else [])


def render(messages: list[dict[str, Any]], catalog: Catalog) -> Reply:
    """Every message of a REST reply, in order. The text a `custom` item belongs to is the
    text just before it: sources follow their answer; a crisis becomes one message of its
    own, first. Other items (`error`, `fallback`, kinds yet unknown) show nothing."""
    out: list[Outgoing] = []
    buttons: dict[str, str] = {}  # payload -> title, in order, once each
    handover = None
    block = 0
    for message in messages:
        item = message.get("custom") if isinstance(message.get("custom"), dict) else None
        if item is not None:
            kind, language = item.get("kind"), item.get("language") or "en"
            extra = None
            if kind == "answer":
                extra = _sources(item, catalog, language)
            elif kind == "hotlines":
                extra = _hotline_card(item)
            elif kind == "handover":
                handover = item
            elif kind == "crisis" and len(out) > block:
                out[block:] = [Outgoing("🆘 " + "\n\n".join(o.text for o in out[block:]), crisis=True)]
            if extra:
                out.append(extra)
            block = len(out)
            continue
        for b in message.get("buttons") or []:
            if b.get("payload"):
                buttons.setdefault(str(b["payload"]), str(b.get("title", "")))
        if message.get("text"):
            out.append(Outgoing(str(message["text"])))
    out.sort(key=lambda o: not o.crisis)  # stable: the crisis reply first, the rest in order
    quick = [(title, payload) for payload, title in buttons.items()][:MAX_QUICK_REPLIES]
    return Reply(out, quick, handover)


def send_api_messages(outgoing: Outgoing) -> list[dict[str, Any]]:
    """One Outgoing as Send API `message` objects: text in pieces of 2,000 characters, or a
    button template when it has buttons (its text fits, _sources and _hotline_card see to it)."""
    if outgoing.links:
        buttons = [{"type": kind, "title": title, ("url" if kind == "web_url" else "payload"): target}
                   for kind, title, target in outgoing.links]
        return [{"attachment": {"type": "template", "payload": {
            "template_type": "button", "text": outgoing.text, "buttons": buttons}}}]
    return [{"text": piece} for piece in split(outgoing.text, MAX_TEXT)]
