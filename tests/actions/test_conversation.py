"""Greeting, audience choice, menu, out-of-scope and small talk."""

from actions.audience import ActionChooseAudience
from actions.context import catalog
from actions.fallback import ActionFallback
from actions.greet import ActionGreet
from actions.out_of_scope import ActionOutOfScope
from actions.small_talk import ActionSmallTalk
from actions.topics_menu import ActionShowTopics

AUDIENCE_BUTTONS = [f'/choose_audience{{"audience":"{a}"}}' for a in ("parent", "teen", "educator")]


def menu_payloads(audience):
    return [f'/faq{{"content_id":"{t.id}"}}' for t in catalog().menu_for(audience)]


def test_first_greeting_gives_the_privacy_notice_and_audience_choice(run):
    out = run(ActionGreet(), "greet_first")
    assert out.said("greet") and out.said("privacy_notice") and out.said("ask_audience")
    assert out.payloads == ['/choose_language{"language":"fil"}', "/forget_me", *AUDIENCE_BUTTONS]
    assert out.slots == {"privacy_notice_shown": True}


def test_a_later_greeting_skips_the_notice(run):
    out = run(ActionGreet(), "greet_again")
    assert not out.said("privacy_notice")
    assert out.said("greet_again")
    assert out.payloads[:-1] == menu_payloads(None)


def test_a_known_audience_is_not_asked_again(run):
    out = run(ActionGreet(), "greet_known_audience")
    assert out.said("privacy_notice")
    assert not any(p.startswith("/choose_audience") for p in out.payloads)
    assert out.payloads[2:-1] == menu_payloads("teen")  # after the language and forget buttons


def test_the_audience_button_is_remembered_as_a_choice(run):
    out = run(ActionChooseAudience(), "choose_audience_button")
    assert out.slots == {"audience": "parent", "audience_source": "chosen"}
    assert out.said("audience_set_parent")
    assert out.payloads == menu_payloads("parent") + ["/ask_hotline"]


def test_saying_who_you_are_sets_the_audience(run):
    out = run(ActionChooseAudience(), "choose_audience_text")
    assert {k: out.slots[k] for k in ("audience", "audience_source")} == {
        "audience": "educator", "audience_source": "inferred"
    }
    assert out.said("audience_set_educator")


def test_an_injected_audience_value_is_ignored(run):
    out = run(ActionChooseAudience(), "choose_audience_injected")
    assert out.slots == {}
    assert out.said("topics_intro")


def test_show_topics(run):
    out = run(ActionShowTopics(), "show_topics")
    assert out.said("topics_intro")
    assert out.payloads == menu_payloads(None) + ["/ask_hotline"]


def test_out_of_scope_says_so_and_shows_topics(run):
    out = run(ActionOutOfScope(), "out_of_scope")
    assert out.item("fallback")["reason"] == "out_of_scope"
    assert out.said("out_of_scope")
    assert out.payloads == menu_payloads(None) + ["/ask_hotline"]
    assert not [i for i in out.items if i["kind"] == "answer"]


def test_a_low_confidence_message_never_gets_an_answer(run):
    out = run(ActionFallback(), "fallback")
    assert [i["kind"] for i in out.items] == ["fallback"]
    assert "/ask_hotline" in out.payloads


def test_thanks_and_goodbye(run):
    assert run(ActionSmallTalk(), "thanks").said("thanks")
    assert run(ActionSmallTalk(), "goodbye").said("goodbye")
