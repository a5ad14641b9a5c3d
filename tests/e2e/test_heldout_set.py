"""The held-out set stays honest: no sentence in it is trained on."""

from __future__ import annotations

from collections import Counter

import yaml

from bot.content.catalog import LANGUAGES, load, normalise_example
from bot.evaluation import INDEPENDENT, load_crisis_suite, load_heldout, load_hotline_cases, rounds
from bot.safety import model as crisis_model


def training_sentences(root) -> set[str]:
    sentences = set()
    for path in (root / "data").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []) if isinstance(data, dict) else []:
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    sentences.add(normalise_example(line.strip()[2:]))
    return sentences


def crisis_training_sentences(root) -> set[str]:
    """The crisis model's own training messages (data/safety/), beside Rasa's data."""
    return {normalise_example(text) for text in crisis_model.examples(root / "data/safety")[0]}


def test_no_heldout_sentence_is_in_the_training_data(root):
    training = training_sentences(root) | crisis_training_sentences(root)
    assert len(training) > 500
    texts = [q.text for q in load_heldout(root)] + [c["text"] for c in load_hotline_cases(root)]
    leaked = [text for text in texts if normalise_example(text) in training]
    assert leaked == []


def test_the_crisis_holdouts_are_not_trained_on(root):
    training = training_sentences(root) | crisis_training_sentences(root)
    for name in ("holdout", *(f"{INDEPENDENT}-{r.name}" for r in rounds(root))):
        holdout = [case["text"] for split, case in load_crisis_suite(root) if split == name]
        assert len(holdout) >= 200, name
        assert [text for text in holdout if normalise_example(text) in training] == [], name


def test_there_is_an_independent_round_with_every_category_in_both_languages(root):
    newest = f"{INDEPENDENT}-{rounds(root)[-1].name}"
    cases = [case for split, case in load_crisis_suite(root) if split == newest]
    seen = {(c["category"], c["language"]) for c in cases}
    categories = {"imminent-danger", "self-harm", "sexual-abuse-disclosure", "threat", "none"}
    assert {(c, lang) for c in categories for lang in ("en", "fil")} <= seen


def test_heldout_questions_are_not_repeated(root):
    counts = Counter(normalise_example(q.text) for q in load_heldout(root))
    assert [t for t, n in counts.items() if n > 1] == []


def test_every_topic_has_at_least_five_heldout_questions_per_split(root):
    topics = set(load(root / "data/content").topics)
    per_split: dict[str, Counter] = {}
    for q in load_heldout(root):
        per_split.setdefault(q.split, Counter())[q.expected] += 1
        assert set(q.also) <= topics, f"{q.split}: unknown topics in also: {q.also}"
        assert q.language in LANGUAGES
    assert {"dev", "test"} <= set(per_split)
    assert {"fil_dev", "fil_test"} <= set(per_split)
    for split, counts in per_split.items():
        assert set(counts) - {None} <= topics, f"{split} names unknown topics"
        # The Filipino splits add to the English ones: at least 120 questions, every topic.
        least = 3 if split.startswith("fil_") else 5
        short = {t: counts[t] for t in topics if counts[t] < least}
        assert short == {}, f"{split} has fewer than {least} questions for {short}"
        assert sum(counts.values()) - counts[None] >= (120 if split.startswith("fil_") else 0)
        assert counts[None] >= 30, f"{split} needs out-of-scope questions"
