"""How hard an answer is to read: the Flesch-Kincaid grade, measured with textstat.

Each line of an answer counts as a sentence (a list item has no full stop of its own),
so bullet lists are not scored as one endless sentence.
"""

from __future__ import annotations

import re

import textstat

# The highest grade each audience's answers may need (the catalog issue's quality bar;
# educators are professionals, so a secondary-school level is enough).
MAX_GRADE = {"teen": 7.0, "parent": 9.0, "educator": 12.0}
# Flesch-Kincaid is calibrated on English only; Filipino texts are reviewed by people.
LANGUAGES = ("en",)

_BULLET = re.compile(r"^\s*(?:[•*\-]|\d+[.)])\s*")


def grade(text: str) -> float:
    sentences = []
    for line in text.splitlines():
        line = _BULLET.sub("", line).strip().rstrip(":;")
        if line:
            sentences.append(line if line[-1] in ".!?" else line + ".")
    return round(textstat.flesch_kincaid_grade(" ".join(sentences)), 1) if sentences else 0.0
