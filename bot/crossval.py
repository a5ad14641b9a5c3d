"""`make crossval`: k-fold cross-validation of the NLU on the training data.

Topics: our topic selector (bot/nlu/topic_selector.py), cross-validated on every
language's examples of the content catalog. Intents: `rasa test nlu --cross-validation`.
Both print the macro F1 and the most-confused pairs, which is where neighbouring
labels' examples overlap.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import classification_report
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from bot.content.catalog import LANGUAGES, cached
from bot.nlu.linear import build
from bot.settings import Settings

SEED = 2026


def run_intents(config: Settings, folds: int, out: Path) -> None:
    command = [
        sys.executable, "-m", "rasa", "test", "nlu", "--cross-validation", "--folds", str(folds),
        "--config", "config.yml", "--nlu", "data", "--domain", "domain.yml", "--out", str(out),
    ]
    subprocess.run(command, cwd=config.root, check=True)


def topic_report(texts: list[str], labels: list[str], folds: int) -> dict:
    """Rasa's report shape: label -> {f1-score, confused_with}, plus macro and weighted avg."""
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    predicted = cross_val_predict(build(), texts, labels, cv=split)
    report = classification_report(labels, predicted, output_dict=True, zero_division=0)
    confused: dict[str, Counter] = {label: Counter() for label in set(labels)}
    for truth, guess in zip(labels, predicted, strict=True):
        if truth != guess:
            confused[truth][guess] += 1
    for label, counts in confused.items():
        report[label]["confused_with"] = dict(counts.most_common())
    return report


def confused_pairs(report: dict) -> list[tuple[int, str, str]]:
    """(count, a, b) for each unordered pair of labels, by how often either was taken for the other."""
    pairs: dict[tuple[str, str], int] = {}
    for label, row in report.items():
        for other, count in (row.get("confused_with") or {}).items() if isinstance(row, dict) else ():
            key = tuple(sorted((label, other)))
            pairs[key] = pairs.get(key, 0) + count
    return sorted(((n, a, b) for (a, b), n in pairs.items()), reverse=True)


def summary(out: Path, top: int = 5) -> str:
    lines = ["Cross-validation (training data, k folds)"]
    for name, title in (("intent_report.json", "intents"), ("topic_report.json", "topics")):
        path = out / name
        if not path.exists():
            continue
        report = json.loads(path.read_text())
        macro = report.get("macro avg", {}).get("f1-score", 0.0)
        weighted = report.get("weighted avg", {}).get("f1-score", 0.0)
        lines.append(f"  {title:8} macro F1 {macro:.3f}, weighted F1 {weighted:.3f}")
        for count, a, b in confused_pairs(report)[:top]:
            lines.append(f"    {count:3}  {a} <-> {b}")
    return "\n".join(lines)


def main(config: Settings, folds: int) -> int:
    out = config.root / "results" / "crossval"
    out.mkdir(parents=True, exist_ok=True)
    catalog = cached(config.content_dir)
    pairs = [(e, t.id) for t in catalog.topics.values() for lang in LANGUAGES for e in t.examples[lang]]
    report = topic_report([e for e, _ in pairs], [t for _, t in pairs], folds)
    (out / "topic_report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    run_intents(config, folds, out)
    print(summary(out))
    return 0
