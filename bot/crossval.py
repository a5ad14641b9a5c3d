"""`make crossval`: k-fold cross-validation of the NLU on the training data.

Runs `rasa test nlu --cross-validation`, then prints the macro F1 of the intents and of
the topics (the response selector's `faq/<id>` keys) and the most-confused topic pairs,
which is where neighbouring topics' examples overlap.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.settings import Settings


def run(config: Settings, folds: int, out: Path) -> None:
    command = [
        sys.executable, "-m", "rasa", "test", "nlu", "--cross-validation", "--folds", str(folds),
        "--config", "config.yml", "--nlu", "data", "--domain", "domain.yml", "--out", str(out),
    ]
    subprocess.run(command, cwd=config.root, check=True)


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
    for name, title in (("intent_report.json", "intents"), ("response_selection_report.json", "topics")):
        path = out / name
        if not path.exists():
            continue
        report = json.loads(path.read_text())
        macro = report.get("macro avg", {}).get("f1-score", 0.0)
        weighted = report.get("weighted avg", {}).get("f1-score", 0.0)
        lines.append(f"  {title:8} macro F1 {macro:.3f}, weighted F1 {weighted:.3f}")
        for count, a, b in confused_pairs(report)[:top]:
            lines.append(f"    {count:3}  {a.removeprefix('faq/')} <-> {b.removeprefix('faq/')}")
    return "\n".join(lines)


def main(config: Settings, folds: int) -> int:
    out = config.root / "results" / "crossval"
    run(config, folds, out)
    print(summary(out))
    return 0
