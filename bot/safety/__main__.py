"""`python -m bot.safety`: the crisis detector on the regression suite, with its figures.

Fails (exit 1) when, on the regression splits, recall on positives is below 99%, the
false-positive rate on negatives is above 2%, or a positive is put in the wrong
category. The holdout split (never used to build the detector) is printed as the
honest estimate for messages nobody has written rules for.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from bot import settings
from bot.safety.detector import detect

SUITE = Path("tests/safety")
HOLDOUT = "crisis_holdout"
MIN_RECALL = 0.99
MAX_FALSE_POSITIVES = 0.02


def load(path: Path) -> list[dict]:
    return list((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases", []))


def figures(cases: list[dict]) -> dict[str, float]:
    positives = [c for c in cases if c["category"]]
    negatives = [c for c in cases if not c["category"]]
    found = [(c, detect(c["text"])) for c in positives]
    return {
        "positives": len(positives),
        "recall": sum(1 for _, d in found if d) / max(1, len(positives)),
        "right_category": sum(1 for c, d in found if d and d.category == c["category"])
        / max(1, len(positives)),
        "family_flagged": sum(1 for c, d in found if c["family_offender"] and d and d.family_offender)
        / max(1, sum(1 for c in positives if c["family_offender"])),
        "negatives": len(negatives),
        "false_positive_rate": sum(1 for c in negatives if detect(c["text"])) / max(1, len(negatives)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety", description=__doc__)
    parser.parse_args(argv)
    root = settings.load().root
    regression: list[dict] = []
    print("Crisis detector (rules only)")
    header = ("split", "positives", "recall", "category", "family", "negatives", "false +")
    print("  {:18} {:>9} {:>7} {:>8} {:>7} {:>9} {:>7}".format(*header))
    for path in sorted((root / SUITE).glob("crisis_*.yml")):
        cases = load(path)
        if path.stem != HOLDOUT:
            regression += cases
        f = figures(cases)
        print(f"  {path.stem:18} {f['positives']:9} {f['recall']:7.1%} {f['right_category']:8.1%} "
              f"{f['family_flagged']:7.1%} {f['negatives']:9} {f['false_positive_rate']:7.1%}")
    f = figures(regression)
    print(f"  {'regression (gated)':18} {f['positives']:9} {f['recall']:7.1%} {f['right_category']:8.1%} "
          f"{f['family_flagged']:7.1%} {f['negatives']:9} {f['false_positive_rate']:7.1%}")
    failed = []
    if f["recall"] < MIN_RECALL:
        failed.append(f"recall {f['recall']:.1%} < {MIN_RECALL:.0%}")
    if f["false_positive_rate"] > MAX_FALSE_POSITIVES:
        failed.append(f"false positives {f['false_positive_rate']:.1%} > {MAX_FALSE_POSITIVES:.0%}")
    if f["right_category"] < f["recall"]:
        failed.append("some positives were put in the wrong category")
    for failure in failed:
        print(f"FAILED: {failure}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
