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

# Filipino and Taglish: "teacher ako", "guro po ako", "isa akong nanay", "ako ay magulang".
_FIL_SELF_AFTER = r"\s+(?:po\s+)?ako\b"
_FIL_SELF_BEFORE = r"\b(?:isa\s+akong|ako\s+ay(?:\s+isang)?|ako\s+(?:po\s+)?(?:ang|yung))\s+"
_FIL_PARENT = r"(?:nanay|tatay|magulang|mommy|mama|mami|daddy|papa|lola|lolo|guardian|single mom|single dad)"
_FIL_TEACHER = r"(?:teacher|titser|guro|adviser|advisor|guidance counsell?or|principal|punong-?guro)"
_FIL_AGE = r"(?:1[0-7]|9)"
_FIL_CHILD = r"(?:anak|panganay|bunso|apo|anak na (?:babae|lalaki))"

_STRONG = {
    "parent": [
        r"\b" + _FIL_PARENT + _FIL_SELF_AFTER,
        _FIL_SELF_BEFORE + _FIL_PARENT + r"\b",
        _SELF + r"(?:parent|mom|mum|mother|dad|father|carer|caregiver|guardian|"
        r"foster parent|stepmom|stepdad|grandma|grandmother|grandpa|grandfather|lola|lolo)\b",
        r"\b(?:parent|mom|mum|dad) here\b",
    ],
    "teen": [
        _SELF + r"(?:teen|teenager|student|minor|kid|high ?schooler|highschool student)\b",
        r"\b(?:i'?m|i am|im)\s+(?:only\s+|just\s+)?(?:a\s+)?" + _TEEN_AGE + _NOT_A_UNIT,
        r"^\s*" + _TEEN_AGE + r"\s*(?:yo|y/o|yrs? old|years? old|m|f)\b",
        # "13 years old ako", "14 na ako", "16 pa lang po ako", "15 y/o ako"
        r"\b" + _FIL_AGE + r"\s*(?:yo|y/o|yrs? old|years? old|taong gulang)?\s*"
        r"(?:na|pa lang|pa lamang|palang)?\s*(?:po\s+)?ako\b",
        r"\b(?:estudyante|student|high ?school(?:er)?|grade \d+|minor de edad)" + _FIL_SELF_AFTER,
    ],
    "educator": [
        _SELF + r"(?:teacher|educator|principal|headteacher|head teacher|school counsell?or|"
        r"guidance counsell?or|school nurse|school social worker|safeguarding lead|"
        r"youth worker|school staff)\b",
        r"\b(?:teacher|principal|guidance counsell?or) here\b",
        r"\b" + _FIL_TEACHER + _FIL_SELF_AFTER,
        _FIL_SELF_BEFORE + _FIL_TEACHER + r"\b",
    ],
}
_WEAK = {
    "parent": [
        r"\bmy\s+(?:\d+\s*(?:yo|y/o|yrs? old|years? old|year-old)\s+)?" + _CHILD + r"\b",
        r"\bmy\s+\d{1,2}\s*(?:yo|y/o|yrs? old|years? old|year-old)\b",  # "my 12yo"
        # "anak ko", "anak kong 15", "yung anak ko", "mga anak ko", "panganay ko", "bunso ko"
        r"\b" + _FIL_CHILD + r"\s+(?:ko|kong|namin|naming|natin)\b",
        r"\b(?:aking|ang aking)\s+(?:mga\s+)?" + _FIL_CHILD + r"\b",
    ],
    "teen": [
        r"\bmy\s+(?:classmates?|teacher|crush|bf|gf|boyfriend|girlfriend|best friend)\b",
        r"\b(?:classmates?|kaklase|teacher|crush|bf|gf|jowa)\s+ko\b",
    ],
    "educator": [
        r"\bmy\s+(?:students|pupils|learners|class|classroom)\b", r"\bour school\b",
        r"\b(?:mga\s+)?(?:estudyante|students?|mag-aaral|pupils?|learners?|advisee)\s+(?:ko|namin)\b",
        r"\bmga bata sa (?:klase|section|advisory class|classroom) (?:ko|namin)\b",
        r"\b(?:klase|advisory class|section) ko\b",
    ],
}

_COMPILED = {
    strength: {aud: [re.compile(p) for p in pats] for aud, pats in table.items()}
    for strength, table in (("strong", _STRONG), ("weak", _WEAK))
}


def _age(value: str) -> int | None:
    years = int(value)
    return years if 3 <= years <= 99 else None


_UNIT = r"\s*(?:yo|y/o|y\.o\.|yrs?\.? old|years? old|year-old|-year-old|taong gulang|anyos)"
_SELF_AGES = [
    re.compile(r"\b(?:i'?m|i am|im)\s+(?:only\s+|just\s+)?(?:a\s+)?(\d{1,2})" + _NOT_A_UNIT),
    re.compile(r"^\s*(\d{1,2})\s*(?:yo|y/o|yrs? old|years? old|m|f)\b"),
    re.compile(r"\b(\d{1,2})(?:" + _UNIT + r")?\s*(?:na|pa lang|pa lamang|palang)?\s*(?:po\s+)?ako\b"),
    re.compile(r"\b(?:edad ko|age ko|my age is|i turned)\s*(?:ay|is|:)?\s*(\d{1,2})\b"),
]
_CHILD_AGES = [
    re.compile(r"\bmy\s+(\d{1,2})" + _UNIT),
    re.compile(r"\bmy\s+" + _CHILD + r",?\s+(?:who\s+is\s+|is\s+|aged\s+|age\s+)?(\d{1,2})\b"
               + _NOT_A_UNIT),
    re.compile(r"\b" + _FIL_CHILD + r"\s+(?:ko|kong|namin|naming)\s+(?:na\s+)?(?:(?:mag-?\s?)?(?:edad\s+)?)?"
               r"(\d{1,2})" + _NOT_A_UNIT),
    re.compile(r"\b(\d{1,2})" + _UNIT + r"\s+(?:na\s+|kong\s+)?(?:" + _CHILD + r"|" + _FIL_CHILD + r")\b"),
]


_ADULT_SELF = re.compile(
    r"\b(?:i'?m|i am|im)\s+(?:an?\s+)?(?:adult|grown-?up|over 18|over eighteen|18\+|of legal age)\b"
    r"|\b(?:adult|nasa hustong gulang)\s+na\s+(?:po\s+)?ako\b|\bhindi na ako minor\b"
)


def mentioned_ages(text: str | None) -> dict[str, int]:
    """The ages a message gives, by whose: {"self": 16} for "I'm 16" / "14 na ako";
    {"child": 12} for "my 12yo" / "anak kong 15"."""
    ages: dict[str, int] = {}
    if not text:
        return ages
    lowered = _normalise(text)
    for whose, patterns in (("child", _CHILD_AGES), ("self", _SELF_AGES)):
        for pattern in patterns:
            found = pattern.search(lowered)
            if found and (years := _age(found.group(1))) is not None:
                ages[whose] = years
                break
    return ages


def mentioned_age(text: str | None) -> tuple[int, str] | None:
    """The first age given, and whose; the writer's own age first."""
    ages = mentioned_ages(text)
    whose = next((w for w in ("self", "child") if w in ages), None)
    return (ages[whose], whose) if whose else None


def says_adult(text: str | None) -> bool:
    """The writer says they are an adult ("I'm over 18", "adult na ako")."""
    return bool(text and _ADULT_SELF.search(_normalise(text)))


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
