"""`make bench`: Kalasag and Rasa's own starter bot, each trained from cold, started, and
measured the same way through the REST channel; our figures as ratios against the
starter's, beside the targets (issue 9). Not part of `make test`: it takes about 40 minutes.

Both bots stay up, and the load alternates between them in rounds, so that the machine's
own ups and downs (a fifth either way from minute to minute here) fall on both alike; the
idle one costs nothing. The load generator shares the machine, so throughput figures are
conservative. Throughput counts answered turns: an empty reply is not an answer.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bot import settings
from bot.bench import load, processes, subjects

TARGETS = {
    "single_p50_ms": 25.0, "single_p95_ms": 60.0, "throughput_50_vs_starter": 3.0,
    "p95_at_50_ms": 1000.0, "first_answer_s": 30.0, "rasa_peak_mb": 380, "total_peak_mb": 550,
}


def measure(bots: list[subjects.Subject], args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Every figure for every bot. Load windows alternate between the bots, a few rounds
    each, so that the machine's own ups and downs fall on both alike; the soaks run one
    after the other, each bot alone."""
    results: dict[str, dict[str, Any]] = {}
    for bot in bots:
        print(f"== {bot.name}: first answer {bot.first_answer_seconds:.1f} s after start", flush=True)
        results[bot.key] = {
            "training_seconds": round(bot.training_seconds, 1),
            "first_answer_seconds": round(bot.first_answer_seconds, 1),
            "idle_rss_mb": {role: round(processes.rss_mb(pid, children=role != "launcher"))
                            for role, pid in bot.pids.items()},
            "concurrent": {},
        }

    def alternate(label: str, run: Any) -> dict[str, load.Figures]:
        figures = {bot.key: load.Figures() for bot in bots}
        for _ in range(args.rounds):
            for bot in bots:
                figures[bot.key] += asyncio.run(run(bot))
        for bot in bots:
            print(f"   {bot.name}, {label}: {figures[bot.key].as_dict()}", flush=True)
        return figures

    single = alternate("single user", lambda bot: load.single_user(
        bot.urls, bot.script, args.turns // args.rounds))
    for bot in bots:
        results[bot.key]["single_user"] = single[bot.key].as_dict()
    for users in args.users:
        together = alternate(f"{users} at once", lambda bot, users=users: load.closed_loop(
            bot.urls, bot.script, users, args.window / args.rounds))
        for bot in bots:
            results[bot.key]["concurrent"][str(users)] = together[bot.key].as_dict()

    for bot in bots:
        if args.soak:
            results[bot.key]["soak"] = soak(bot, args)
            print(f"   {bot.name}, soak: {results[bot.key]['soak']}", flush=True)
        results[bot.key]["peak_rss_mb"] = peak_memory(bot.pids)
        print(f"   {bot.name}, peak RSS: {results[bot.key]['peak_rss_mb']} MB", flush=True)
    return results


def peak_memory(pids: dict[str, int]) -> dict[str, int]:
    """Each process's peak resident memory, MB: a server with its workers, the launcher
    alone (its servers are its children)."""
    return {role: round(processes.peak_rss_mb(pid, children=role != "launcher"))
            for role, pid in pids.items()}


def soak(bot: subjects.Subject, args: argparse.Namespace) -> dict[str, float]:
    samples: list[tuple[float, float]] = []
    rasa = [pid for role, pid in bot.pids.items() if role.startswith("rasa")]
    start = time.monotonic()

    def sample() -> None:
        samples.append((time.monotonic() - start, sum(processes.rss_mb(p) for p in rasa)))

    figures = asyncio.run(load.closed_loop(bot.urls, bot.script, args.soak_users, args.soak,
                                           warm_up=0, every=10, sample=sample))
    return {**figures.as_dict(), **drift(samples)}


def drift(samples: list[tuple[float, float]]) -> dict[str, float]:
    """Rasa server memory: the mean of the last sixth of the soak against the second sixth
    (the first is warm-up)."""
    if len(samples) < 6:
        return {}
    sixth = len(samples) // 6
    early = statistics.mean(rss for _, rss in samples[sixth:2 * sixth])
    late = statistics.mean(rss for _, rss in samples[-sixth:])
    return {"rss_early_mb": round(early), "rss_late_mb": round(late),
            "drift_pct": round((late - early) / early * 100, 1)}


def report(ours: dict[str, Any], starter: dict[str, Any] | None, args: argparse.Namespace) -> None:
    def ratio(a: float, b: float | None) -> str:
        return f"{a / b:.2f}x" if b else "-"

    def row(label: str, a: float, b: float | None, target: str = "", met: bool | None = None) -> None:
        verdict = "" if met is None else ("met" if met else "NOT MET")
        b_text = "-" if b is None else f"{b:,.1f}"
        print(f"  {label:<38}{a:>10,.1f}{b_text:>12}{ratio(a, b):>9}  {target:<22}{verdict}")

    other = starter or {}
    print(f"\nKalasag vs Rasa's starter bot ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores; the load generator shares them)")
    print(f"  {'':<38}{'Kalasag':>10}{'starter':>12}{'ratio':>9}  target")
    s, t = ours["single_user"], other.get("single_user", {})
    row("single user p50, ms", s["p50_ms"], t.get("p50_ms"), "<= 25 ms",
        s["p50_ms"] <= TARGETS["single_p50_ms"])
    row("single user p95, ms", s["p95_ms"], t.get("p95_ms"), "<= 60 ms",
        s["p95_ms"] <= TARGETS["single_p95_ms"])
    row("single user p99, ms", s["p99_ms"], t.get("p99_ms"))
    row("turns with no reply, %", 100 * s["unanswered"] / s["turns"],
        100 * t["unanswered"] / t["turns"] if t else None)
    for users, figures in ours["concurrent"].items():
        theirs = other.get("concurrent", {}).get(users, {})
        if users == "50":
            enough = figures["answered_per_second"] >= 3 * theirs["answered_per_second"] if theirs else None
            row("50 at once: answered/s", figures["answered_per_second"], theirs.get("answered_per_second"),
                ">= 3x starter", enough)
            row("50 at once: p95, ms", figures["p95_ms"], theirs.get("p95_ms"), "< 1 s",
                figures["p95_ms"] < TARGETS["p95_at_50_ms"])
        else:
            row(f"{users} at once: answered/s", figures["answered_per_second"],
                theirs.get("answered_per_second"))
            row(f"{users} at once: p95, ms", figures["p95_ms"], theirs.get("p95_ms"))
    rasa_ours = sum(v for k, v in ours["peak_rss_mb"].items() if k.startswith("rasa"))
    rasa_theirs = sum(v for k, v in other.get("peak_rss_mb", {}).items() if k.startswith("rasa")) or None
    row("peak RSS, Rasa server, MB", rasa_ours, rasa_theirs, "<= 380 MB, starter's",
        rasa_ours <= TARGETS["rasa_peak_mb"] and (rasa_theirs is None or rasa_ours <= rasa_theirs))
    for role, mb in ours["peak_rss_mb"].items():
        if not role.startswith("rasa"):
            row(f"peak RSS, {role}, MB", mb, None)
    total = sum(ours["peak_rss_mb"].values())
    row("peak RSS, all processes, MB", total, rasa_theirs, "<= 550 MB", total <= TARGETS["total_peak_mb"])
    first = ours["first_answer_seconds"]
    row("start to first answer, s", first, other.get("first_answer_seconds"), "<= 30 s",
        first <= TARGETS["first_answer_s"])
    row("training from cold, s", ours["training_seconds"], other.get("training_seconds"))
    if "soak" in ours:
        theirs = other.get("soak", {})
        row(f"memory drift over {args.soak // 60} min soak, %", ours["soak"].get("drift_pct", 0.0),
            theirs.get("drift_pct"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.bench", description=__doc__)
    parser.add_argument("--turns", type=int, default=400, help="single-user turns")
    parser.add_argument("--users", type=lambda s: [int(u) for u in s.split(",")], default=[1, 10, 50])
    parser.add_argument("--window", type=float, default=30, help="seconds measured per concurrency")
    parser.add_argument("--rounds", type=int, default=3, help="alternations between the bots")
    parser.add_argument("--soak", type=int, default=600, help="soak seconds (0: none)")
    parser.add_argument("--soak-users", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1, help="Sanic workers (needs --profile scale)")
    parser.add_argument("--profile", choices=("embedded", "scale"), default="embedded")
    parser.add_argument("--model", type=Path, help="measure this model instead of training one")
    parser.add_argument("--only", choices=("kalasag", "starter"), help="measure one bot only")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the servers")
    parser.add_argument("--report", type=Path, default=Path("results/bench.json"))
    args = parser.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)

    config = settings.load()
    folder = Path(tempfile.mkdtemp(prefix="kalasag-bench-"))
    results: dict[str, Any] = {"arguments": {k: str(v) for k, v in vars(args).items()}}
    log_path = folder / "servers.log"
    print(f"bench folder (logs, models): {folder}", flush=True)
    bots: list[subjects.Subject] = []
    try:
        with log_path.open("w") as log:
            if args.only != "starter":
                if args.model:
                    model, training = args.model, float("nan")
                else:
                    print("training Kalasag from cold ...", flush=True)
                    model, training = subjects.train_kalasag(config, folder, log)
            if args.only != "kalasag":
                print("building Rasa's starter bot (rasa init --no-prompt) ...", flush=True)
                starter_model, starter_training = subjects.build_starter(folder / "starter", log)
            # Each starts while the other, if up, is idle; then both stay up for the load.
            if args.only != "starter":
                bots.append(subjects.start_kalasag(
                    subjects.bench_settings(config, 5705, 5755, folder, args.profile, args.workers),
                    model, training, log, env,
                ))
            if args.only != "kalasag":
                bots.append(subjects.start_starter(folder / "starter", starter_model, 5805,
                                                   starter_training, log, env))
            results.update(measure(bots, args))
    except Exception:
        print(f"the bench failed; server log: {log_path}", flush=True)
        raise
    finally:
        for bot in bots:
            bot.stop()
    if "kalasag" in results:
        report(results["kalasag"], results.get("starter"), args)
    args.report.parent.mkdir(parents=True, exist_ok=True)
    args.report.write_text(json.dumps(results, indent=2))
    print(f"\nfigures: {args.report}")
    subjects.remove(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
