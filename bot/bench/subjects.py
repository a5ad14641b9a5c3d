"""The two bots `make bench` compares, each trained from cold and started the same way:
Kalasag (with its action server and its store), and Rasa's own starter bot as
`rasa init --no-prompt` makes it (default pipeline and policies, in-memory store)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from bot import launcher
from bot.bench import processes
from bot.settings import PROFILES, Settings

# A parent's conversation; and the starter bot's own (its "mood" examples).
KALASAG_SCRIPT = [
    "hi",
    "what is grooming",
    "how do i know if someone online is grooming my child",
    "my son is being blackmailed with a photo, what do we do",
    "who can help in the philippines",
    "is it safe to let my 10 year old play roblox",
    "how do i report a video of a child being abused",
    "thanks",
]
STARTER_SCRIPT = ["hi", "I am sad", "yes", "great", "hello", "very bad", "no", "bye"]
FIRST_ANSWER_TIMEOUT = 300


@dataclass
class Subject:
    """A bot under test, started."""

    name: str
    key: str  # in results/bench.json
    urls: list[str]
    script: list[str]
    pids: dict[str, int]  # role -> pid, for memory
    training_seconds: float
    first_answer_seconds: float
    stop: object = field(repr=False)


def _quiet_env(**extra: str) -> dict[str, str]:
    return dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", **extra)


def _answers(url: str, text: str) -> bool:
    body = json.dumps({"sender": f"bench-{uuid.uuid4().hex}", "message": text}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            reply = json.load(response)
    except (urllib.error.URLError, OSError, ValueError):
        return False
    return isinstance(reply, list) and bool(reply) and not any(
        (m.get("custom") or {}).get("kind") == "error" for m in reply
    )


def wait_for_first_answer(url: str, text: str, since: float, alive) -> float:
    """Seconds from `since` until `url` answers `text` with a proper reply."""
    while not _answers(url, text):
        if not alive():
            raise RuntimeError(f"the bot at {url} stopped while starting")
        if time.perf_counter() - since > FIRST_ANSWER_TIMEOUT:
            raise TimeoutError(f"no answer from {url} within {FIRST_ANSWER_TIMEOUT} s")
        time.sleep(0.05)
    return time.perf_counter() - since


def train_kalasag(config: Settings, out: Path, log: IO[str]) -> tuple[Path, float]:
    """`rasa train` of this project with an empty cache: what a fresh clone costs."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rasa", "train", "--fixed-model-name", "kalasag-bench", "--out", str(out)],
        cwd=config.root, env=_quiet_env(RASA_CACHE_DIRECTORY=str(out / "cache"), PYTHONPATH=str(config.root)),
        stdout=log, stderr=subprocess.STDOUT, check=True,
    )
    return out / "kalasag-bench.tar.gz", time.perf_counter() - start


def start_kalasag(config: Settings, model: Path, training_seconds: float, log: IO[str],
                  env: dict[str, str]) -> Subject:
    """`python -m bot run`, as `make run` starts it: the launcher and its servers."""
    environment = dict(
        _quiet_env(PYTHONPATH=str(config.root), KALASAG_RATE_LIMIT="1000000"), **config.store_env(),
        KALASAG_PROFILE=config.profile, KALASAG_RASA_PORT=str(config.rasa_port),
        KALASAG_ACTION_PORT=str(config.action_port), KALASAG_REPLICAS="1",
        KALASAG_WORKERS=str(config.workers), **env)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--model", str(model)], cwd=config.root,
                               env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    pids = {"launcher": process.pid}

    def stop() -> None:  # the launcher stops its servers on SIGTERM
        process.terminate()
        try:
            process.wait(timeout=launcher.STOP_GRACE_SECONDS + 10)
        except subprocess.TimeoutExpired:
            for pid in processes.tree(process.pid)[::-1]:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            process.wait()

    try:
        first = wait_for_first_answer(launcher.rest_url(config), KALASAG_SCRIPT[1], start,
                                      lambda: process.poll() is None)
    except Exception:
        stop()
        raise
    for pid in processes.tree(process.pid):
        name = processes.role(pid)
        if name:
            pids.setdefault(name, pid)
    return Subject("Kalasag", "kalasag", launcher.rest_urls(config), KALASAG_SCRIPT, pids, training_seconds,
                   first, stop)


def build_starter(folder: Path, log: IO[str]) -> tuple[Path, float]:
    """`rasa init --no-prompt`: Rasa's starter bot, scaffolded and trained (cold cache)."""
    folder.mkdir(parents=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(folder)],
        cwd=folder.parent, env=_quiet_env(RASA_CACHE_DIRECTORY=str(folder.parent / "starter-cache")),
        stdout=log, stderr=subprocess.STDOUT, check=True,
    )
    seconds = time.perf_counter() - start
    [model] = sorted((folder / "models").glob("*.tar.gz"))
    return model, seconds


def start_starter(folder: Path, model: Path, port: int, training_seconds: float, log: IO[str],
                  env: dict[str, str]) -> Subject:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "rasa", "run", "--model", str(model), "--port", str(port)],
        cwd=folder, env=_quiet_env(**env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://localhost:{port}/webhooks/rest/webhook"

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    try:
        first = wait_for_first_answer(url, STARTER_SCRIPT[0], start, lambda: process.poll() is None)
    except Exception:
        stop()
        raise
    pids = {"rasa": process.pid}
    return Subject("Rasa starter", "starter", [url], STARTER_SCRIPT, pids, training_seconds, first, stop)


def bench_settings(config: Settings, port: int, action_port: int, folder: Path, profile: str,
                   workers: int) -> Settings:
    """This project's settings on the bench's own ports and stores, so that a bot already
    running is left alone: a SQLite file in the bench folder, or PostgreSQL database
    `kalasag_bench` and Redis database 2 beside the scale profile's own."""
    ports = {"rasa_port": port, "action_port": action_port, "workers": workers, "replicas": 1}
    if profile == "embedded":
        return replace(config, **ports, profile="embedded", lock_store_url="memory://",
                       tracker_store_url=f"sqlite:///{folder / 'tracker.db'}")
    scale = PROFILES["scale"]
    return replace(config, **ports, profile="scale",
                   tracker_store_url=scale["TRACKER_STORE_URL"].rsplit("/", 1)[0] + "/kalasag_bench",
                   lock_store_url=scale["LOCK_STORE_URL"].rsplit("/", 1)[0] + "/2")


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
