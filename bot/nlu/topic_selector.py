"""Rasa NLU component: which vetted topic a `faq` question asks about.

A linear model (bot/nlu/linear.py). On our held-out dev splits it ranks the right topic
first far more often than Rasa's ResponseSelector (docs/model.md), and trains in seconds.
Its output has the ResponseSelector's shape (`response_selector.faq.ranking`), so actions
read either the same way.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear import LinearComponent

RETRIEVAL_INTENT = "faq"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicSelector(LinearComponent):
    FILE = "topic_selector.joblib"

    def examples(self, training_data: TrainingData) -> tuple[list[str], list[str]]:
        pairs = [(e.get(TEXT), e.get(INTENT_RESPONSE_KEY) or "") for e in training_data.training_examples]
        kept = [(text, key) for text, key in pairs if text and key.startswith(f"{RETRIEVAL_INTENT}/")]
        return [t for t, _ in kept], [k for _, k in kept]

    def annotate(self, message: Message, ranked: list[tuple[str, float]]) -> None:
        if not ranked:
            return
        items = [{"id": None, "intent_response_key": key, "confidence": p} for key, p in ranked]
        best = {**items[0], "responses": None, "utter_action": f"utter_{items[0]['intent_response_key']}"}
        message.set("response_selector", {
            "all_retrieval_intents": [RETRIEVAL_INTENT],
            RETRIEVAL_INTENT: {"response": best, "ranking": items},
        }, add_to_output=True)
