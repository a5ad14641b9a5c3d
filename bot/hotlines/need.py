"""What kind of help someone needs, and which services meet it best.

A need is an ordered list of service kinds. It comes from what the message says
("report", "he's threatening to post my pics"), else from the topic being
discussed, else from who is asking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.hotlines.registry import Emergency, Registry, Service

NEEDS: dict[str, tuple[str, ...]] = {
    # Someone found abuse material or wants to report an offender.
    "report": ("csam-report", "police-cyber", "child-helpline", "family-support"),
    # Images are being used to threaten, or must be taken down.
    "sextortion": ("sextortion-takedown", "police-cyber", "csam-report", "child-helpline"),
    # A child or teen who is upset, scared or needs someone to talk to.
    "distress": ("child-helpline", "mental-health", "family-support"),
    # Danger now: the emergency number always leads.
    "crisis": ("emergency", "child-helpline", "mental-health", "police-cyber"),
    # Suicide or self-injury: a crisis line first.
    "self-harm": ("mental-health", "child-helpline", "family-support"),
    # A disclosure of sexual abuse: people who listen, then protection and reporting.
    "abuse": ("child-helpline", "family-support", "police-cyber", "csam-report", "mental-health"),
    # A parent or educator who needs advice about a child.
    "advice": ("child-helpline", "family-support", "csam-report", "police-cyber", "mental-health"),
}
DEFAULT_NEED = "advice"

_CUES: list[tuple[str, re.Pattern]] = [
    ("crisis", re.compile(r"\b(emergency|in danger|kill (my)?self|suicid\w*)\b")),
    ("sextortion", re.compile(
        r"\b(sextort\w*|blackmail\w*|threat\w*|take (it|them|my \w+) down|takedown|taken down|"
        r"leak\w*|remove (my|the|her|his) (pic|photo|image|video|nude)\w*|"
        r"unless (i|we|you|she|he) (pay|send)|(or|unless) (he|she|they|hell|shell|theyll)('ll| will)? "
        r"(send|post|share|leak|spread|upload)|"
        r"\w*kalat\w*|\w*banta\w*|\w*tanggal\w*|ipa-?delete|ipabura)\b")),
    ("report", re.compile(
        r"\b(\w*report\w*|cybertip\w*|csam|abuse (material|images?|videos?)|child porn\w*|"
        r"police|pulis|nbi|\w*sumbong\w*)\b")),
    ("distress", re.compile(
        r"\b(talk to (someone|somebody|a person|a human)|(someone|somebody|anyone) to talk to|support|"
        r"(ring|call|text|phone)\b.{0,10}\btalk|"
        r"bull(y|ied|ying)|counsel+or\w*|lonely|sad|scared|"
        r"depress\w*|anxious|anxiety|upset|kausap|feel\w* (really |so |very )?(low|down))\b")),
]


# The message asks who to contact, not only what to do.
_CONTACT = re.compile(
    r"\b(numbers?|hotlines?|helplines?|contacts?|numero|kausap|makausap|\w*tawag\w*)\b"
    r"|\b(who|where|whom|someone|somebody|anyone|saan|sino|kanino)\b.{0,40}?"
    r"\b(\w*report\w*|complain|call|ring|contact|talk|tell|send|text|txt|turn|go|help|take|"
    r"\w*sumbong\w*|lapitan|puntahan)\b"
    r"|\bhow (do|can|to|should) (i |we )?(report|complain|contact)\b"
    r"|^\W*(i (want|need) to |want to |need to )?report(ing)?\b"  # "report csam singapore"
    r"|\b(pano|paano)(ng)?\s+(mag-?\s?|i-?)?report\b"
)


def wants_contact(text: str | None) -> bool:
    return bool(_CONTACT.search((text or "").casefold()))


# Words that make a request about child safety, not about potholes or parcels.
_SAFETY = re.compile(
    r"\b(abus\w*|csam|child porn\w*|nudes?|naked|predator\w*|groom\w*|exploit\w*|molest\w*|"
    r"rap(e|ed|ist)|sexual\w*|sextort\w*|pedo\w*|bata|anak|hubad|malaswa\w*)\b"
)


def asks_for_help(text: str | None) -> bool:
    """Asks who to contact about a safety need, whatever the intent model thought."""
    need = need_from_text(text)
    lowered = (text or "").casefold()
    safety = need in ("sextortion", "distress", "crisis") or bool(_SAFETY.search(lowered))
    return wants_contact(text) and safety


def need_from_text(text: str | None) -> str | None:
    lowered = (text or "").casefold()
    for need, pattern in _CUES:
        if pattern.search(lowered):
            return need
    return None


def resolve(text: str | None, topic_need: str | None, audience: str | None) -> str:
    """The message's own cue wins, then the topic's, then who is asking."""
    need = need_from_text(text) or (topic_need if topic_need in NEEDS else None)
    if need:
        return need
    return "distress" if audience == "teen" else DEFAULT_NEED


def rank(
    services: Iterable[Service], need: str, audience: str | None = None, minor: bool | None = None
) -> list[Service]:
    """Services ordered by how well they meet the need: first by the need's kinds,
    then, for a minor's case, the services for minors, then those that say they serve
    this audience, then file order."""
    kinds = NEEDS.get(need, NEEDS[DEFAULT_NEED])
    services = list(services)

    def key(indexed: tuple[int, Service]) -> tuple[int, int, int, int]:
        position, service = indexed
        best = min((kinds.index(k) for k in service.kinds if k in kinds), default=len(kinds))
        young = 0 if not minor or service.for_minors else 1
        fits = 0 if not service.audiences or audience in service.audiences else 1
        return best, young, fits, position

    ranked = [s for _, s in sorted(enumerate(services), key=key)]
    return [s for s in ranked if any(k in kinds for k in s.kinds)] or ranked


def named_service(registry: Registry, text: str | None) -> Service | None:
    """A service the message asks for by name ("what's the Bantay Bata number"): the one
    with the longest name found, the first in the registry among equals."""
    lowered = " ".join(re.findall(r"[\w']+", (text or "").casefold()))
    return next((service for pattern, service in registry.names if pattern.search(lowered)), None)


def emergency_entry(emergency: Emergency, what_happens: str) -> dict[str, object]:
    """The emergency number as an entry of the reply contract."""
    return {
        "id": f"{emergency.country.lower()}-emergency",
        "name": "Emergency",
        "kinds": ["emergency"],
        "phone": emergency.numbers[0],
        "phone_display": emergency.numbers[0],
        "other_phones": list(emergency.numbers[1:]),
        "what_happens": what_happens,
        "source_url": emergency.source_url,
        "verified_on": emergency.verified_on.isoformat(),
    }


# The writer cannot speak out loud or call: chat, SMS and online forms first.
_CANNOT_CALL = re.compile(
    r"\b(?:can'?t|cannot|can not|unable to|don'?t want to|afraid to|scared to)\s+"
    r"(?:make a\s+|phone\s+|really\s+)?"
    r"(?:call|ring|phone|talk out loud|talk aloud|speak out loud|"
    r"(?:talk|speak)(?!\s+(?:to|with|about|abt)\b))\b"
    r"|\b(?:they|he|she|someone|my (?:mom|dad|parents|family))\s*(?:'ll| will|could|might|would)?\s*hear\b"
    r"|\b(?:di|hindi|d)\s*(?:po\s+)?(?:ako|ko)?\s*(?:po\s+)?(?:maka-?tawag|makatawag|maka-?call|makapagsalita|"
    r"pwedeng tumawag|puwedeng tumawag|pwede tumawag|makapag-?salita)\b"
    r"|\bbawal (?:ako )?(?:tumawag|mag-?call)\b|\b(?:baka|ma)?ririnig nila\b|\bmarinig nila\b"
    r"|\btext (?:lang|only)\b|\bchat (?:lang|only)\b|\b(?:only|just) (?:text|chat)\b"
)


def cannot_call(text: str | None) -> bool:
    return bool(_CANNOT_CALL.search((text or "").casefold().replace("\u2019", "'")))
