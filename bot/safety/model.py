"""The crisis model: recall the rules lack, never a veto over them.

A linear model (bot/nlu/linear.py) that says, for a message, how likely each crisis
category is and how likely "none". It learns from data/safety/: thousands of crisis
messages and as many hard negatives, written by people who saw neither the rules nor any
evaluation set, in English, Filipino and Taglish; and from every example of the Rasa
data that is not a crisis (the vetted topics' questions, greetings, out of scope). The
rules still run first (bot/safety/detector.py): the model only adds hits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from sklearn.pipeline import Pipeline

from bot.nlu.linear import ranking
from bot.safety.detector import CATEGORIES

NONE = "none"
# libyaml's parser where PyYAML has it: the training data is thousands of messages.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CERTAIN, CHECK_IN = "certain", "check-in"


@dataclass(frozen=True)
class Guess:
    category: str  # the most likely crisis category
    score: float  # how likely any crisis is: 1 - P(none)


def examples(folder: Path) -> tuple[list[str], list[str]]:
    """The texts of data/safety/ and their labels: a category, or `none`."""
    texts, labels = [], []
    for path in sorted(folder.glob("*.yml")):
        for case in (yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}).get("cases", []):
            category = case["category"]
            if category != NONE and category not in CATEGORIES:
                raise ValueError(f"{path.name}: unknown category {category!r}")
            texts.append(case["text"])
            labels.append(category)
    return texts, labels


def guess(model: Pipeline, text: str) -> Guess:
    probabilities = dict(ranking(model, text))
    category = max(CATEGORIES, key=lambda name: probabilities.get(name, 0.0))
    return Guess(category, 1.0 - probabilities.get(NONE, 0.0))


def tier(score: float, certain: float, check_in: float) -> str | None:
    """A very high score is as sure as a rule; a middling one asks before it assumes."""
    if score >= certain:
        return CERTAIN
    if score >= check_in:
        return CHECK_IN
    return None
