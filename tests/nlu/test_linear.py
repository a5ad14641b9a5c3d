"""The linear models' own prediction path gives scikit-learn's predict_proba, exactly."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.shared.nlu.training_data.loading import load_data

from bot.nlu.linear import _probabilities, build, ranking


@pytest.fixture(scope="module")
def examples(root):
    data = load_data(str(root / "data" / "nlu"))
    pairs = [(e.get("text"), e.get("intent")) for e in data.intent_examples if e.get("text")]
    return pairs[::7]  # a seventh of them: quick, and every intent is there


def test_the_fast_path_is_predict_proba(examples):
    texts, labels = zip(*examples, strict=True)
    model = build(100.0).fit(texts, labels)
    probes = [*texts[:300], "", "   ", "zzzz qqqq", "Ñoño 😀 — ¿qué?", "a" * 500]
    for text in probes:
        assert np.abs(_probabilities(model, text) - model.predict_proba([text])[0]).max() < 1e-12
    assert ranking(model, texts[0], 3)[0][0] == model.predict([texts[0]])[0]


def test_two_labels_use_a_sigmoid():
    texts = ["yes please", "no thanks", "yes", "no", "sure", "nope"]
    model = build(1.0).fit(texts, ["y", "n"] * 3)
    for text in ("yes", "no way", "maybe", ""):
        assert np.abs(_probabilities(model, text) - model.predict_proba([text])[0]).max() < 1e-12
