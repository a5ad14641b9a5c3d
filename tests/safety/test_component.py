"""The NLU component: rules first and certain; the crisis model adds hits in tiers, never
removes one; the intent model's crisis guess alone is not enough."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.linear import build
from bot.safety.component import CrisisDetector

TOY = build(10.0).fit(
    ["i want to die", "i want to end it all tonight", "he touches me at night", "what is grooming",
     "hello there", "how do i block someone"],
    ["self-harm", "self-harm", "sexual-abuse-disclosure", "none", "none", "none"],
)


def parsed(text: str, ranking: list[tuple[str, float]]) -> Message:
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    return Message(data={"text": text, "intent": intents[0], "intent_ranking": intents})


def run(message: Message, model=None, **thresholds: float) -> Message:
    config = CrisisDetector.get_default_config() | thresholds
    [out] = CrisisDetector(config, None, None, model).process([message])
    return out


def test_a_rule_hit_overrules_a_confident_model_and_is_certain():
    message = parsed("my stepdad touches me at night", [("faq", 0.99), ("greet", 0.01)])
    out = run(message, TOY, check_in=1.1)
    assert out.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert out.get("crisis") == {"category": "sexual-abuse-disclosure", "family_offender": True,
                                 "tier": "certain"}


def test_the_model_adds_a_check_in_and_the_family_rule_holds_in_it():
    message = parsed("my tito does stuff to me", [("faq", 0.9), ("greet", 0.1)])
    out = run(message, TOY, certain=1.1, check_in=0.0)
    assert out.get("intent")["name"] == "crisis"
    assert out.get("crisis")["tier"] == "check-in"
    assert out.get("crisis")["family_offender"] is True


def test_a_very_high_model_score_is_certain():
    out = run(parsed("i want to end it all tonight", [("faq", 0.9), ("greet", 0.1)]), TOY, certain=0.0)
    assert out.get("crisis")["tier"] == "certain" and out.get("crisis")["category"] == "self-harm"


def test_below_both_thresholds_nothing_changes():
    message = parsed("how do i block someone", [("faq", 0.9), ("greet", 0.1)])
    out = run(message, TOY, certain=1.1, check_in=1.1)
    assert out.get("intent") == {"name": "faq", "confidence": 0.9}
    assert out.get("crisis") is None


def test_an_intent_model_crisis_guess_alone_gives_way_to_the_next_intent_renormalised():
    ranking = [("crisis", 0.75), ("faq", 0.2), ("greet", 0.05)]
    out = run(parsed("a guy i met online wants to meet me", ranking), TOY, certain=1.1, check_in=1.1)
    assert out.get("intent")["name"] == "faq"
    assert out.get("intent")["confidence"] == pytest.approx(0.8)
    assert [r["name"] for r in out.get("intent_ranking")] == ["faq", "greet"]
    assert out.get("crisis") is None


def test_button_payloads_are_left_alone():
    out = run(parsed('/faq{"content_id":"grooming-what-it-is"}', [("faq", 1.0)]), TOY, check_in=0.0)
    assert out.get("intent") == {"name": "faq", "confidence": 1.0}
