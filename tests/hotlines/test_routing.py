"""Routing: which country a message means, what help it needs, which services lead."""

from __future__ import annotations

import pytest

from bot.hotlines import need as needs
from bot.hotlines import places, routing
from bot.hotlines.place_answer import is_place_answer
from bot.hotlines.registry import load


@pytest.fixture(scope="module")
def registry(root):
    return load(root / "data/hotlines")


@pytest.fixture(scope="module")
def places_file(root):
    return root / "data/hotlines/places.yml"


COUNTRY_CASES = [
    # country names, in English and local forms
    ("who do i call in the uk", "GB"),
    ("is there a helpline in kenya", "KE"),
    ("I'm in the Philippines", "PH"),
    ("we live in australia", "AU"),
    ("hotline number for india", "IN"),
    ("where to report child abuse in south africa", "ZA"),
    ("i'm in new zealand", "NZ"),
    ("help in singapore please", "SG"),
    ("canada helpline", "CA"),
    ("in the US who do i report to", "US"),
    ("UK number please", "GB"),
    ("wir sind in deutschland", "DE"),
    ("vivo en españa", "ES"),
    ("dito sa Pilipinas", "PH"),
    ("we're in the united states", "US"),
    # cities
    ("i'm in Cebu", "PH"),
    ("we live in toronto", "CA"),
    ("im in london rn", "GB"),
    ("nairobi", "KE"),
    ("lagos", "NG"),
    ("manila", "PH"),
    ("quezon city", "PH"),
    ("davao city po", "PH"),
    ("we moved to dubai", "AE"),
    ("sydney", "AU"),
    ("mumbai", "IN"),
    ("jakarta", "ID"),
    ("kuala lumpur", "MY"),
    ("sao paulo", "BR"),
    ("johannesburg", "ZA"),
    ("tokyo", "JP"),
    ("seoul", "KR"),
    ("berlin", "DE"),
    # Philippine provinces and regions, and Filipino phrasing
    ("nasa Pampanga po ako", "PH"),
    ("taga-Bulacan ako", "PH"),
    ("dito sa Laguna", "PH"),
    ("iloilo", "PH"),
    ("nasa Cavite kami", "PH"),
    ("nasa Metro Manila po", "PH"),
    # demonyms
    ("I'm Filipino", "PH"),
    ("kenyan parent here", "KE"),
    ("as a british mum", "GB"),
    ("australian teacher here", "AU"),
    ("pinoy ako", "PH"),
    ("i'm canadian", "CA"),
]


@pytest.mark.parametrize(("text", "country"), COUNTRY_CASES)
def test_country_named_in_the_message(text, country, places_file):
    assert places.own_country(places.mentions(text, places_file)) == country


@pytest.mark.parametrize(
    "text",
    ["who can i call", "im in my room", "help me please", "i'm in atlantis", "my friend lives far away",
     "us two are scared", "he said come to the mall"],
)
def test_no_country(text, places_file):
    assert places.own_country(places.mentions(text, places_file)) is None


@pytest.mark.parametrize(
    ("text", "own", "other"),
    [
        ("the guy is in the US and we're in the Philippines", "PH", "US"),
        ("he's from Australia, I'm in Cebu", "PH", "AU"),
        ("nasa Davao kami, the offender is from the UK", "PH", "GB"),
        ("im in manila and the man who paid for the shows lives in canada", "PH", "CA"),
    ],
)
def test_cross_border(text, own, other, places_file):
    found = places.mentions(text, places_file)
    assert places.own_country(found) == own
    assert places.other_country(found, own) == other


@pytest.mark.parametrize(
    ("text", "country"),
    [("Cebu", "PH"), ("nasa Davao po ako", "PH"), ("in the UK", "GB"), ("im from kenya", "KE"),
     ("Philippines po", "PH"), ("we live in toronto", "CA")],
)
def test_a_bare_place_is_an_answer(text, country):
    assert is_place_answer(text) == country


@pytest.mark.parametrize(
    "text",
    ["I'm in Cebu and someone is threatening to post my pics", "who do i call in the uk",
     "manila and london", "what is grooming", "/inform_country"],
)
def test_a_place_inside_a_question_is_not_an_answer(text):
    assert is_place_answer(text) is None


@pytest.mark.parametrize(
    ("text", "topic_need", "audience", "need"),
    [
        ("where do i report child abuse pics", None, "parent", "report"),
        ("someone is threatening to leak my nudes", None, "teen", "sextortion"),
        ("i need someone to talk to", None, "teen", "distress"),
        ("who can help", None, "teen", "distress"),
        ("who can help", None, "parent", "advice"),
        ("who can help", None, None, "advice"),
        ("who can help", "report", "teen", "report"),
        ("who can help", "sextortion", "parent", "sextortion"),
        ("i want to kill myself", "report", "teen", "crisis"),
        ("isumbong sa pulis", None, None, "report"),
        ("is there someone she can ring to talk to", "report", "parent", "distress"),
    ],
)
def test_need(text, topic_need, audience, need):
    assert needs.resolve(text, topic_need, audience) == need


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("report csam singapore", True),
        ("i want to report a video of a kid", True),
        ("who do i call", True),
        ("what is sextortion", False),
        ("my report card is bad", False),
    ],
)
def test_wants_contact(text, wanted):
    assert needs.wants_contact(text) is wanted


def first_kind(selection):
    return selection.services[0].kinds


def test_reporting_leads_with_csam_report(registry):
    selection = routing.select(registry, "PH", "report")
    assert "csam-report" in first_kind(selection)
    assert len(selection.services) <= routing.SHOWN and selection.emergency.numbers == ("911",)


def test_a_teen_in_distress_gets_a_child_helpline_first(registry):
    for country in ("PH", "GB", "US", "AU", "KE", "IN"):
        assert "child-helpline" in first_kind(routing.select(registry, country, "distress", "teen")), country


def test_sextortion_includes_takedown_tools(registry):
    for country in ("US", "GB", "CA"):
        selection = routing.select(registry, country, "sextortion")
        assert "sextortion-takedown" in first_kind(selection), country


def test_crisis_always_has_the_emergency_number(registry):
    for country in ("PH", "GB", "US", "AR"):
        assert routing.select(registry, country, "crisis").emergency is not None


def test_a_country_without_a_list_gets_the_international_fallback_and_its_emergency_number(registry):
    selection = routing.select(registry, "AR", "advice")
    assert selection.international
    assert {s.id for s in selection.services} <= {s.id for s in registry.international()}
    assert selection.emergency.numbers[0] == "911"


def test_an_unknown_country_gets_directories(registry):
    selection = routing.select(registry, None, "report")
    assert selection.international and selection.emergency is None
    assert "csam-report" in first_kind(selection)


def test_cross_border_adds_the_offenders_country(registry):
    selection = routing.select(registry, "PH", "report", abroad_country="US")
    assert selection.abroad_country == "US"
    assert any("csam-report" in s.kinds for s in selection.abroad)
    assert all(s.country == "PH" for s in selection.services)


def test_show_all(registry):
    short = routing.select(registry, "PH", "advice")
    full = routing.select(registry, "PH", "advice", show_all=True)
    assert short.more and len(full.services) > len(short.services) and not full.more


@pytest.mark.parametrize(
    ("text", "service_id"),
    [
        ("what's the bantay bata number", "ph-bantay-bata"),
        ("makabata hotline", "ph-makabata"),
        ("number for the cybertipline", "us-cybertipline"),
        ("is kids help phone free", "ca-kids-help-phone-text"),
    ],
)
def test_services_asked_for_by_name(registry, text, service_id):
    named = needs.named_service(registry, text)
    assert named is not None and named.id == service_id


def test_generic_words_do_not_name_a_service(registry):
    assert needs.named_service(registry, "is there a child helpline") is None
    assert needs.named_service(registry, "who do i call, the police?") is None
