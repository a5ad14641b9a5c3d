"""Who is asking: infer the audience from what a message says about its writer.

Saying who you are ("I'm a teacher", "I'm 14") is a strong cue; naming someone
you care for ("my son", "my students") is a weak one. A strong cue wins over weak
ones, and cues that disagree at the same strength give no answer.
"""

from __future__ import annotations

import re

_SELF = r"\b(?:i'?m|i am|im|as an?|speaking as an?)\s+(?:an?\s+)?"
_CHILD = (
    r"(?:son|daughter|child|children|kid|kids|boy|girl|teen|teenager|toddler|baby|"
    r"stepson|stepdaughter|grandson|granddaughter|grandchild|grandkids?|foster child)"
)

_TEEN_AGE = r"(?:1[0-7]|9)"
_NOT_A_UNIT = (
    r"(?:\s*(?:yo|y/o|yrs? old|years? old|year-old))?\b"
    r"(?!\s*(?:%|kg|lbs?|mins?|minutes?|hours?|hrs?|days?|weeks?|months?|km|pesos?|php)\b)"
)

_STRONG = {
    "parent": [
        _SELF + r"(?:parent|mom|mum|mother|dad|father|carer|caregiver|guardian|"
        r"foster parent|stepmom|stepdad|grandma|grandmother|grandpa|grandfather|lola|lolo)\b",
        r"\b(?:parent|mom|mum|dad) here\b",
    ],
    "teen": [
        _SELF + r"(?:teen|teenager|student|minor|kid|high ?schooler|highschool student)\b",
        r"\b(?:i'?m|i am|im)\s+(?:only\s+|just\s+)?(?:a\s+)?" + _TEEN_AGE + _NOT_A_UNIT,
        r"^\s*" + _TEEN_AGE + r"\s*(?:yo|y/o|yrs? old|years? old|m|f)\b",
    ],
    "educator": [
        _SELF + r"(?:teacher|educator|principal|headteacher|head teacher|school counsell?or|"
        r"guidance counsell?or|school nurse|school social worker|safeguarding lead|"
        r"youth worker|school staff)\b",
        r"\b(?:teacher|principal|guidance counsell?or) here\b",
    ],
}
_WEAK = {
    "parent": [r"\bmy\s+(?:\d+\s*(?:yo|y/o|yrs? old|years? old|year-old)\s+)?" + _CHILD + r"\b"],
    "teen": [r"\bmy\s+(?:classmates?|teacher|crush|bf|gf|boyfriend|girlfriend|best friend)\b"],
    "educator": [r"\bmy\s+(?:students|pupils|learners|class|classroom)\b", r"\bour school\b"],
}

_COMPILED = {
    strength: {aud: [re.compile(p) for p in pats] for aud, pats in table.items()}
    for strength, table in (("strong", _STRONG), ("weak", _WEAK))
}


def _normalise(text: str) -> str:
    return text.casefold().replace("\u2019", "'").replace("\u2018", "'")


def infer(text: str | None) -> str | None:
    """The audience the message's writer belongs to, if it says so clearly."""
    if not text:
        return None
    text = _normalise(text)
    for strength in ("strong", "weak"):
        found = {
            aud for aud, pats in _COMPILED[strength].items() if any(p.search(text) for p in pats)
        }
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None
