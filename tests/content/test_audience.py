import pytest

from bot.audience import infer


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
