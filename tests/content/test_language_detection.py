import pytest

from bot.language import asks_to_change, detect, explicit_choice, single


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("may nag-message po sa anak ko", "fil"),
        ("binubully po ako sa gc", "fil"),
        ("pano po i-report yung account na nag send ng pics", "fil"),
        ("my kid is being asked for pics ng isang guy sa ML, ano gagawin ko", "fil"),
        ("ano po ang grooming", "fil"),
        ("What are the warning signs of grooming?", "en"),
        ("my lola keeps hearing the word grooming on the news, what is it", "en"),
        ("how do i report a video on tiktok", "en"),
    ],
)
def test_one_message(text, language):
    assert single(text) == language


def test_too_few_marker_words_decide_nothing():
    assert single("sextortion") is None
    assert detect("GCash", 0.9, "fil") == ("fil", 0.9)


def test_one_english_message_does_not_flip_a_filipino_conversation():
    language, score = detect("ano po gagawin ko, may nagbabanta sa anak ko", None, None)
    assert language == "fil"
    language, score = detect("what should I do about it?", score, language)
    assert language == "fil"
    language, score = detect("can you tell me how to report it to the police?", score, language)
    assert language == "en"


def test_an_english_word_in_taglish_keeps_filipino():
    language, score = detect("nag send po ng pics yung anak ko sa stranger", None, None)
    language, score = detect("screenshot please", score, language)
    assert language == "fil"


def test_one_taglish_message_does_not_flip_an_english_conversation():
    language, score = detect("my son got a message from a stranger asking for photos", None, None)
    assert language == "en"
    language, score = detect("what do i do, grabe talaga", score, language)
    assert language == "en"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Tagalog po", "fil"),
        ("tagalog", "fil"),
        ("Filipino please", "fil"),
        ("pwede po mag tagalog", "fil"),
        ("mag-Filipino ka na lang", "fil"),
        ("sagot ka sa tagalog", "fil"),
        ("English please", "en"),
        ("english nalang po", "en"),
        ("can you speak english", "en"),
        ("please answer in English", "en"),
        ("switch to filipino", "fil"),
    ],
)
def test_explicit_choice(text, language):
    assert explicit_choice(text) == language


@pytest.mark.parametrize(
    "text",
    [
        "my english teacher sent my daughter a weird message",
        "the filipino community in dubai",
        "i need help with my tagalog homework",
        "ano po ang grooming",
    ],
)
def test_naming_a_language_is_not_always_a_choice(text):
    assert explicit_choice(text) is None


@pytest.mark.parametrize(
    "text", ["/language", "language", "change language", "palit wika", "Language please"]
)
def test_asks_to_change(text):
    assert asks_to_change(text)
    assert not asks_to_change("what language do groomers use")



@pytest.mark.parametrize("text", ["TULONG", "tulong po", "Saklolo!", "tulungan mo ako"])
def test_the_filipino_safe_word_alone_is_filipino(text):
    assert single(text) == "fil"


@pytest.mark.parametrize("text", ["help", "HELP ME", "help me please"])
def test_the_english_safe_word_alone_is_not_filipino(text):
    assert single(text) != "fil"
