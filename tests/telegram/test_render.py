"""Rendering the reply contract for Telegram, without a network."""

from __future__ import annotations

import pytest

from bot.channels.rest import SENDER
from bot.channels.telegram.identity import sender_id
from bot.channels.telegram.render import MAX_TEXT, Keys, Outgoing, dialable, pieces, render, split
from bot.content.catalog import load


@pytest.fixture(scope="module")
def catalog(root):
    return load(root / "data/content")


def test_a_long_message_is_split_at_line_breaks_without_losing_text():
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(120))
    parts = split(text)
    assert len(parts) > 2 and all(len(p) <= MAX_TEXT for p in parts)
    assert "\n".join(parts) == text


def test_buttons_go_on_the_last_piece():
    parts = pieces(Outgoing("y " * 5000, [("Topics", "k1")]))
    assert [p.buttons for p in parts] == [[]] * (len(parts) - 1) + [[("Topics", "k1")]]


def test_every_message_is_rendered_escaped_with_sources_and_short_keys(catalog):
    keys = Keys()
    reply = [
        {"text": "<b>not markup</b> & more",
         "buttons": [{"title": "More", "payload": "/faq{...}|" + "a" * 60}]},
        {"custom": {"kind": "answer", "language": "en", "sources": [
            {"publisher": "NSPCC", "title": "A & B", "url": "https://www.nspcc.org.uk/x"},
            {"publisher": "Bad", "title": "no", "url": "javascript:alert(1)"}]}},
        {"text": "second"},
    ]
    out = render(reply, 7, keys, catalog)
    assert [o.html.split("\n")[0] for o in out] == ["&lt;b&gt;not markup&lt;/b&gt; &amp; more", "second"]
    assert '<a href="https://www.nspcc.org.uk/x">NSPCC: A &amp; B</a>' in out[0].html
    assert "javascript" not in out[0].html
    ((_, key),) = out[0].buttons
    assert len(key.encode()) <= 64 and keys.payload(7, key).startswith("/faq")
    assert keys.payload(8, key) is None and keys.payload(7, "nope") is None


def test_a_crisis_stands_out_and_hotlines_are_one_dialable_card(catalog):
    reply = [
        {"text": "Thank you for telling me."},
        {"custom": {"kind": "crisis", "category": "threat", "language": "en"}},
        {"custom": {"kind": "hotlines", "entries": [
            {"name": "Helpline", "phone": "+63 2 8 123 4567", "hours": "24/7"},
            {"name": "Report", "url": "https://example.org/report"}]}},
    ]
    out = render(reply, 1, Keys(), catalog)
    assert out[0].html.startswith("🆘 <b>Thank you")
    assert "☎ +63281234567" in out[1].html and "Report" in out[1].html and len(out) == 2


def test_numbers_become_dialable():
    assert dialable("(02) 8-123 4567") == "0281234567"
    assert dialable("+1 800 843 5678") == "+18008435678"


def test_the_sender_id_is_an_hmac_the_rest_channel_accepts():
    one, other = sender_id(12345, "k1"), sender_id(12345, "k2")
    assert one != other and one == sender_id(12345, "k1")
    assert "12345" not in one and SENDER.match(one)
