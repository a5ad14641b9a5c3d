"""Rasa NLU component: a message that asks for a language is `choose_language`, whatever
the model said. "Tagalog po" or "/language" must switch reliably, so it is a rule
(bot/language.py). It sits before the crisis detector, which still outranks it."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import language
from bot.nlu.rules import RuleComponent, set_intent

INTENT_NAME = "choose_language"
# Longer messages that name a language ("sagot ka sa tagalog, ano ang grooming") are
# questions too: the language is applied and the question answered (actions/context.py).
MAX_WORDS = 6


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageRequest(RuleComponent):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # the bot's own button payloads
                continue
            named = language.explicit_choice(text) and len(text.split()) <= MAX_WORDS
            if named or language.asks_to_change(text):
                set_intent(message, INTENT_NAME)
        return messages
