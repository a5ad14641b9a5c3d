"""Which language the bot answers in: a choice, then metadata, then detection."""

from actions.answer import ActionAnswer
from actions.context import catalog
from actions.crisis import ActionCrisis
from actions.language import ActionChooseLanguage


def test_a_filipino_question_gets_the_filipino_answer(run):
    out = run(ActionAnswer(), "answer_filipino_detected")
    assert out.item("answer")["language"] == "fil"
    assert out.slots["language"] == "fil" and out.slots["language_source"] == "detected"


def test_one_english_phrase_does_not_switch_a_filipino_conversation(run):
    out = run(ActionAnswer(), "answer_filipino_one_english_word")
    assert all(i["language"] == "fil" for i in out.items if "language" in i)


def test_metadata_sets_the_language(run):
    out = run(ActionAnswer(), "answer_metadata_language")
    assert out.item("answer")["language"] == "fil"


def test_a_choice_outranks_metadata(run):
    out = run(ActionAnswer(), "answer_choice_beats_metadata_language")
    assert out.item("answer")["language"] == "en"


def test_naming_a_language_switches_and_says_so(run):
    out = run(ActionChooseLanguage(), "choose_language_named")
    assert out.slots["language"] == "fil" and out.slots["language_source"] == "chosen"
    assert "country" not in out.slots  # a language is not a place
    assert out.said("language_set", "fil")


def test_a_language_button_switches(run):
    out = run(ActionChooseLanguage(), "choose_language_button")
    assert out.slots["language"] == "fil"
    assert out.said("language_set", "fil")


def test_asking_to_change_without_naming_one_offers_the_choice(run):
    out = run(ActionChooseLanguage(), "choose_language_unnamed")
    assert out.said("ask_language")
    assert '/choose_language{"language":"fil"}' in out.payloads
    assert '/choose_language{"language":"en"}' in out.payloads


def test_a_filipino_crisis_gets_the_filipino_crisis_reply(run):
    out = run(ActionCrisis(), "crisis_filipino")
    crisis = out.item("crisis")
    assert crisis["category"] == "self-harm" and crisis["language"] == "fil"
    assert catalog().crisis.acknowledge("self-harm", "fil") in out.texts[0]
