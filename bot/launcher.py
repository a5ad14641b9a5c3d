"""Start the action server and the Rasa server, wait until both answer, stop both.

`make run` uses this in the foreground; `make eval` and the end-to-end tests use
it to bring up a real bot of their own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

import yaml

from bot.settings import Settings

STOP_GRACE_SECONDS = 10


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def rest_url(config: Settings) -> str:
    return f"{config.rasa_url}/webhooks/rest/webhook"


def is_up(config: Settings) -> bool:
    return _answers(f"{config.rasa_url}/webhooks/rest/") and _answers(f"{config.action_url}/health")


class Bot:
    """The two server processes, as a context manager."""

    def __init__(
        self, config: Settings, model: Path, log: IO[str] | None = None, env: dict[str, str] | None = None
    ):
        self.config = config
        self.model = model
        self.log = log
        self.env = env or {}
        self.processes: list[subprocess.Popen] = []
        self._endpoints: Path | None = None

    def endpoints(self) -> Path:
        """endpoints.yml, pointed at this bot's action server port."""
        if self._endpoints is None:
            data = yaml.safe_load((self.config.root / "endpoints.yml").read_text())
            data["action_endpoint"]["url"] = f"{self.config.action_url}/webhook"
            handle, name = tempfile.mkstemp(prefix="kalasag-endpoints-", suffix=".yml")
            with os.fdopen(handle, "w") as out:
                yaml.safe_dump(data, out)
            self._endpoints = Path(name)
        return self._endpoints

    def commands(self) -> list[list[str]]:
        python = [sys.executable, "-m", "rasa"]
        rasa = python + [
            "run",
            "--model", str(self.model),
            "--port", str(self.config.rasa_port),
            "--credentials", "credentials.yml",
            "--endpoints", str(self.endpoints()),
        ]
        if self.config.rasa_api_token:
            rasa += ["--enable-api", "--auth-token", self.config.rasa_api_token]
        if self.config.allowed_origins:  # schools' pages that embed the widget; never "*"
            rasa += ["--cors", *self.config.allowed_origins]
        actions = python + ["run", "actions", "--port", str(self.config.action_port), "--actions", "actions"]
        return [actions, rasa]

    def start(self, timeout: float = 180) -> None:
        env = dict(
            os.environ,
            RASA_TELEMETRY_ENABLED="false",
            PYTHONPATH=str(self.config.root),
            KALASAG_RASA_PORT=str(self.config.rasa_port),
            KALASAG_ACTION_PORT=str(self.config.action_port),
            **self.env,
        )
        for command in self.commands():
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=self.config.root,
                    env=env,
                    stdout=self.log,
                    stderr=subprocess.STDOUT if self.log else None,
                    # Own process group: Ctrl-C reaches us, and we stop the children.
                    start_new_session=True,
                )
            )
        deadline = time.monotonic() + timeout
        while not is_up(self.config):
            if self.exited():
                self.stop()
                raise RuntimeError("a bot process exited while starting; see its log above")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the bot did not answer within {timeout:.0f} s")
            time.sleep(0.5)

    def start_bridge(self) -> None:
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "bot", "telegram"], cwd=self.config.root,
                env=dict(os.environ, PYTHONPATH=str(self.config.root)), start_new_session=True,
            )
        )

    def exited(self) -> bool:
        return any(p.poll() is not None for p in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        if self._endpoints:
            self._endpoints.unlink(missing_ok=True)
            self._endpoints = None

    def __enter__(self) -> Bot:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def serve_forever(config: Settings, model: Path) -> int:
    """Run in the foreground until Ctrl-C or until a process dies."""
    bot = Bot(config, model)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        print("starting the action server and the Rasa server ...", flush=True)
        bot.start()
        if config.telegram_token:  # the Telegram bridge, once the bot answers
            bot.start_bridge()
        print(
            f"\nKalasag is running.\n"
            f"  chat in your browser: {config.rasa_url}/chat/\n"
            f"  REST channel:         {rest_url(config)}\n"
            f"  action server:        {config.action_url}\n"
            f"  Telegram bridge:      {'on' if config.telegram_token else 'off (set TELEGRAM_BOT_TOKEN)'}\n"
            f"Press Ctrl-C to stop.\n",
            flush=True,
        )
        while not bot.exited():
            time.sleep(0.5)
        print("a bot process stopped unexpectedly; stopping the rest", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
        return 0
    finally:
        bot.stop()
