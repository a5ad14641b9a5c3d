"""Rasa NLU component: a message that asks for a language is `choose_language`, whatever
the model said. "Tagalog po" or "/language" must switch reliably, so it is a rule
(bot/language.py). It sits before the crisis detector, which still outranks it."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import language

INTENT_NAME = "choose_language"
# Longer messages that name a language ("sagot ka sa tagalog, ano ang grooming") are
# questions too: the language is applied and the question answered (actions/context.py).
MAX_WORDS = 6


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageRequest(GraphComponent):
    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> LanguageRequest:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # the bot's own button payloads
                continue
            named = language.explicit_choice(text) and len(text.split()) <= MAX_WORDS
            if named or language.asks_to_change(text):
                intent = {"name": INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent], add_to_output=True)
        return messages
