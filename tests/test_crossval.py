"""The cross-validation summary: F1 and the most-confused pairs, from Rasa's reports."""

from __future__ import annotations

import json

from bot.crossval import confused_pairs, summary

REPORT = {
    "faq/a": {"f1-score": 0.9, "confused_with": {"faq/b": 3, "faq/c": 1}},
    "faq/b": {"f1-score": 0.8, "confused_with": {"faq/a": 2}},
    "faq/c": {"f1-score": 1.0, "confused_with": {}},
    "accuracy": 0.9,
    "macro avg": {"f1-score": 0.9},
    "weighted avg": {"f1-score": 0.88},
}


def test_pairs_add_up_both_directions():
    assert confused_pairs(REPORT) == [(5, "faq/a", "faq/b"), (1, "faq/a", "faq/c")]


def test_summary_prints_f1_and_pairs(tmp_path):
    (tmp_path / "response_selection_report.json").write_text(json.dumps(REPORT))
    text = summary(tmp_path)
    assert "topics   macro F1 0.900, weighted F1 0.880" in text
    assert "5  a <-> b" in text
