"""The deterministic detector's behaviour on the cases the safety issue names.
The full regression suite is run by `python -m bot.safety` (make unit)."""

from __future__ import annotations

import pytest

from bot.safety.detector import detect, suggests_parent
from bot.safety.normalise import normalise


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("I\u2019M \uff28\uff25\uff2c\uff30", "i'm help"),  # curly apostrophe, full-width letters
        ("heeeelp meee", "help me"),
        ("i wanna k1ll mys3lf rn", "i want to kill myself right now"),
        ("he wants 10k by 3am", "he wants 10k by 3am"),  # numbers with units are not leetspeak
        ("gsto q n mamatay", "gusto ko n mamatay"),
        ("s\u200bu\u200bi\u200bcide", "suicide"),  # zero-width characters
        ("\u202eehs", "ehs"),  # a direction override is dropped, not obeyed
    ],
)
def test_normalisation(text, plain):
    assert normalise(text) == plain


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I'm being forced to have sex and I'm only 12", "sexual-abuse-disclosure"),
        ("I\u2019m being f0rced to have s3x n I\u2019m only 12", "sexual-abuse-disclosure"),
        ("someone is banging on my door and i'm scared", "imminent-danger"),
        ("may kumakatok sa pinto, natatakot ako", "imminent-danger"),
        ("i want to kill myself", "self-harm"),
        ("gusto ko nang mamatay", "self-harm"),
        ("he says he will post my nudes unless i pay", "threat"),
        ("ikakalat daw niya pics ko kung hindi ako magbabayad", "threat"),
    ],
)
def test_crises_are_found(text, category):
    crisis = detect(text)
    assert crisis is not None and crisis.category == category


@pytest.mark.parametrize(
    "text",
    [
        "this game is killing me",
        "my son is dying to get a phone",
        "what are the signs of abuse",
        "papatayin ako ni mama pag late ako umuwi",
        "help me with my homework",
        "what is grooming",
        "",
        None,
    ],
)
def test_hard_negatives_are_not_crises(text):
    assert detect(text) is None


@pytest.mark.parametrize("text", ["HELP", "help", "Help!!!", " TULONG ", "tulong po", "saklolo"])
def test_the_safe_word_on_its_own(text):
    assert detect(text).category == "safe-word"


def test_a_family_abuser_is_flagged_but_a_family_helper_is_not():
    assert detect("my stepdad touches me at night").family_offender
    assert detect("ginagalaw ako ng tito ko").family_offender
    assert not detect("i told my mom that a stranger touched me").family_offender


@pytest.mark.parametrize(
    ("text", "suggests"),
    [
        ("Tell your parents what happened.", True),
        ("You could talk to your mum about it.", True),
        ("Sabihin mo kay mama.", True),
        ("Tell a trusted adult outside your family, like a teacher.", False),
        ("Call the child helpline.", False),
    ],
)
def test_replies_that_send_a_child_back_to_a_parent_are_recognised(text, suggests):
    assert suggests_parent(text) is suggests
