from actions.answer import ActionAnswer
from actions.selection import MIN_CONFIDENCE, MIN_MARGIN, ranking


def test_inferred_parent_gets_the_parent_answer_with_sources(run):
    out = run(ActionAnswer(), "answer_parent_inferred")
    answer = out.item("answer")
    assert answer["content_id"] == "gifts-and-money-offers"  # "game credits ... keep it secret"
    assert answer["audience"] == "parent"
    assert answer["sources"] and answer["reviewed_on"]
    assert out.slots["audience"] == "parent" and out.slots["audience_source"] == "inferred"
    assert out.slots["last_topic"] == answer["content_id"]


def test_metadata_sets_the_audience(run):
    out = run(ActionAnswer(), "answer_teen_metadata")
    assert out.item("answer")["content_id"] == "grooming-what-it-is"
    assert out.item("answer")["audience"] == "teen"
    assert out.slots["audience_source"] == "metadata"


def test_a_choice_the_user_made_outranks_metadata(run):
    out = run(ActionAnswer(), "answer_choice_beats_metadata")
    assert out.item("answer")["audience"] == "educator"
    assert "audience" not in out.slots  # already remembered; nothing changes


def test_the_audience_is_remembered_from_an_earlier_turn(run):
    out = run(ActionAnswer(), "answer_remembered_audience")
    assert out.item("answer") == out.item("answer") | {"content_id": "privacy-settings", "audience": "parent"}


def test_a_topic_button_answers_that_topic(run):
    out = run(ActionAnswer(), "answer_button")
    assert out.item("answer")["content_id"] == "image-removal"
    # image-removal's default audience answers when the audience is unknown
    assert out.item("answer")["audience"] == "teen"


def test_an_unknown_topic_id_never_answers(run):
    out = run(ActionAnswer(), "answer_unknown_button")
    assert [i["kind"] for i in out.items] == ["fallback"]
    assert out.said("fallback_rephrase")
    assert "/ask_hotline" in out.payloads


def test_an_unclear_topic_offers_choices_instead_of_guessing(run):
    out = run(ActionAnswer(), "answer_unsure")
    fallback = out.item("fallback")
    assert fallback["reason"] == "unsure" and fallback["suggestions"]
    assert out.said("fallback_did_you_mean")
    for content_id in fallback["suggestions"]:
        assert f'/faq{{"content_id":"{content_id}"}}' in out.payloads
    assert "/ask_hotline" in out.payloads


def test_the_recorded_unsure_case_really_is_below_the_threshold(recorded):
    ranked = ranking(recorded("answer_unsure").latest_message)
    top, runner_up = ranked[0][1], ranked[1][1]
    assert top < MIN_CONFIDENCE or top - runner_up < MIN_MARGIN
