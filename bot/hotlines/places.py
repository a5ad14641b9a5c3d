"""Which country a message names: countries, demonyms, cities, provinces.

Names come from pycountry (every ISO country) and data/hotlines/places.yml
(common and local names, demonyms, cities, states and provinces). A message may
name where the writer is ("nasa Cebu po ako") and where someone else is ("he's
from the UK"); `Mention.self_cue` and `Mention.other_cue` tell them apart.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
import yaml

# ISO short names that are ordinary words, or too ambiguous to route on.
_SKIP = {"us", "in", "chad", "jordan", "georgia", "guinea", "niger", "jersey",
         "mali", "laos"}  # Filipino words: "wrong", "outdated"
# Regions bigger than a country: matched so that "south america" is not "america".
_REGIONS = {"south america", "latin america", "central america", "north america", "the americas",
            "africa", "asia", "southeast asia", "south east asia", "europe", "middle east", "oceania",
            "east asia", "west africa", "east africa", "the gulf", "caribbean", "scandinavia"}
# ISO names people don't use in conversation.
_DISPLAY = {"KR": "South Korea", "KP": "North Korea", "TW": "Taiwan", "RU": "Russia", "IR": "Iran",
            "VN": "Vietnam", "SY": "Syria", "LA": "Laos", "MD": "Moldova", "TZ": "Tanzania",
            "CD": "DR Congo", "PS": "Palestine", "VE": "Venezuela", "BO": "Bolivia", "GB": "the UK",
            "US": "the US", "PH": "the Philippines", "NL": "the Netherlands", "AE": "the UAE"}
# Upper-case abbreviations people use for countries, matched only in upper case.
_ABBREVIATIONS = {"UK": "GB", "US": "US", "USA": "US", "UAE": "AE", "KSA": "SA", "PH": "PH",
                  "NZ": "NZ", "HK": "HK", "RP": "PH"}
# Words that say the place is the writer's own ("I'm in", Filipino "nasa", "taga", "dito sa").
_SELF = re.compile(
    r"(?:\b(?:i'?m|i am|im|we'?re|we are|i live|we live|living|based|located|here|from here)"
    r"(?:\s+(?:in|at|from))?|\b(?:nasa|taga|dito sa|kami sa|ako sa|andito sa|nandito sa))"
    r"[\s,:-]*(?:the\s+)?$"
)
# Words that say the place is someone else's ("he's from", "the guy in").
_OTHER = re.compile(
    r"\b(?:he|she|they|him|her|them|guy|man|woman|person|offender|abuser|foreigner|stranger|"
    r"someone|somebody)\b(?:'s|\s+is|\s+are|\s+was|\s+lives|\s+living)?"
    r"(?:\s+\w+){0,2}\s+(?:in|from|at|sa|taga)\s+(?:the\s+)?$"
)


@dataclass(frozen=True)
class Mention:
    country: str
    name: str
    start: int
    self_cue: bool
    other_cue: bool


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("\u2019", "'").replace("\u2018", "'")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


@cache
def _index(places_file: Path) -> tuple[dict[str, str], re.Pattern]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(normalise(value), country.alpha_2)
    extra = yaml.safe_load(places_file.read_text(encoding="utf-8")) or {}
    for code, entries in extra.items():
        for name in entries or []:
            names[normalise(str(name))] = str(code)
    for name in list(names):
        names.setdefault(_strip_accents(name), names[name])
    for word in _SKIP:
        names.pop(word, None)
    for region in _REGIONS:
        names[region] = ""
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
    return names, pattern


@cache
def words(places_file: Path) -> frozenset[str]:
    """Every word of every place name (and abbreviation), as `normalise` writes it."""
    names, _ = _index(places_file)
    return frozenset(w for name in [*names, *_ABBREVIATIONS] for w in re.findall(r"[\w']+", normalise(name)))


def mentions(text: str, places_file: Path) -> list[Mention]:
    """Every place the text names, in order."""
    names, pattern = _index(places_file)
    lowered = normalise(text)
    found: list[Mention] = []
    for match in pattern.finditer(lowered):
        if not names[match.group(1)]:
            continue  # a region, not a country
        before = lowered[max(0, match.start() - 40) : match.start()]
        found.append(
            Mention(
                country=names[match.group(1)],
                name=match.group(1),
                start=match.start(),
                self_cue=bool(_SELF.search(before)),
                other_cue=bool(_OTHER.search(before)),
            )
        )
    for match in re.finditer(r"\b(" + "|".join(_ABBREVIATIONS) + r")\b", text):
        if not any(m.start == match.start() for m in found):
            before = lowered[max(0, match.start() - 40) : match.start()]
            found.append(
                Mention(_ABBREVIATIONS[match.group(1)], match.group(1), match.start(),
                        bool(_SELF.search(before)), bool(_OTHER.search(before)))
            )
    return sorted(found, key=lambda m: m.start)


def own_country(found: list[Mention]) -> str | None:
    """The writer's country: one said to be theirs, else the only one not said to be
    someone else's."""
    own = [m.country for m in found if m.self_cue]
    if own:
        return own[0]
    candidates = {m.country for m in found if not m.other_cue}
    return candidates.pop() if len(candidates) == 1 else None


def other_country(found: list[Mention], own: str | None) -> str | None:
    """Another person's country (an offender abroad), if the text names one."""
    others = [m.country for m in found if m.country != own and (m.other_cue or own)]
    return others[0] if others else None


def country_name(code: str) -> str:
    if code in _DISPLAY:
        return _DISPLAY[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def country_label(code: str) -> str:
    """The country's name for a button: "UK", not "the UK"."""
    name = country_name(code)
    return name[4:] if name.startswith("the ") else name
