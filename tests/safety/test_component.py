"""The NLU component: rules win over the model; the model's own crisis guess is gated."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.safety.component import CrisisDetector


def parsed(text: str, ranking: list[tuple[str, float]]) -> Message:
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": intents[0], "intent_ranking": intents})


def run(message: Message) -> Message:
    [out] = CrisisDetector().process([message])
    return out


def test_a_rule_hit_overrules_a_confident_model():
    out = run(parsed("my stepdad touches me at night", [("faq", 0.99), ("greet", 0.01)]))
    assert out.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert out.get("crisis") == {"category": "sexual-abuse-disclosure", "family_offender": True}


def test_an_unsure_model_crisis_guess_gives_way_to_the_next_intent_renormalised():
    ranking = [("crisis", 0.75), ("faq", 0.2), ("greet", 0.05)]
    out = run(parsed("a guy i met online wants to meet me", ranking))
    assert out.get("intent")["name"] == "faq"
    assert out.get("intent")["confidence"] == pytest.approx(0.8)
    assert [r["name"] for r in out.get("intent_ranking")] == ["faq", "greet"]
    assert out.get("crisis") is None


def test_a_sure_model_crisis_guess_with_words_of_harm_stands():
    out = run(parsed("everything hurts and i am scared of him", [("crisis", 0.97), ("faq", 0.03)]))
    assert out.get("intent") == {"name": "crisis", "confidence": 0.97}


def test_button_payloads_are_left_alone():
    out = run(parsed('/faq{"content_id":"grooming-what-it-is"}', [("faq", 1.0)]))
    assert out.get("intent") == {"name": "faq", "confidence": 1.0}
