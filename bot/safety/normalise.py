"""Bring a message to one plain form before matching, so spelling can't hide a crisis.

NFKC, curly quotes, case, invisible and direction characters, stretched letters
("heeelp"), leetspeak inside words ("k1ll"), and the texting and Filipino/Taglish
short forms people use ("rn", "u", "aq", "nmn").
"""

from __future__ import annotations

import re
import unicodedata

_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'", "`": "'",
                         "\u201c": '"', "\u201d": '"'})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
                       "!": "i"})
_EDGES = re.compile(r"^([!'$@]*)(.*?)([!'$@]*)$")
# Numbers with a unit are not leetspeak: "10k", "3am", "14yo", "2nd".
_UNIT = re.compile(r"^\d+(?:k|m|am|pm|yo|y/o|yrs?|th|st|nd|rd|gb|mb|php|mins?|hrs?|x)$|^\d{2,}s$")
_STRETCH = re.compile(r"(\w)\1{2,}")
_WORD = re.compile(r"[\w@$!']+")
_SHORT = {
    # English texting
    "u": "you", "ur": "your", "r": "are", "rn": "right now", "pls": "please",
    "plz": "please", "bc": "because", "cuz": "because", "coz": "because", "dis": "this",
    "dat": "that", "ppl": "people", "idk": "i don't know", "gonna": "going to", "wanna": "want to",
    "gotta": "got to", "im": "i'm", "ive": "i've", "dont": "don't", "cant": "can't", "wont": "won't",
    "hes": "he's", "shes": "she's", "theyre": "they're", "didnt": "didn't", "doesnt": "doesn't",
    "isnt": "isn't", "b4": "before", "2day": "today", "2nite": "tonight", "2night": "tonight",
    "sum1": "someone", "some1": "someone", "any1": "anyone", "ne1": "anyone", "ok": "ok",
    "bf": "boyfriend", "gf": "girlfriend", "stepdad": "stepdad", "pic": "picture", "pics": "pictures",
    "nudez": "nudes", "noodz": "nudes", "n00dz": "nudes", "nudies": "nudes",
    # Filipino and Taglish texting
    "aq": "ako", "q": "ko", "nmn": "naman", "d2": "dito", "kc": "kasi", "kse": "kasi", "kz": "kasi",
    "pano": "paano", "xa": "siya", "sya": "siya", "cya": "siya", "ung": "yung", "nde": "hindi",
    "hnd": "hindi", "hndi": "hindi", "di": "hindi", "tlga": "talaga", "tlg": "talaga", "sna": "sana",
    "lng": "lang", "nlng": "na lang", "kht": "kahit", "wla": "wala", "wlang": "walang", "mg": "mag",
    "un": "yun", "nyo": "ninyo", "ayoq": "ayoko", "gs2": "gusto", "gsto": "gusto",
}


def _word(token: str) -> str:
    if token in _SHORT:
        return _SHORT[token]
    lead, core, trail = _EDGES.match(token).groups()  # "help!" keeps its "!"
    if any(c.isalpha() for c in core) and any(c in "0134578@$!" for c in core) and not _UNIT.match(core):
        core = core.translate(_LEET)
    return lead + _SHORT.get(core, core) + trail


def normalise(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", _CONTROL.sub(" ", text)).translate(_QUOTES).casefold()
    text = _STRETCH.sub(r"\1", text)
    text = _WORD.sub(lambda m: _word(m.group(0)), text)
    return " ".join(text.split())
