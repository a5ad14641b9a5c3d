"""`make bench` prints each process's peak memory and their sum, against the targets."""

from __future__ import annotations

import argparse
import os

from bot.bench import processes
from bot.bench.__main__ import peak_memory, report

FIGURES = {"p50_ms": 20.0, "p95_ms": 30.0, "p99_ms": 40.0, "turns": 10, "unanswered": 0,
           "answered_per_second": 50.0}


def test_each_process_peak_and_their_sum_are_printed(capsys):
    ours = {"single_user": FIGURES, "concurrent": {"50": FIGURES}, "first_answer_seconds": 10.0,
            "training_seconds": 100.0, "peak_rss_mb": {"launcher": 20, "rasa-5705": 300, "actions": 50}}
    report(ours, None, argparse.Namespace(soak=0))
    # label: (Kalasag's figure, the verdict or the line's last word)
    rows = {line[:40].strip(): (line[40:50].strip(), line.split()[-1])
            for line in capsys.readouterr().out.splitlines() if line.strip()}
    assert rows["peak RSS, Rasa server, MB"] == ("300.0", "met")
    assert rows["peak RSS, launcher, MB"][0] == "20.0" and rows["peak RSS, actions, MB"][0] == "50.0"
    assert rows["peak RSS, all processes, MB"] == ("370.0", "met")


def test_the_launcher_is_measured_without_its_servers():
    me = os.getpid()
    assert peak_memory({"launcher": me}) == {"launcher": round(processes.peak_rss_mb(me, children=False))}
    assert peak_memory({"launcher": me})["launcher"] > 0
