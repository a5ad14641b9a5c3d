"""The cross-validation summary: F1 and the most-confused pairs."""

from __future__ import annotations

import json

from bot.crossval import confused_pairs, summary, topic_report

REPORT = {
    "a": {"f1-score": 0.9, "confused_with": {"b": 3, "c": 1}},
    "b": {"f1-score": 0.8, "confused_with": {"a": 2}},
    "c": {"f1-score": 1.0, "confused_with": {}},
    "accuracy": 0.9,
    "macro avg": {"f1-score": 0.9},
    "weighted avg": {"f1-score": 0.88},
}


def test_pairs_add_up_both_directions():
    assert confused_pairs(REPORT) == [(5, "a", "b"), (1, "a", "c")]


def test_summary_prints_f1_and_pairs(tmp_path):
    (tmp_path / "topic_report.json").write_text(json.dumps(REPORT))
    text = summary(tmp_path)
    assert "topics   macro F1 0.900, weighted F1 0.880" in text
    assert "5  a <-> b" in text


def test_topic_report_finds_the_overlap():
    # Two labels share their wording; a third is distinct. The overlap is what is confused.
    texts = [f"how do i report {w} account" for w in "abcdefghij"] * 2 + [
        f"what is the weather in {w} city" for w in "abcdefghij"
    ]
    labels = ["report"] * 10 + ["report-too"] * 10 + ["weather"] * 10
    report = topic_report(texts, labels, folds=3)
    assert report["weather"]["f1-score"] == 1.0
    (count, a, b), *_ = confused_pairs(report)
    assert {a, b} == {"report", "report-too"} and count > 0
