"""Which language to answer in: an explicit choice, then metadata, then detection.

Detection counts Filipino and English function words in the user's messages and keeps
a running score, so one English word in a Taglish sentence, or one English message
in a Filipino conversation, does not flip the language. Short Taglish defeats
statistical language detectors, so this is a word list, not a model, and the NLU
model serves every language regardless of what this decides.
"""

from __future__ import annotations

import re

from bot.content.catalog import LANGUAGES

# Common Tagalog words as people text them, with texting spellings. Words that are also
# English ("may", "at", "to", "pa", "ma", "sa" in names) are left out or kept only where
# the English sense is rare in messages to this bot.
_FILIPINO = frozenset(
    [
        "ang", "ng", "nang", "mga", "sa", "si", "ni", "kay", "kina", "ko", "mo", "niya", "nya",
        "nia", "namin", "natin", "nila", "ninyo", "nyo", "niyo", "ako", "aq", "aqu", "ikaw", "ikw",
        "ka", "siya", "sya", "xa", "kami", "tayo", "sila", "kayo", "akin", "amin", "atin", "kanila",
        "kaniya", "kanya", "iyo", "po", "opo", "poh", "ba", "b", "naman", "nmn", "nman", "lang",
        "lng", "lamang", "na", "nga", "din", "rin", "daw", "raw", "pala", "kasi", "kc", "ksi",
        "kse", "pero", "tapos", "tas", "pag", "kapag", "kung", "kng", "yung", "ung", "iyong",
        "yong", "yun", "iyon", "un", "ito", "eto", "ire", "dito", "d2", "dyan", "diyan", "doon",
        "dun", "don", "ano", "anu", "anong", "anung", "paano", "pano", "panu", "pnu", "papaano",
        "bakit", "bkit", "bkt", "baket", "sino", "cno", "cnu", "sinong", "saan", "san", "sn",
        "nasaan", "kailan", "kelan", "ilan", "gaano", "magkano", "alin", "hindi", "hnd", "hndi",
        "di", "nde", "wala", "wla", "wlang", "walang", "meron", "mayroon", "mron", "gusto", "gsto",
        "gus2", "ayaw", "ayoko", "ayko", "pwede", "pwd", "puwede", "pede", "kailangan", "kylangan",
        "dapat", "dpt", "talaga", "tlga", "tlg", "sana", "sna", "muna", "mna", "lagi", "palagi",
        "baka", "bka", "siguro", "sguro", "parang", "prang", "ganun", "ganon", "ganito", "gnito",
        "ngayon", "ngaun", "ngyn", "kanina", "bukas", "kahapon", "lahat", "iba", "ibang", "isa",
        "isang", "dalawa", "anak", "anak", "ko", "nanay", "tatay", "inay", "itay", "kuya", "ate",
        "bunso", "tito", "tita", "lola", "lolo", "pinsan", "pamangkin", "kapatid", "kaibigan",
        "kaibgan", "tropa", "barkada", "jowa", "asawa", "bata", "batang", "tulong", "tulungan",
        "salamat", "slamat", "maraming", "oo", "hala", "grabe", "sobra", "sobrang", "ba't", "nag",
        "mag", "nakakatakot", "natatakot", "takot", "hiya", "nahihiya", "galit", "malungkot",
        "masaya", "lalaki", "babae", "tao", "tanong", "sabi", "sinabi", "alam", "malaman", "gawin",
        "gagawin", "ginawa", "sasabihin", "sabihin", "magawa", "nangyari", "nangyayari", "nakita",
        "makita", "tingnan", "ipakita", "kilala", "kilalang", "ginagawa", "pinapa", "pinipilit",
        "pinilit", "humihingi", "hingi", "binigay", "bigay", "ibigay", "binibigyan", "bayad",
        "bayaran", "magbayad", "nagbayad", "pera", "padala", "guro", "estudyante", "paaralan",
        "eskwela", "klase", "magulang", "mgulang", "pamilya", "bahay", "kapitbahay", "kapag",
        "pagka", "habang", "simula", "hanggang", "dahil", "para", "pra", "kahit", "kht", "pati",
        "tsaka", "saka", "o", "kaya", "ano-ano", "anu-ano", "paano-paano", "nakaka", "nag-aalala",
        "nagaalala", "nag-aalala", "mag-alala", "pakiusap", "paki", "pasensya", "sige", "cge",
        "sge", "mo'ng", "ko'ng", "niya'ng"
    ]
)

_ENGLISH = frozenset(
    [
        "the", "a", "an", "is", "are", "was", "were", "be", "been", "being", "am", "i", "i'm", "im",
        "i've", "ive", "you", "you're", "youre", "he", "she", "it", "it's", "its", "we", "they",
        "me", "him", "them", "my", "your", "his", "her", "our", "their", "what", "how", "why",
        "who", "whom", "where", "when", "which", "whats", "what's", "do", "does", "did", "don't",
        "dont", "doesn't", "doesnt", "didn't", "didnt", "can", "can't", "cant", "could", "should",
        "would", "will", "won't", "wont", "have", "has", "had", "of", "in", "on", "for", "with",
        "about", "from", "by", "this", "that", "these", "those", "and", "or", "but", "if", "not",
        "no", "so", "just", "because", "there", "here", "someone", "something", "anyone",
        "anything", "my", "son", "daughter", "kid", "kids", "child", "children", "teen", "please",
        "thanks", "thank", "want", "need", "know", "think", "tell", "get", "got", "make", "made",
        "help", "happened", "happen", "really", "very", "also", "after", "before", "into", "out",
        "up"
    ]
)

# Tagalog affixes before an English or Tagalog stem: i-report, nag-send, mag-screenshot.
_AFFIXED = re.compile(r"^(?:i|ma|mag|nag|pag|na|pa|ipa|nakaka|naka|maka|pinag|ka|pina|napa|nagpa|magpa)-\w+$")
_WORD = re.compile(r"[a-zñ'-]+")

# Hysteresis on the running Filipino score (0..1).
TO_FILIPINO = 0.45
TO_ENGLISH = 0.2
WEIGHT_OF_NEW_MESSAGE = 0.6
MIN_MARKERS = 2

_NAMES = {"en": "english", "fil": "filipino"}
_NAME = r"(english|ingles|inglis|tagalog|filipino|pilipino|taglish)"
_POLITE = r"(?:\s+(?:po|please|pls|plz|na\s+lang|nalang|lang|only|naman|nmn))*"
_EXPLICIT = [
    re.compile(rf"^\s*(?:in|sa|mag|mag-|magsalita\s+(?:ka\s+)?(?:ng|sa))?\s*{_NAME}{_POLITE}\s*[.!?]*\s*$"),
    re.compile(
        rf"\b(?:speak|talk|answer|reply|respond|write|use|switch\s+to|change\s+to|set\s+(?:the\s+)?language\s+to)"
        rf"\s+(?:in\s+|to\s+)?{_NAME}\b"
    ),
    re.compile(
        rf"\b(?:mag|mag-|magsalita\s+(?:ka\s+)?(?:ng|sa)|sumagot\s+(?:ka\s+)?sa|sagot\s+(?:ka\s+)?sa|"
        rf"gamitin\s+(?:mo\s+)?(?:ang\s+)?|palit\s+(?:sa|ng)|palitan\s+(?:mo\s+)?(?:ng|sa))\s*{_NAME}\b"
    ),
    re.compile(rf"\b{_NAME}\s+(?:please|pls|plz|po|na\s+lang|nalang|naman)\b"),
    re.compile(rf"\b(?:can|could|do)\s+you\s+(?:speak|talk|understand)\s+{_NAME}\b"),
    re.compile(rf"\b(?:marunong|pwede|puwede|pede|pwd)\s+(?:ka\s+|po\s+|ba\s+|kang\s+|bang\s+)*(?:mag-?\s*)?{_NAME}\b"),
]
_ASK = re.compile(
    r"^\s*/?(?:language|lang|wika|change\s+(?:the\s+)?language|switch\s+language|palit\s+wika|"
    r"ibang\s+wika|other\s+language|language\s+(?:please|pls|po))\s*[.!?]*\s*$"
)


# The safe word in Filipino, alone: one word, yet the person plainly writes Filipino, and
# the crisis reply must be in it.
_LONE_CRY = re.compile(r"^\W*(?:tulong|saklolo|tulungan (?:mo|nyo|ninyo|n'yo) (?:ako|kami))(?:\s+po)?\W*$")


def markers(text: str) -> tuple[int, int]:
    """How many Filipino and English marker words the text has."""
    filipino = english = 0
    for word in _WORD.findall(text.lower()):
        if word in _FILIPINO or _AFFIXED.match(word):
            filipino += 1
        elif word in _ENGLISH:
            english += 1
    return filipino, english


def share(text: str) -> float | None:
    """The Filipino share of the marker words, or None when there are too few to tell."""
    if _LONE_CRY.match(text.lower()):
        return 1.0
    filipino, english = markers(text)
    if filipino + english < MIN_MARKERS:
        return None
    return filipino / (filipino + english)


def _to_language(name: str) -> str:
    name = name.lower()
    return "en" if name in ("english", "ingles", "inglis") else "fil"


def explicit_choice(text: str) -> str | None:
    """The language the user asks for by name ("Tagalog po", "English please"), if any."""
    lowered = text.lower()
    for pattern in _EXPLICIT:
        match = pattern.search(lowered)
        if match:
            language = _to_language(match.group(1))
            return language if language in LANGUAGES else None
    return None


def asks_to_change(text: str) -> bool:
    """A request to change language without naming one ("/language", "change language")."""
    return bool(_ASK.match(text.lower()))


def detect(text: str, score: float | None, current: str | None) -> tuple[str | None, float | None]:
    """Update the running score with one message; return (language, score).

    `score` and `current` are what earlier messages gave (None at the start). A message
    with too few marker words leaves both as they were.
    """
    new = share(text)
    if new is None:
        return current, score
    score = new if score is None else (1 - WEIGHT_OF_NEW_MESSAGE) * score + WEIGHT_OF_NEW_MESSAGE * new
    if current == "fil":
        language = "en" if score <= TO_ENGLISH else "fil"
    elif current == "en":
        language = "fil" if score >= TO_FILIPINO else "en"
    else:
        language = "fil" if score >= (TO_FILIPINO + TO_ENGLISH) / 2 else "en"
    if language not in LANGUAGES:
        language = current
    return language, round(score, 3)


def single(text: str) -> str | None:
    """The language of one message on its own, for replies made outside a conversation."""
    return detect(text, None, None)[0]
