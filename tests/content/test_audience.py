import pytest

from bot.audience import infer, mentioned_age, says_adult


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("my 12 yo daughter has a new online friend", "parent"),
        ("As a parent, what should I check?", "parent"),
        ("im a mom and my son plays roblox", "parent"),
        ("I\u2019m 14 and a guy keeps asking for pics", "teen"),
        ("i am 13 years old", "teen"),
        ("15f here, someone is threatening me", "teen"),
        ("i'm a student", "teen"),
        ("I'm a teacher and a pupil told me something", "educator"),
        ("my students share nudes in a group chat", "educator"),
        ("guidance counselor here", "educator"),
        ("my son is 14 years old", "parent"),  # an age about the child is not the writer's
        # A strong cue beats a weak one.
        ("im a teacher and my son was sent a nude", "educator"),
    ],
)
def test_clear_cues(text, audience):
    assert infer(text) == audience


@pytest.mark.parametrize(
    "text",
    [
        "what is grooming",
        "im 10 minutes away",
        "my students and my daughter",  # two weak cues that disagree
        "",
        None,
    ],
)
def test_no_or_conflicting_cues(text):
    assert infer(text) is None


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        # Filipino and Taglish: my son, my daughter, my child (issue 18)
        ("ano po ang gagawin ko, may nagme-message sa anak ko", "parent"),
        ("yung anak ko po kasi may ka-chat na stranger", "parent"),
        ("may nanghihingi ng pics sa anak kong 12", "parent"),
        ("paano ko po babantayan ang mga anak ko sa roblox", "parent"),
        ("yung panganay ko ayaw na pumasok", "parent"),
        ("si bunso ko po nag-download ng app", "parent"),
        ("nanay po ako, may tanong lang", "parent"),
        # my students, I'm a teacher
        ("paano ko tuturuan ang mga estudyante ko tungkol sa grooming", "educator"),
        ("may nagpapakalat ng pics ng mga bata sa klase ko", "educator"),
        ("teacher ako sa public school", "educator"),
        ("guro po ako sa elementarya", "educator"),
        ("adviser ako ng grade 8", "educator"),
        ("isa akong guro", "educator"),
        # the writer's own age
        ("13 years old ako at may nagbabanta sa akin", "teen"),
        ("14 na ako, pwede ba ako mag-report", "teen"),
        ("16 pa lang po ako", "teen"),
    ],
)
def test_filipino_and_taglish_cues(text, audience):
    assert infer(text) == audience


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I'm 16 and scared", (16, "self")),
        ("im 14 from quezon city", (14, "self")),
        ("my 12yo keeps crying", (12, "child")),
        ("someone is sextorting my 15 yr old son", (15, "child")),
        ("my daughter is 11 and anxious", (11, "child")),
        ("anak kong 15 po", (15, "child")),
        ("sa anak kong 10 yrs old", (10, "child")),
        ("13 years old ako", (13, "self")),
        ("14 na ako", (14, "self")),
        ("I'm 25 and my ex posted my pics", (25, "self")),
        ("my 3 kids", None),
        ("I am 16 minutes away", None),
        ("wala akong 5 pesos", None),
    ],
)
def test_ages_given(text, age):
    assert mentioned_age(text) == age


def test_an_adult_who_says_so():
    assert says_adult("I'm over 18, my ex is threatening me")
    assert says_adult("adult na po ako")
    assert not says_adult("my son is 14")
