"""Rasa NLU component: which vetted topic a `faq` question asks about.

A linear model on word and character n-grams. On our held-out dev splits it ranks the
right topic first far more often than Rasa's ResponseSelector (docs/model.md), is
seeded by construction, and trains in seconds. Its output has the ResponseSelector's
shape (`response_selector.faq.ranking`), so actions read either the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_union

RETRIEVAL_INTENT = "faq"
RANKING_LENGTH = 10
_FILE = "topic_selector.joblib"


def build(c: float = 100.0) -> Pipeline:
    """The untrained model: also what `make crossval` cross-validates."""
    features = make_union(
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        # Character n-grams inside words: typos, texting spellings and Taglish affixes.
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    return Pipeline([("features", features), ("model", LogisticRegression(C=c, max_iter=5000))])


def ranking(model: Pipeline, text: str, length: int = RANKING_LENGTH) -> list[tuple[str, float]]:
    probabilities = _probabilities(model, text)
    order = probabilities.argsort()[::-1][:length]
    return [(str(model.classes_[i]), float(probabilities[i])) for i in order]


def _probabilities(model: Pipeline, text: str) -> np.ndarray:
    """model.predict_proba([text])[0], in 1.5 ms instead of 6: scikit-learn multiplies the
    sparse features by the transposed (column-major) weights, which scipy copies each time."""
    features, classifier = model.named_steps["features"], model.named_steps["model"]
    if len(classifier.classes_) <= 2:  # binary: a sigmoid, not a softmax
        return model.predict_proba([text])[0]
    weights = getattr(model, "_kalasag_weights", None)
    if weights is None:
        weights = model._kalasag_weights = np.ascontiguousarray(classifier.coef_.T)
    return softmax((features.transform([text]) @ weights)[0] + classifier.intercept_)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class TopicSelector(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 100.0}

    def __init__(self, config: dict[str, Any], storage: ModelStorage, resource: Resource,
                 model: Pipeline | None = None) -> None:
        self.config, self.storage, self.resource, self.model = config, storage, resource, model

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TopicSelector:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = [], []
        for example in training_data.training_examples:
            key = example.get(INTENT_RESPONSE_KEY) or ""
            if key.startswith(f"{RETRIEVAL_INTENT}/") and example.get(TEXT):
                texts.append(example.get(TEXT))
                labels.append(key)
        if texts:
            self.model = build(self.config["C"]).fit(texts, labels)
            with self.storage.write_to(self.resource) as directory:
                joblib.dump(self.model, Path(directory) / _FILE)
        return self.resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> TopicSelector:
        try:
            with model_storage.read_from(resource) as directory:
                model = joblib.load(Path(directory) / _FILE)
        except (ValueError, FileNotFoundError):  # trained without any topic examples
            model = None
        return cls(config, model_storage, resource, model)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if self.model is None or not text or text.startswith("/"):
                continue
            ranked = [
                {"id": None, "intent_response_key": key, "confidence": confidence}
                for key, confidence in ranking(self.model, text)
            ]
            best = ranked[0]
            message.set("response_selector", {
                "all_retrieval_intents": [RETRIEVAL_INTENT],
                RETRIEVAL_INTENT: {
                    "response": {
                        **best, "responses": None, "utter_action": f"utter_{best['intent_response_key']}"
                    },
                    "ranking": ranked,
                },
            }, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
