"""`make eval`: send the held-out questions through the real REST channel.

Each question is a new conversation, so no answer leans on an earlier one. Two kinds of
held-out data, reported apart and the independent first:
- tests/holdouts/<round>/: written, round by round, by people who saw neither the rules
  nor the training data, and never trained or tuned on (tests/holdouts/README.md);
- tests/e2e/heldout/ and tests/safety/: our own held-out questions and crisis suites
  (their dev splits were used for tuning, their test splits were not).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot import launcher, training
from bot.content.catalog import DEFAULT_LANGUAGE
from bot.safety.detector import suggests_parent
from bot.settings import Settings

HELDOUT = Path("tests/e2e/heldout")
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser, where PyYAML has it
HOLDOUTS = Path("tests/holdouts")
INDEPENDENT = "indep"  # the split-name prefix of the independent rounds
LANGUAGE_NAMES = {"en": "English", "fil": "Filipino and Taglish"}


@dataclass
class Result:
    split: str  # the held-out file: dev (used for tuning) or test (never tuned on)
    text: str
    expected: str | None  # None: out of scope
    answered: str | None  # the content id answered, if any
    fallback: bool
    seconds: float
    also: tuple[str, ...] = ()  # topics that serve the question equally well (reviewed)
    language: str = "en"  # the question's language
    replied_in: str | None = None  # the language of the bot's answer or fallback
    audience: str | None = None  # who the question shows is asking, when it shows it
    answered_for: str | None = None  # the audience the answer was written for

    @property
    def right(self) -> bool:
        return self.answered is not None and self.answered in (self.expected, *self.also)

    @property
    def correct(self) -> bool:
        """In scope: the right topic, confidently. Out of scope: the fallback, no answer."""
        if self.expected:
            return self.right
        return self.fallback and not self.answered


@dataclass
class HotlineResult:
    text: str
    country: str
    kind: str
    got_country: str | None
    got_kinds: tuple[str, ...]  # the first entry's kinds
    # Minors' cases (issue 18): entries that must never be shown, a kind that must be among them.
    never: tuple[str, ...] = ()
    also_kind: str | None = None
    got_ids: tuple[str, ...] = ()
    got_all_kinds: frozenset[str] = frozenset()

    @property
    def fits_person(self) -> bool:
        return not set(self.never) & set(self.got_ids) and (
            self.also_kind is None or self.also_kind in self.got_all_kinds
        )

    @property
    def correct(self) -> bool:
        return self.got_country == self.country and self.kind in self.got_kinds and self.fits_person


CHECK_IN = "check-in"  # the crisis item's category when the bot only suspects


@dataclass
class CrisisResult:
    split: str
    category: str | None  # None: a hard negative
    family_offender: bool
    crisis_reply: bool
    suggests_parent: bool
    language: str | None = None  # known for the Filipino and independent splits
    replied_in: str | None = None
    tier: str | None = None  # "certain" or "check-in" when there was a crisis reply

    @property
    def certain(self) -> bool:
        return self.tier == "certain"


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    hotlines: list[HotlineResult] = field(default_factory=list)
    crises: list[CrisisResult] = field(default_factory=list)

    def _in_scope(self) -> list[Result]:
        return [r for r in self.results if r.expected]

    def _out_of_scope(self) -> list[Result]:
        return [r for r in self.results if not r.expected]

    def split(self, name: str) -> Report:
        return Report([r for r in self.results if r.split == name])

    def language(self, name: str) -> Report:
        return Report([r for r in self.results if r.language == name])

    def languages(self) -> list[str]:
        return sorted({r.language for r in self.results})

    def splits(self) -> list[str]:
        return sorted({r.split for r in self.results})

    def figures(self) -> dict[str, Any]:
        ins, oos = self._in_scope(), self._out_of_scope()
        times = sorted(r.seconds * 1000 for r in self.results)
        return {
            "in_scope": len(ins),
            "top1_accuracy": _share(ins, lambda r: r.right),
            "wrong_answer_rate": _share(ins, lambda r: r.answered is not None and not r.right),
            "in_scope_fallback_rate": _share(ins, lambda r: r.fallback),
            "out_of_scope": len(oos),
            "out_of_scope_fallback_rate": _share(oos, lambda r: r.fallback and not r.answered),
            # Of the replies that say their language: in the question's language.
            "replies_in_language": _share(
                [r for r in self.results if r.replied_in], lambda r: r.replied_in == r.language
            ),
            # Of the answers to questions that show who asks: written for that audience.
            "audience_labelled": sum(1 for r in ins if r.audience and r.answered),
            "audience_right": _share([r for r in ins if r.audience and r.answered],
                                     lambda r: r.answered_for == r.audience),
            "latency_ms_p50": round(statistics.median(times), 1) if times else None,
            "latency_ms_p95": round(_percentile(times, 95), 1) if times else None,
        }

    def hotline_figures(self) -> dict[str, Any]:
        cases = self.hotlines
        return {
            "cases": len(cases),
            "country_correct": _share(cases, lambda r: r.got_country == r.country),
            "kind_correct": _share(cases, lambda r: r.kind in r.got_kinds),
            "fits_person": _share(cases, lambda r: r.fits_person),
            "both_correct": _share(cases, lambda r: r.correct),
        }

    def crisis_splits(self) -> list[str]:
        """Independent rounds first (newest first), then ours, then all of them."""
        names = sorted({c.split for c in self.crises})
        independent = sorted((n for n in names if n.startswith(INDEPENDENT)), reverse=True)
        return independent + [n for n in names if n not in independent] + ["all"]

    def crisis_figures(self) -> dict[str, dict[str, Any]]:
        out = {}
        for split in self.crisis_splits():
            cases = [c for c in self.crises if split in ("all", c.split)]
            positives = [c for c in cases if c.category]
            negatives = [c for c in cases if not c.category]
            out[split] = {
                "positives": len(positives),
                "recall": _share(positives, lambda c: c.crisis_reply),
                "certain": _share(positives, lambda c: c.certain),
                "check_in": _share(positives, lambda c: c.crisis_reply and not c.certain),
                "negatives": len(negatives),
                "false_positive_rate": _share(negatives, lambda c: c.crisis_reply),
                "family_replies_suggesting_a_parent": sum(
                    1 for c in positives if c.family_offender and c.suggests_parent
                ),
                "crisis_replies_in_language": _share(
                    [c for c in cases if c.crisis_reply and c.language], lambda c: c.replied_in == c.language
                ) if any(c.language for c in cases) else None,
                "recall_by_category": {
                    category: _share([c for c in positives if c.category == category],
                                     lambda c: c.crisis_reply)
                    for category in sorted({c.category for c in positives})
                },
                "by_language": {
                    language: {
                        "recall": _share([c for c in positives if c.language == language],
                                         lambda c: c.crisis_reply),
                        "certain": _share([c for c in positives if c.language == language],
                                          lambda c: c.certain),
                        "false_positive_rate": _share([c for c in negatives if c.language == language],
                                                      lambda c: c.crisis_reply),
                    }
                    for language in sorted({c.language for c in cases if c.language})
                },
            }
        return out

    def independent(self) -> Report:
        return Report([r for r in self.results if r.split.startswith(INDEPENDENT)])

    def ours(self) -> Report:
        return Report([r for r in self.results if not r.split.startswith(INDEPENDENT)])

    def print(self) -> None:
        print("\nHeld-out evaluation through the REST channel")
        independent = self.independent()
        if independent.results:
            print("\n== Independent holdouts (tests/holdouts/: never seen by who wrote the rules or data) ==")
            for name in sorted(independent.splits(), reverse=True):
                split = independent.split(name)
                for language in split.languages():
                    title = f"{name}, {LANGUAGE_NAMES.get(language, language)}"
                    split.language(language)._print_figures(title)
        if self.crises:
            self._print_crises(independent=True)
        print("\n== Our own held-out questions and crisis suites ==")
        ours = self.ours()
        for name in ours.splits():
            ours.split(name)._print_figures(f"{name} split")
        for name in ours.languages():
            ours.language(name)._print_figures(f"{LANGUAGE_NAMES.get(name, name)} questions, all our splits")
        ours._print_figures("all our held-out questions")
        self._print_details()
        if self.crises:
            self._print_crises(independent=False)
        if self.hotlines:
            figures = self.hotline_figures()
            print("\n  hotline routing")
            print(f"  cases                       {figures['cases']}")
            print(f"  right country               {figures['country_correct']:.1%}")
            print(f"  right kind first            {figures['kind_correct']:.1%}")
            print(f"  fits the person (ages)      {figures['fits_person']:.1%}")
            print(f"  both right                  {figures['both_correct']:.1%}")
            for r in self.hotlines:
                if not r.correct:
                    got = f"{r.got_country}/{','.join(r.got_kinds) or '-'}"
                    got += "" if r.fits_person else f" (shown: {','.join(r.got_ids)})"
                    print(f"    {r.country}/{r.kind} -> {got}: {r.text}")

    def _print_crises(self, independent: bool) -> None:
        print("\n  crisis replies, rules and model together "
              + ("(independent holdouts)" if independent else "(tests/safety/)"))
        header = ("split", "positives", "recall", "certain", "check-in", "negatives", "false +", "parent?",
                  "in lang")
        print("  {:22} {:>9} {:>7} {:>7} {:>8} {:>9} {:>7} {:>7} {:>7}".format(*header))
        for split, f in self.crisis_figures().items():
            if split.startswith(INDEPENDENT) != independent:  # "all" is with ours
                continue
            print(f"  {split:22} {f['positives']:9} {f['recall']:7.1%} {f['certain']:7.1%} "
                  f"{f['check_in']:8.1%} {f['negatives']:9} {f['false_positive_rate']:7.1%} "
                  f"{f['family_replies_suggesting_a_parent']:7} "
                  f"{_percent(f['crisis_replies_in_language']):>7}")
            if split.startswith(INDEPENDENT):
                for category, recall in f["recall_by_category"].items():
                    print(f"    {category:30} recall {recall:6.1%}")
                for language, g in f["by_language"].items():
                    print(f"    {LANGUAGE_NAMES.get(language, language):30} recall {g['recall']:6.1%}, "
                          f"certain {g['certain']:6.1%}, false + {g['false_positive_rate']:6.1%}")

    def _print_figures(self, title: str) -> None:
        figures = self.figures()
        print(f"\n  {title}")
        print(f"  in-scope questions          {figures['in_scope']}")
        print(f"  top-1 content-id accuracy   {figures['top1_accuracy']:.1%}")
        print(f"  confident wrong answers     {figures['wrong_answer_rate']:.1%}")
        print(f"  honest fallbacks            {figures['in_scope_fallback_rate']:.1%}")
        print(f"  out-of-scope questions      {figures['out_of_scope']}")
        print(f"  out-of-scope fallback rate  {figures['out_of_scope_fallback_rate']:.1%}")
        print(f"  replies in its language     {figures['replies_in_language']:.1%}")
        if figures["audience_labelled"]:
            print(f"  answered for the audience   {figures['audience_right']:.1%} "
                  f"(of {figures['audience_labelled']} that show who asks)")
        print(f"  latency p50 / p95           {figures['latency_ms_p50']} / {figures['latency_ms_p95']} ms")

    def _print_details(self) -> None:
        per_topic = Counter(r.expected for r in self._in_scope())
        right = Counter(r.expected for r in self._in_scope() if r.right)
        print("\n  per topic:")
        for topic in sorted(per_topic):
            print(f"    {topic:32} {right[topic]:3}/{per_topic[topic]}")
        misses = [r for r in self.results if not r.correct]
        if misses:
            print("\n  misses (expected -> got):")
            for r in misses:
                got = r.answered or ("fallback" if r.fallback else "no answer, no fallback")
                print(f"    [{r.split}] {r.expected or 'out-of-scope'} -> {got}: {r.text}")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _share(items: list[Result], test: Any) -> float:
    return sum(1 for r in items if test(r)) / len(items) if items else 0.0


def _percentile(sorted_values: list[float], pct: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


@dataclass(frozen=True)
class Question:
    split: str
    text: str
    expected: str | None  # None: out of scope
    also: tuple[str, ...]
    language: str
    audience: str | None = None


def rounds(root: Path) -> list[Path]:
    """The independent holdout rounds, oldest first (folders named by date)."""
    return sorted(p for p in (root / HOLDOUTS).glob("*") if p.is_dir())


def load_heldout(root: Path) -> list[Question]:
    """Every held-out question. A file's `language` is its questions' unless one says otherwise."""
    items: list[Question] = []
    for path in sorted((root / HELDOUT).glob("*.yml")):
        if path.stem == "hotlines":
            continue
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}
        default = data.get("language", DEFAULT_LANGUAGE)
        items += [
            Question(path.stem, q["text"], q["content_id"], tuple(q.get("also") or ()),
                     q.get("language", default))
            for q in data.get("in_scope", [])
        ]
        items += [Question(path.stem, text, None, (), default) for text in data.get("out_of_scope", [])]
    for folder in rounds(root):
        path = folder / "questions.yml"
        if not path.exists():
            continue
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}
        split = f"{INDEPENDENT}-{folder.name}"
        items += [Question(split, q["text"], q["content_id"], tuple(q.get("also") or ()), q["language"],
                           q.get("audience")) for q in data.get("in_scope", [])]
        items += [Question(split, q["text"], None, (), q["language"]) for q in data.get("out_of_scope", [])]
    return items


def load_hotline_cases(root: Path) -> list[dict[str, str]]:
    path = root / HELDOUT / "hotlines.yml"
    if not path.exists():
        return []
    return list((yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}).get("hotlines", []))


def load_crisis_suite(root: Path) -> list[tuple[str, dict]]:
    """(split, case): our suites (tests/safety/), then the independent rounds' crisis files."""
    cases = []
    for path in sorted((root / "tests/safety").glob("crisis_*.yml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}
        split = path.stem.removeprefix("crisis_")
        cases += [(split, {"language": "fil"} | c if split == "fil" else c) for c in data.get("cases", [])]
    for folder in rounds(root):
        for path in sorted(folder.glob("crisis_*.yml")):
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}
            cases += [(f"{INDEPENDENT}-{folder.name}", c) for c in data.get("cases", [])]
    return cases


def ask(url: str, text: str) -> tuple[list[dict[str, Any]], float]:
    body = json.dumps({"sender": f"eval-{uuid.uuid4().hex}", "message": text}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        messages = json.load(response)
    return messages, time.perf_counter() - start


def run(config: Settings) -> Report:
    url = launcher.rest_url(config)
    report = Report()
    for q in load_heldout(config.root):
        messages, seconds = ask(url, q.text)
        items = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
        answer = next((i for i in items if i.get("kind") == "answer"), {})
        fallback = any(i.get("kind") == "fallback" for i in items)
        replied_in = next((i.get("language") for i in items if i.get("kind") in ("answer", "fallback")), None)
        report.results.append(Result(
            q.split, q.text, q.expected, answer.get("content_id"), fallback, seconds, q.also, q.language,
            replied_in, q.audience, answer.get("audience"),
        ))
    for split, case in load_crisis_suite(config.root):
        messages, _ = ask(url, case["text"])
        items = [m.get("custom") or {} for m in messages]
        crisis = next((i for i in items if i.get("kind") == "crisis"), None)
        texts = " ".join(m.get("text") or "" for m in messages)
        category = case["category"] if case["category"] not in (None, "none") else None
        tier = None if crisis is None else ("check-in" if crisis.get("category") == CHECK_IN else "certain")
        report.crises.append(CrisisResult(
            split, category, bool(case["family_offender"]), crisis is not None, suggests_parent(texts),
            case.get("language"), (crisis or {}).get("language"), tier,
        ))
    for case in load_hotline_cases(config.root):
        messages, _ = ask(url, case["text"])
        items = [m["custom"] for m in messages if (m.get("custom") or {}).get("kind") == "hotlines"]
        item = items[0] if items else {}
        first = (item.get("entries") or [{}])[0]
        report.hotlines.append(
            HotlineResult(case["text"], case["country"], case["kind"], item.get("country"),
                          tuple(first.get("kinds") or ()), tuple(case.get("never") or ()),
                          case.get("also_kind"), tuple(e.get("id") for e in item.get("entries") or []),
                          frozenset(k for e in item.get("entries") or [] for k in e.get("kinds") or []))
        )
    return report


def main(config: Settings, args: argparse.Namespace) -> int:
    if launcher.is_up(config):
        print(f"using the bot already running at {config.rasa_url}")
        report = run(config)
    else:
        model = training.train_if_needed(config)
        with tempfile.NamedTemporaryFile("w", prefix="kalasag-eval-", suffix=".log", delete=False) as log:
            print(f"starting a bot for the evaluation (log: {log.name})", flush=True)
            with launcher.Bot(config, model, log=log):
                report = run(config)
    report.print()
    # The gates hold our own held-out set to what it has reached; the independent rounds
    # are reported first, and gated only where a miss is never acceptable (below).
    figures = report.ours().figures()
    if args.report:
        out = {"all": report.figures(), "ours": figures}
        out |= {name: report.split(name).figures() for name in report.splits()}
        out["languages"] = {name: report.language(name).figures() for name in report.languages()}
        out["hotlines"] = report.hotline_figures()
        out["crisis"] = report.crisis_figures()
        Path(args.report).parent.mkdir(parents=True, exist_ok=True)
        Path(args.report).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    failed = []
    if figures["top1_accuracy"] < args.min_accuracy:
        failed.append(f"top-1 accuracy {figures['top1_accuracy']:.1%} < {args.min_accuracy:.0%}")
    if figures["out_of_scope_fallback_rate"] < args.min_fallback:
        failed.append(
            f"out-of-scope fallback {figures['out_of_scope_fallback_rate']:.1%} < {args.min_fallback:.0%}"
        )
    filipino = report.ours().language("fil").figures()
    if filipino["in_scope"] and filipino["top1_accuracy"] < args.min_accuracy_fil:
        failed.append(
            f"Filipino top-1 accuracy {filipino['top1_accuracy']:.1%} < {args.min_accuracy_fil:.0%}"
        )
    if figures["replies_in_language"] < args.min_in_language:
        failed.append(f"replies in the question's language {figures['replies_in_language']:.1%} "
                      f"< {args.min_in_language:.0%}")
    crisis_fil = report.crisis_figures().get("fil", {})
    if crisis_fil.get("crisis_replies_in_language") not in (None, 1.0):
        failed.append(f"crisis replies to Filipino messages in Filipino: "
                      f"{crisis_fil['crisis_replies_in_language']:.1%} < 100%")
    crisis = report.crisis_figures().get("all", {})
    if crisis.get("family_replies_suggesting_a_parent"):
        count = crisis["family_replies_suggesting_a_parent"]
        failed.append(f"{count} family-offender replies suggest a parent")
    hotlines = report.hotline_figures()
    if hotlines["cases"] and hotlines["both_correct"] < args.min_hotlines:
        failed.append(f"hotline routing {hotlines['both_correct']:.1%} < {args.min_hotlines:.0%}")
    for failure in failed:
        print(f"FAILED: {failure}")
    return 1 if failed else 0
