"""The REST reply contract, rendered as Telegram messages (HTML parse mode)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from bot.channels.bridge.text import dialable, split
from bot.content.catalog import Catalog

MAX_TEXT = 4096


@dataclass
class Outgoing:
    html: str
    # (title, payload); the bridge gives each payload a short callback key when it sends
    buttons: list[tuple[str, str]] = field(default_factory=list)


def _sources(item: dict[str, Any], catalog: Catalog, language: str) -> str:
    links = [
        f'<a href="{html.escape(s["url"], quote=True)}">{html.escape(s.get("publisher", ""))}: '
        f'{html.escape(s.get("title", ""))}</a>'
        for s in item.get("sources") or []
        if str(s.get("url", "")).startswith("https://")
    ]
    if not links:
        return ""
    return "\n".join([f"<i>{html.escape(catalog.message('sources_label', language))}</i>", *links])


def _hotline_card(item: dict[str, Any]) -> str:
    lines = []
    for entry in item.get("entries") or []:
        parts = [f"<b>{html.escape(entry.get('name', ''))}</b>"]
        if entry.get("phone"):
            parts.append(f"☎ {html.escape(dialable(entry['phone']))}")
        if entry.get("sms"):
            parts.append(f"✉ {html.escape(dialable(entry['sms']))}")
        if entry.get("url"):
            parts.append(html.escape(entry["url"]))
        if entry.get("hours"):
            parts.append(html.escape(entry["hours"]))
        lines.append(" · ".join(parts))
    return "\n".join(lines)


def render(messages: list[dict[str, Any]], catalog: Catalog) -> list[Outgoing]:
    """Every message of a REST reply, in order. The text a `custom` item belongs to is
    the text just before it: sources go under their answer, and a crisis stands out.
    Other items (`error`, `fallback`, kinds yet unknown) show nothing themselves."""
    out: list[Outgoing] = []
    block = 0  # where the texts that the next item belongs to start
    for message in messages:
        item = message.get("custom") if isinstance(message.get("custom"), dict) else None
        if item is not None:
            kind = item.get("kind")
            language = item.get("language") or "en"
            if kind == "answer" and out:
                sources = _sources(item, catalog, language)
                if sources:
                    out[-1].html = f"{out[-1].html}\n\n{sources}"
            elif kind == "crisis" and len(out) > block:
                # The acknowledgement and the emergency line (Rasa sends each paragraph as
                # a message): one message, first, that stands out.
                texts = out[block:]
                out[block:] = [Outgoing(
                    "🆘 <b>" + "\n\n".join(o.html for o in texts) + "</b>",
                    [b for o in texts for b in o.buttons],
                )]
            elif kind == "hotlines":
                card = _hotline_card(item)
                if card:
                    out.append(Outgoing(card))
            block = len(out)
            continue
        text = message.get("text")
        buttons = [
            (str(b.get("title", ""))[:64], str(b["payload"]))
            for b in message.get("buttons") or []
            if b.get("payload")
        ]
        if text:
            out.append(Outgoing(html.escape(text), buttons))
        elif buttons and out:
            out[-1].buttons += buttons
    return out


def pieces(outgoing: Outgoing) -> list[Outgoing]:
    """An Outgoing too long for one Telegram message, split; buttons go on the last piece."""
    parts = split(outgoing.html, MAX_TEXT)
    return [Outgoing(p, outgoing.buttons if i == len(parts) - 1 else []) for i, p in enumerate(parts)]
