"""Rendering the reply contract for Telegram, without a network."""

from __future__ import annotations

import pytest

from bot.channels.rest import MESSAGE_ID, SENDER
from bot.channels.telegram.identity import message_id, sender_id
from bot.channels.telegram.render import MAX_TEXT, Outgoing, dialable, pieces, render, split
from bot.content.catalog import load


@pytest.fixture(scope="module")
def catalog(root):
    return load(root / "data/content")


def test_a_long_message_is_split_at_line_breaks_without_losing_text():
    text = "\n".join(f"line {i} " + "x" * 90 for i in range(120))
    parts = split(text, MAX_TEXT)
    assert len(parts) > 2 and all(len(p) <= MAX_TEXT for p in parts)
    assert "\n".join(parts) == text


def test_buttons_go_on_the_last_piece():
    parts = pieces(Outgoing("y " * 5000, [("Topics", "k1")]))
    assert [p.buttons for p in parts] == [[]] * (len(parts) - 1) + [[("Topics", "k1")]]


def test_every_message_is_rendered_escaped_with_sources_and_buttons(catalog):
    payload = "/faq{...}|" + "a" * 60
    reply = [
        {"text": "<b>not markup</b> & more",
         "buttons": [{"title": "More", "payload": payload}, {"title": "No payload"}]},
        {"custom": {"kind": "answer", "language": "en", "sources": [
            {"publisher": "NSPCC", "title": "A & B", "url": "https://www.nspcc.org.uk/x"},
            {"publisher": "Bad", "title": "no", "url": "javascript:alert(1)"}]}},
        {"text": "second"},
    ]
    out = render(reply, catalog)
    assert [o.html.split("\n")[0] for o in out] == ["&lt;b&gt;not markup&lt;/b&gt; &amp; more", "second"]
    assert '<a href="https://www.nspcc.org.uk/x">NSPCC: A &amp; B</a>' in out[0].html
    assert "javascript" not in out[0].html
    assert out[0].buttons == [("More", payload)]  # the bridge sends a short key for it


def test_a_crisis_stands_out_and_hotlines_are_one_dialable_card(catalog):
    reply = [
        {"text": "Thank you for telling me."},
        {"custom": {"kind": "crisis", "category": "threat", "language": "en"}},
        {"custom": {"kind": "hotlines", "entries": [
            {"name": "Helpline", "phone": "+63 2 8 123 4567", "hours": "24/7"},
            {"name": "Report", "url": "https://example.org/report"}]}},
    ]
    out = render(reply, catalog)
    assert out[0].html.startswith("🆘 <b>Thank you")
    assert "☎ +63281234567" in out[1].html and "Report" in out[1].html and len(out) == 2


def test_a_failed_turn_shows_its_text_after_the_crisis_help_and_no_error_item(catalog):
    reply = [
        {"text": "Thank you for telling me."},
        {"custom": {"kind": "crisis", "category": "threat", "language": "en"}},
        {"text": "Something went wrong. Please try again."},
        {"custom": {"kind": "error", "reason": "store", "retry_after": 5, "language": "en"}},
    ]
    out = render(reply, catalog)
    assert [o.html for o in out] == ["🆘 <b>Thank you for telling me.</b>",
                                     "Something went wrong. Please try again."]


def test_numbers_become_dialable():
    assert dialable("(02) 8-123 4567") == "0281234567"
    assert dialable("+1 800 843 5678") == "+18008435678"


def test_the_sender_id_is_an_hmac_the_rest_channel_accepts():
    one, other = sender_id(12345, "k1"), sender_id(12345, "k2")
    assert one != other and one == sender_id(12345, "k1")
    assert "12345" not in one and SENDER.match(one)


def test_the_message_id_is_the_same_for_every_delivery_of_an_update():
    one = message_id(4242, 17, "k1")
    assert one == message_id(4242, 17, "k1") and MESSAGE_ID.match(one) and len(one) == 32
    others = {message_id(4242, 18, "k1"), message_id(4243, 17, "k1"), message_id(4242, 17, "k2"),
              message_id(4242, 17, "k1", "report-how")}
    assert one not in others and len(others) == 4
