"""Rasa NLU component: crises and disclosures, in tiers, whatever the intent model said.

It sits after the intent model in config.yml. First the rules (bot/safety/detector.py):
a hit is `certain`, and no model can remove it. Then the crisis model
(bot/safety/model.py) adds recall: a very high score is `certain` too, a middling one is
`check-in`, the reply that leads with help and asks before it assumes. Either sets the
intent to `crisis` and adds `crisis: {category, family_offender, tier}` to the parse data
for action_crisis. The family-offender rule holds in every tier.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import settings
from bot.nlu.linear import LinearComponent
from bot.nlu.rules import set_intent
from bot.safety import model as crisis_model
from bot.safety.detector import detect, family_offender

INTENT_NAME = "crisis"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CrisisDetector(LinearComponent):
    FILE = "crisis_model.joblib"

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Thresholds chosen on development data only (docs/safety.md), never on a holdout.
        return {"data": "data/safety", "C": 10.0, "certain": 0.8, "check_in": 0.5}

    def examples(self, training_data: TrainingData) -> tuple[list[str], list[str]]:
        texts, labels = crisis_model.examples(settings.load().root / self.config["data"])
        # Every other example the bot learns from is, by construction, not a crisis.
        for example in training_data.intent_examples:
            if example.get(TEXT) and example.get(INTENT) != INTENT_NAME:
                texts.append(example.get(TEXT))
                labels.append(crisis_model.NONE)
        return texts, labels

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text or text.startswith("/"):  # button payloads are the bot's own
                continue
            found = self.classify(text)
            if found:
                set_intent(message, INTENT_NAME)
                message.set("crisis", found, add_to_output=True)
            elif (message.get(INTENT) or {}).get("name") == INTENT_NAME:
                _next_best(message)  # the intent model's guess alone is not enough
        return messages

    def classify(self, text: str) -> dict[str, Any] | None:
        crisis = detect(text)
        if crisis:
            return crisis.as_dict() | {"tier": crisis_model.CERTAIN}
        if self.model is None:
            return None
        guess = crisis_model.guess(self.model, text)
        tier = crisis_model.tier(guess.score, self.config["certain"], self.config["check_in"])
        if tier is None:
            return None
        return {"category": guess.category, "family_offender": family_offender(text), "tier": tier}


def _next_best(message: Message) -> None:
    """The ranking without `crisis`, renormalised: the confidences given "not a crisis",
    so the fallback threshold judges the next intent on its own merits."""
    full = message.get(INTENT_RANKING_KEY) or []
    rest = sum(float(r.get("confidence") or 0.0) for r in full if r.get("name") != INTENT_NAME)
    ranking = [
        {**r, "confidence": float(r.get("confidence") or 0.0) / rest}
        for r in full
        if r.get("name") != INTENT_NAME and rest > 0
    ]
    if ranking:
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
