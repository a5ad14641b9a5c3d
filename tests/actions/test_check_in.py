"""The check-in: a crisis only the model suspects gets help first and one question, and
each answer leads to its next step. On recorded trackers, asserting ids, never wording."""

from __future__ import annotations

import copy

from rasa_sdk import Tracker

from actions.crisis import DANGER, HAPPENED, INFORMATION, ActionCrisis
from bot.safety.detector import suggests_parent
from tests.actions.conftest import load_tracker


def suspected(name: str, category: str, family: bool = False, country: str | None = None) -> Tracker:
    """A recorded crisis tracker, as if the crisis model (not a rule) had flagged it."""
    tracker = load_tracker(name)
    latest = copy.deepcopy(tracker.latest_message)
    latest["crisis"] = {"category": category, "family_offender": family, "tier": "check-in"}
    tracker.latest_message = latest
    if country:
        tracker.slots["country"] = country
    return tracker


def answered(name: str, answer: str, slots: dict) -> Tracker:
    """The user tapped one of the check-in's three answers."""
    tracker = load_tracker(name)
    latest = copy.deepcopy(tracker.latest_message)
    latest["text"] = f'/crisis{{"confirm":"{answer}"}}'
    latest["entities"] = [{"entity": "confirm", "value": answer}]
    latest.pop("crisis", None)
    tracker.latest_message = latest
    tracker.slots.update(slots)
    return tracker


def test_the_check_in_leads_with_help_then_asks_one_question(run):
    out = run(ActionCrisis(), suspected("crisis_self_harm_no_country", "self-harm", country="PH"))
    crisis = out.items[0]
    assert (crisis["kind"], crisis["category"], crisis["suspected"]) == ("crisis", "check-in", "self-harm")
    assert crisis["emergency_number"] == "911"
    assert len(out.item("hotlines")["entries"]) <= 2  # the best helpline (and the emergency line)
    confirm = [p for p in out.payloads if p.startswith("/crisis")]
    assert confirm == [f'/crisis{{"confirm":"{a}"}}' for a in (DANGER, HAPPENED, INFORMATION)]
    assert out.slots["check_in_category"] == "self-harm"


def test_the_family_rule_holds_in_the_check_in(run):
    out = run(ActionCrisis(), suspected("crisis_family_teen_ph", "sexual-abuse-disclosure", family=True,
                                        country="PH"))
    assert out.items[0]["family_offender"] is True
    assert any("BCPC" in t or "VAWC" in t for t in out.texts)
    assert not any(suggests_parent(t) for t in out.texts)


def test_in_danger_now_gets_the_whole_imminent_danger_reply(run):
    tracker = answered("crisis_self_harm_no_country", DANGER, {"check_in_category": "self-harm"})
    out = run(ActionCrisis(), tracker)
    assert out.items[0]["category"] == "imminent-danger"
    assert out.slots["check_in_category"] is None


def test_something_happened_gets_the_disclosure_reply_for_what_was_suspected(run):
    for was, expected in (("self-harm", "self-harm"), ("imminent-danger", "sexual-abuse-disclosure")):
        tracker = answered("crisis_self_harm_no_country", HAPPENED, {"check_in_category": was})
        assert run(ActionCrisis(), tracker).items[0]["category"] == expected


def test_asking_for_information_gets_the_answer_and_no_crisis_reply(run):
    tracker = answered("crisis_self_harm_no_country", INFORMATION, {"pending_topic": "sextortion-what-to-do"})
    out = run(ActionCrisis(), tracker)
    assert [i["kind"] for i in out.items] == ["answer"]
    assert out.item("answer")["content_id"] == "sextortion-what-to-do"
    menu = run(ActionCrisis(), answered("crisis_self_harm_no_country", INFORMATION, {"pending_topic": None}))
    assert not [i for i in menu.items if i["kind"] == "crisis"] and menu.said("topics_intro")
