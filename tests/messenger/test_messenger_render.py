"""Rendering the reply contract for Messenger, without a network."""

from __future__ import annotations

import pytest

from bot.channels.messenger.render import (
    MAX_QUICK_REPLIES,
    MAX_TEXT,
    Outgoing,
    render,
    send_api_messages,
    short,
)
from bot.content.catalog import load


@pytest.fixture(scope="module")
def catalog(root):
    return load(root / "data/content")


def test_text_over_2000_characters_is_split_without_losing_any():
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(60))
    pieces = send_api_messages(Outgoing(text))
    assert len(pieces) > 2 and all(len(p["text"]) <= MAX_TEXT for p in pieces)
    assert "\n".join(p["text"] for p in pieces) == text


def test_titles_are_cut_cleanly_to_20_characters():
    assert short("A parent or carer") == "A parent or carer"
    cut = short("A teacher or school staff")
    assert len(cut) <= 20 and cut.endswith("…") and cut == "A teacher or school…"
    assert len(short("Supercalifragilisticexpialidocious")) == 20


def test_buttons_become_at_most_13_quick_replies_once_each(catalog):
    buttons = [{"title": f"Country {i}", "payload": f"/inform_country{{{i}}}|sig"} for i in range(40)]
    reply = render([{"text": "Where are you?", "buttons": buttons + buttons[:2]}], catalog)
    assert len(reply.buttons) == MAX_QUICK_REPLIES
    assert reply.buttons[0] == ("Country 0", "/inform_country{0}|sig")


def test_sources_become_a_button_template_of_at_most_three_links(catalog):
    sources = [{"publisher": f"Publisher number {i}", "title": "t", "url": f"https://example.org/{i}"}
               for i in range(5)] + [{"publisher": "Bad", "url": "javascript:alert(1)"}]
    reply = render([{"text": "Grooming is …"}, {"custom": {"kind": "answer", "language": "en",
                                                          "sources": sources}}], catalog)
    text, template = reply.messages
    assert text.text == "Grooming is …"
    assert [kind for kind, _, _ in template.links] == ["web_url"] * 3
    assert all(len(title) <= 20 for _, title, _ in template.links)
    assert "https://example.org/3" in template.text and "javascript" not in template.text
    message = send_api_messages(template)[0]["attachment"]["payload"]
    assert message["template_type"] == "button" and message["buttons"][0]["url"] == "https://example.org/0"


def test_a_crisis_comes_first_as_its_own_message_and_hotlines_are_dialable(catalog):
    reply = render([
        {"text": "Thank you for telling me."},
        {"text": "Call 911 now."},
        {"custom": {"kind": "crisis", "category": "threat", "language": "en"}},
        {"text": "People who can help:", "buttons": [{"title": "Talk to a person", "payload": "/talk|s"}]},
        {"custom": {"kind": "hotlines", "entries": [
            {"name": "Makabata", "phone": "1383", "hours": "24/7"},
            {"name": "PNP Women and Children", "phone": "+63 2 8723 0401"},
            {"name": "Report", "url": "https://example.org/report"}]}},
    ], catalog)
    first, _, card = reply.messages
    assert first.crisis and first.text == "🆘 Thank you for telling me.\n\nCall 911 now."
    assert "☎ 1383" in card.text and "☎ +63287230401" in card.text
    # Only E.164 numbers get a call button: Messenger cannot dial a short code.
    assert card.links == [("phone_number", "☎ PNP Women and…", "+63287230401")]
    assert reply.buttons == [("Talk to a person", "/talk|s")]


def test_a_handover_item_is_kept_for_the_bridge_and_unknown_kinds_show_nothing(catalog):
    reply = render([{"custom": {"kind": "handover", "to": "page_inbox", "language": "fil"}},
                    {"custom": {"kind": "something-new"}}], catalog)
    assert reply.messages == [] and reply.handover["to"] == "page_inbox"
