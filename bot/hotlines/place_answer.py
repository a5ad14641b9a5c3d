"""Rasa NLU component: a message that only names a place answers "which country?".

"Cebu", "nasa Davao po ako", "in the UK" are answers to the bot's question, whatever
the intent model guesses for such short texts. A message that says more than where
the writer is ("I'm in Cebu and someone is threatening me") is left to the model.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import settings
from bot.hotlines import places
from bot.nlu.rules import RuleComponent, set_intent

INTENT_NAME = "inform_country"
MAX_WORDS = 12
# What may surround a place name in a bare answer, in English and Filipino.
_FILLER = {
    "i", "im", "i'm", "am", "we", "we're", "are", "in", "from", "the", "live", "living", "based",
    "here", "at", "my", "country", "is", "it's", "its", "city", "province", "located", "currently",
    "po", "ako", "kami", "nasa", "taga", "dito", "sa", "andito", "nandito", "ang", "bansa", "namin",
    "ko", "lang", "yes", "oh", "ok", "okay", "please", "pls",
}


def is_place_answer(text: str | None) -> str | None:
    """The country code if the text is nothing but a place (and filler words)."""
    # Long place names have eight words; with filler, a bare answer stays under a dozen.
    if not text or len(text) > 80 or len(text.split()) > MAX_WORDS:
        return None
    lowered = places.normalise(text)
    places_file = settings.load().places_file
    known = places.words(places_file)
    if any(w not in _FILLER and w not in known for w in re.findall(r"[\w']+", lowered)):
        return None  # a word that is neither filler nor part of a place: said more than where
    found = places.mentions(text, places_file)
    if not found:
        return None
    for mention in found:
        lowered = lowered.replace(mention.name, " ")
    rest = [w for w in re.findall(r"[\w']+", lowered) if w not in _FILLER]
    if rest or len({m.country for m in found}) != 1:
        return None
    return found[0].country


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PlaceAnswer(RuleComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text and not text.startswith("/") and is_place_answer(text):
                set_intent(message, INTENT_NAME)
        return messages
