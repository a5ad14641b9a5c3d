"""Rasa NLU component: the intent (`faq`, `out_of_scope`, `greet`, `crisis`, ...), from the
same kind of linear model as the topic selector (bot/nlu/linear.py), in place of DIET.

Every `faq/<topic>` example counts as `faq`. docs/model.md has the figures that chose
it over DIET: the same held-out accuracy, training in seconds instead of minutes, and
a few milliseconds less per message.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear import LinearComponent


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class IntentClassifier(LinearComponent):
    FILE = "intent_classifier.joblib"

    def examples(self, training_data: TrainingData) -> tuple[list[str], list[str]]:
        kept = [(e.get(TEXT), e.get(INTENT)) for e in training_data.intent_examples if e.get(TEXT)]
        return [t for t, _ in kept], [i for _, i in kept]

    def annotate(self, message: Message, ranked: list[tuple[str, float]]) -> None:
        # Like DIET, always an intent: the fallback classifier after us needs one.
        items = [{INTENT_NAME_KEY: name, "confidence": p} for name, p in ranked]
        best = items[0] if items else {INTENT_NAME_KEY: None, "confidence": 0.0}
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, items, add_to_output=True)
