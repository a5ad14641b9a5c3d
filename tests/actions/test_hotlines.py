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


# --- issue 18: the person, the hour, the language (clock pinned, never the wall clock) ---

import datetime as dt  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402

import actions.hotlines  # noqa: E402
from actions.crisis import ActionCrisis  # noqa: E402

TUESDAY_2AM_MANILA = dt.datetime(2026, 12, 8, 2, 0, tzinfo=ZoneInfo("Asia/Manila"))
SUNDAY_11PM_LONDON = dt.datetime(2026, 12, 6, 23, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def at(monkeypatch):
    def pin(moment):
        monkeypatch.setattr(actions.hotlines, "clock", lambda: moment)
    return pin


def test_every_entry_says_whether_it_is_open_now(run, at):
    at(TUESDAY_2AM_MANILA)
    out = run(ActionHotlines(), "hotlines_after_asking")
    entries = out.item("hotlines")["entries"]
    assert all("open_now" in e for e in entries)
    makabata = next(e for e in entries if e["id"] == "ph-makabata")
    assert makabata["open_now"] is True and "opens_at" not in makabata
    assert out.said("hotline_open_always") or out.said("hotline_open_always", "fil")


def test_a_closed_line_says_when_it_opens(run, at):
    at(SUNDAY_11PM_LONDON)
    out = run(ActionHotlines(), "hotlines_metadata_country")
    entries = {e["id"]: e for e in out.item("hotlines")["entries"]}
    for entry in entries.values():
        if entry["open_now"] is False:
            assert entry["opens_at"].startswith("2026-12-07T")


def test_a_filipino_parent_about_anak_ko_gets_the_parents_answer_in_filipino(run, at):
    at(TUESDAY_2AM_MANILA)
    out = run(ActionHotlines(), "hotlines_filipino_parent")
    assert out.slots.get("audience") == "parent"
    item = out.item("hotlines")
    assert item["country"] == "PH"
    assert out.said("hotlines_intro", "fil", country="Pilipinas")
    assert "the Philippines" not in out.texts[0]
    reg = actions.hotlines.registry()
    for entry in item["entries"]:
        service = next((s for s in reg.all_services() if s.id == entry["id"]), None)
        if service:
            assert entry["what_happens"] == service.what_happens_fil
    assert item["entries"][-1]["what_happens"] == catalog().message("emergency_what_happens", "fil")
    assert any("child-helpline" in e["kinds"] for e in item["entries"])
    assert not any(e.get("ages", {}).get("min", 0) >= 18 for e in item["entries"])


def test_a_minors_sextortion_never_offers_the_adult_only_tool(run, at):
    at(TUESDAY_2AM_MANILA)
    out = run(ActionCrisis(), "crisis_parent_minor_ph")
    item = out.item("hotlines")
    ids = [e["id"] for e in item["entries"]]
    assert "intl-stopncii" not in ids and "intl-take-it-down" in ids
    assert any("child-helpline" in e["kinds"] for e in item["entries"])
    closed = [e["open_now"] is False for e in item["entries"][:-1]]
    assert closed == sorted(closed)  # crisis replies: anything closed now comes last


def test_a_teen_who_cannot_call_gets_text_chat_and_forms_first(run, at):
    at(SUNDAY_11PM_LONDON)
    out = run(ActionCrisis(), "crisis_cannot_call")
    entries = out.item("hotlines")["entries"][:-1]  # the emergency number closes the list
    text_first = [bool(e.get("chat") or e.get("sms") or e.get("url")) for e in entries]
    assert text_first[0] and text_first == sorted(text_first, reverse=True)
    assert "intl-stopncii" not in [e["id"] for e in entries]
