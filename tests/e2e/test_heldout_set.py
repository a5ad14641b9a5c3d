"""The held-out set stays honest: no sentence in it is trained on."""

from __future__ import annotations

from collections import Counter

import yaml

from bot.content.catalog import LANGUAGES, load, normalise_example
from bot.evaluation import load_crisis_suite, load_heldout, load_hotline_cases


def training_sentences(root) -> set[str]:
    sentences = set()
    for path in (root / "data").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu", []) if isinstance(data, dict) else []:
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    sentences.add(normalise_example(line.strip()[2:]))
    return sentences


def test_no_heldout_sentence_is_in_the_training_data(root):
    training = training_sentences(root)
    assert len(training) > 500
    texts = [q.text for q in load_heldout(root)] + [c["text"] for c in load_hotline_cases(root)]
    leaked = [text for text in texts if normalise_example(text) in training]
    assert leaked == []


def test_the_crisis_holdout_is_not_trained_on(root):
    training = training_sentences(root)
    holdout = [case["text"] for split, case in load_crisis_suite(root) if split == "holdout"]
    assert len(holdout) >= 200
    assert [text for text in holdout if normalise_example(text) in training] == []


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
