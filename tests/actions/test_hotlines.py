"""Who to call: country, need and the services shown, on recorded trackers."""

from actions.answer import ActionAnswer
from actions.context import catalog
from actions.hotlines import ActionHotlines


def first_kinds(item):
    return item["entries"][0]["kinds"]


def test_unknown_country_is_asked_once_with_buttons(run):
    out = run(ActionHotlines(), "hotlines_ask_country")
    assert out.said("ask_country")
    assert out.payloads == [f'/inform_country{{"country":"{c}"}}' for c in catalog().countries]
    assert out.slots["country_asked"] is True and out.slots["pending_need"] == "advice"
    assert out.items == []


def test_the_answer_to_the_question_gives_the_hotlines(run):
    out = run(ActionHotlines(), "hotlines_after_asking")
    item = out.item("hotlines")
    assert item["country"] == "PH" and not item["international"]
    assert out.slots["country"] == "PH" and out.slots["pending_need"] is None
    assert "child-helpline" in first_kinds(item)
    assert item["entries"][-1]["phone"] == "911"  # the emergency number closes the list


def test_the_country_is_not_asked_twice(run):
    out = run(ActionHotlines(), "hotlines_asked_already")
    item = out.item("hotlines")
    assert item["country"] is None and item["international"]
    assert not out.said("ask_country")
    assert out.said("hotlines_emergency_unknown")


def test_metadata_gives_the_country_and_a_teen_gets_a_child_helpline(run):
    item = run(ActionHotlines(), "hotlines_metadata_country").item("hotlines")
    assert item["country"] == "GB" and "child-helpline" in first_kinds(item)
    assert item["entries"][-1]["phone"] == "999"


def test_a_service_asked_for_by_name_comes_first(run):
    item = run(ActionHotlines(), "hotlines_named_service").item("hotlines")
    assert item["country"] == "PH" and item["entries"][0]["id"] == "ph-bantay-bata"


def test_an_offender_abroad_adds_their_countrys_reporting_line(run):
    item = run(ActionHotlines(), "hotlines_cross_border").item("hotlines")
    assert item["country"] == "PH"
    assert item["abroad"]["country"] == "US"
    assert any("csam-report" in e["kinds"] for e in item["abroad"]["entries"])


def test_after_a_sextortion_answer_the_takedown_tools_lead(run):
    item = run(ActionHotlines(), "hotlines_after_topic").item("hotlines")
    assert item["country"] == "US" and item["need"] == "sextortion"
    assert "sextortion-takedown" in first_kinds(item)


def test_show_more_lists_every_service(run, root):
    from bot.hotlines.registry import load

    out = run(ActionHotlines(), "hotlines_show_more")
    ph = [s for s in load(root / "data/hotlines").for_country("PH") if "emergency" not in s.kinds]
    assert len(out.item("hotlines")["entries"]) >= len(ph)
    assert not any("more" in p for p in out.payloads)


def test_a_country_without_a_list_gets_directories_and_its_emergency_number(run):
    out = run(ActionHotlines(), "hotlines_no_list_country")
    item = out.item("hotlines")
    assert item["country"] == "AR" and item["international"]
    assert item["entries"][-1]["phone"] == "911"
    assert out.said("hotlines_intro_international", country="Argentina")


def test_numbers_are_written_so_a_phone_can_dial_them(run):
    out = run(ActionHotlines(), "hotlines_after_asking")
    text = out.texts[0]
    for entry in out.item("hotlines")["entries"]:
        if entry.get("phone_display"):
            assert entry["phone_display"] in text


def test_an_answer_about_reporting_with_a_known_country_brings_the_hotlines(run):
    out = run(ActionAnswer(), "answer_with_hotlines")
    assert out.item("answer")["content_id"] == "report-abuse-material"
    item = out.item("hotlines")
    assert item["country"] == "GB" and "csam-report" in first_kinds(item)
