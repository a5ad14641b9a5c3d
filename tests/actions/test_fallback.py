"""The fallback is never a dead end, and never offers the deterrence topic as a guess."""

from __future__ import annotations

import copy

from rasa_sdk import Tracker

from actions.answer import ActionAnswer
from actions.fallback import ActionFallback
from actions.selection import NEVER_SUGGESTED
from tests.actions.conftest import load_tracker


def rewritten(name: str, text: str, first: str | None = None) -> Tracker:
    """A recorded tracker whose latest message says `text`, with topic `first` ranked first."""
    tracker = load_tracker(name)
    latest = copy.deepcopy(tracker.latest_message)
    latest["text"] = text
    if first:
        ranking = latest["response_selector"]["faq"]["ranking"]
        ranking.insert(0, {"confidence": 0.25, "id": None, "intent_response_key": f"faq/{first}"})
    tracker.latest_message = latest
    return tracker


def test_a_message_about_harm_gets_the_emergency_number_and_help_first(run):
    for action, name in ((ActionFallback(), "fallback"), (ActionAnswer(), "answer_unsure")):
        out = run(action, rewritten(name, "my uncle keeps touching me at night"))
        assert out.item("fallback")["harm"] is True
        assert out.payloads[0] == "/ask_hotline"
        assert any("112" in text and "911" in text for text in out.texts)  # the country is unknown


def test_an_ordinary_unclear_message_gets_no_emergency_line(run):
    out = run(ActionFallback(), rewritten("fallback", "i have a question about my account"))
    assert out.item("fallback")["harm"] is False
    assert out.payloads[-1] == "/ask_hotline"


def test_the_deterrence_topic_is_never_a_suggestion(run):
    [deterrence] = NEVER_SUGGESTED
    for action, name in ((ActionFallback(), "fallback"), (ActionAnswer(), "answer_unsure")):
        out = run(action, rewritten(name, "my daughter online", first=deterrence))
        suggested = out.item("fallback")["suggestions"]
        assert deterrence not in suggested
        assert not [p for p in out.payloads if deterrence in p]
