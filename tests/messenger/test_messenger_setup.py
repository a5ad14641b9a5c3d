"""`python -m bot.channels.messenger setup` against the fake Graph API."""

from __future__ import annotations

import pytest

from bot.channels.messenger.__main__ import main
from bot.content.catalog import load
from tests.messenger.fake_graph_api import APP_SECRET, TOKEN, FakeGraphAPI


@pytest.fixture
def fake(monkeypatch):
    with FakeGraphAPI() as api:
        for name, value in (("MESSENGER_PAGE_ACCESS_TOKEN", TOKEN), ("MESSENGER_APP_SECRET", APP_SECRET),
                            ("MESSENGER_VERIFY_TOKEN", "verify"), ("MESSENGER_GRAPH_API_URL", api.base_url),
                            ("MESSENGER_ID_SECRET", "id-secret")):
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("MESSENGER_HANDOVER", raising=False)
        yield api


@pytest.fixture(scope="module")
def catalog(root):
    return load(root / "data/content")


def test_setup_sets_get_started_greeting_menu_and_ice_breakers_in_both_languages(fake, catalog):
    assert main(["setup"]) == 0
    (call,) = fake.calls_to("messenger_profile")
    body = call["body"]
    assert body["get_started"] == {"payload": "GET_STARTED"}
    greetings = {g["locale"]: g["text"] for g in body["greeting"]}
    assert set(greetings) == {"default", "tl_PH"}
    assert "automated" in greetings["default"] and "automated" in greetings["tl_PH"].lower()
    assert all(len(text) <= 160 for text in greetings.values())
    menus = {m["locale"]: m["call_to_actions"] for m in body["persistent_menu"]}
    assert [a["payload"] for a in menus["default"]] == ["MENU_TOPICS", "MENU_HOTLINE", "MENU_LANGUAGE",
                                                        "MENU_FORGET"]
    assert menus["tl_PH"][0]["title"] == catalog.message("menu_topics", "fil")
    ice = {i["locale"]: i["call_to_actions"] for i in body["ice_breakers"]}
    assert ice["tl_PH"][0] == {"question": catalog.message("ice_breaker_grooming", "fil"),
                               "payload": "ICE:grooming:fil"}


def test_with_handover_the_menu_offers_a_person(fake, monkeypatch, catalog):
    monkeypatch.setenv("MESSENGER_HANDOVER", "page_inbox")
    assert main(["setup"]) == 0
    menu = fake.calls_to("messenger_profile")[0]["body"]["persistent_menu"][0]["call_to_actions"]
    person = {"type": "postback", "title": catalog.message("menu_person", "en"), "payload": "MENU_PERSON"}
    assert menu[-1] == person


def test_a_refused_profile_is_reported_and_fails(fake, capsys):
    fake.fail("messenger_profile", "invalid")
    assert main(["setup"]) == 1
    assert "code 100" in capsys.readouterr().err


def test_without_the_three_variables_nothing_is_called(fake, monkeypatch):
    monkeypatch.delenv("MESSENGER_APP_SECRET")
    assert main(["setup"]) == 2 and fake.calls == []
