"""The crisis reply, on recorded trackers, and for every family disclosure in the suite."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from actions.crisis import ActionCrisis
from actions.forget import ActionForget
from bot.safety.detector import detect, suggests_parent

SUITE = Path(__file__).resolve().parents[1] / "safety"


def test_a_family_disclosure_in_the_philippines(run):
    out = run(ActionCrisis(), "crisis_family_teen_ph")
    crisis = out.item("crisis")
    assert crisis["category"] == "sexual-abuse-disclosure" and crisis["family_offender"]
    assert crisis["country"] == "PH" and crisis["emergency_number"] == "911"
    assert out.items[0]["kind"] == "crisis"  # before anything else
    assert out.texts[0].endswith(crisis["emergency_number"] + ".")
    assert any("BCPC" in t or "VAWC" in t for t in out.texts)  # the Philippine family text
    assert "child-helpline" in out.item("hotlines")["entries"][0]["kinds"]
    assert not any(suggests_parent(t) for t in out.texts)


def test_self_harm_without_a_country_gives_common_numbers_and_asks_once(run):
    out = run(ActionCrisis(), "crisis_self_harm_no_country")
    crisis = out.item("crisis")
    assert crisis["category"] == "self-harm" and crisis["emergency_number"] is None
    assert "112" in out.texts[0] and "911" in out.texts[0]
    assert any(p.startswith('/inform_country{"country":"PH"}') for p in out.payloads)
    assert out.slots["country_asked"] is True and out.slots["pending_need"] == "self-harm"


def test_the_safe_word_brings_help_at_any_point(run):
    out = run(ActionCrisis(), "crisis_safe_word")
    assert out.item("crisis")["category"] == "safe-word"
    assert out.item("crisis")["emergency_number"] == "999"
    assert out.item("hotlines")["country"] == "GB"


def test_a_sextortion_threat_gets_the_crisis_reply_then_the_answer(run):
    out = run(ActionCrisis(), "crisis_threat_then_answer")
    assert [i["kind"] for i in out.items] == ["crisis", "hotlines", "answer"]
    assert out.item("answer")["content_id"] == "sextortion-what-to-do"
    assert "sextortion-takedown" in out.item("hotlines")["entries"][0]["kinds"]


def family_positives():
    for path in sorted(SUITE.glob("crisis_*.yml")):
        for case in yaml.safe_load(path.read_text())["cases"]:
            if case["category"] and case["family_offender"]:
                yield case["text"]


@pytest.mark.parametrize("country", ["PH", "GB", None])
@pytest.mark.parametrize("audience", ["teen", "parent", None])
def test_no_family_disclosure_is_ever_told_to_tell_a_parent(run, recorded, country, audience):
    """Every family disclosure in the suite that the rules catch, for each audience and
    country, gets a reply with no suggestion to tell a parent or family member."""
    template = recorded("crisis_family_teen_ph")
    checked = 0
    for text in family_positives():
        crisis = detect(text)
        if not (crisis and crisis.family_offender):
            continue
        tracker = copy.deepcopy(template)
        tracker.latest_message["text"] = text
        tracker.latest_message["crisis"] = crisis.as_dict()
        tracker.latest_message["metadata"] = {k: v for k, v in (("country", country),) if v}
        tracker.slots.update({"country": country, "audience": audience, "audience_source": None})
        out = run(ActionCrisis(), tracker)
        assert out.item("crisis")["family_offender"]
        assert out.item("crisis")["category"] == crisis.category
        assert not [t for t in out.texts if suggests_parent(t)], text
        checked += 1
    assert checked >= 60


def test_forget_me_confirms(run):
    out = run(ActionForget(), "forget")
    assert out.said("forget_done") and out.item("forgotten") == {"kind": "forgotten"}
