"""Start the action server and the Rasa servers, wait until all answer, stop them all.

One Rasa server in the embedded profile; in the scale profile `KALASAG_REPLICAS` of them
on consecutive ports from `KALASAG_RASA_PORT`, sharing PostgreSQL and Redis (a load
balancer goes in front of them in a deployment: deploy/). `make run` uses this in the
foreground; `make eval`, `make bench` and the end-to-end tests bring up bots of their own.
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
from bot.stores.database import ensure_database

STOP_GRACE_SECONDS = 10


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def rest_url(config: Settings) -> str:
    return config.rest_url


def rest_urls(config: Settings) -> list[str]:
    """The REST channel of every replica."""
    return [f"http://{config.host}:{port}/webhooks/rest/webhook" for port in config.rasa_ports]


def is_up(config: Settings) -> bool:
    return _answers(f"{config.action_url}/health") and all(
        _answers(f"http://{config.host}:{port}/webhooks/rest/") for port in config.rasa_ports
    )


class Bot:
    """The server processes, as a context manager."""

    def __init__(
        self, config: Settings, model: Path, log: IO[str] | None = None, env: dict[str, str] | None = None
    ):
        self.config = config
        self.model = model
        self.log = log
        self.env = env or {}
        self.processes: dict[str, subprocess.Popen] = {}
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

    def rasa_command(self, port: int) -> list[str]:
        command = [
            sys.executable, "-m", "bot.server", "run",  # Rasa's `rasa run`, without TensorFlow
            "--model", str(self.model),
            "--port", str(port),
            "--credentials", "credentials.yml",
            "--endpoints", str(self.endpoints()),
        ]
        if self.config.rasa_api_token:
            command += ["--enable-api", "--auth-token", self.config.rasa_api_token]
        if self.config.allowed_origins:  # schools' pages that embed the widget; never "*"
            command += ["--cors", *self.config.allowed_origins]
        return command

    def commands(self) -> dict[str, list[str]]:
        """Each process by name: `actions`, then `rasa-<port>` for every replica."""
        # rasa_sdk's own command, as `rasa run actions` ends up calling, without Rasa's CLI.
        actions = [sys.executable, "-m", "rasa_sdk",
                   "--port", str(self.config.action_port), "--actions", "actions"]
        return {"actions": actions, **{f"rasa-{p}": self.rasa_command(p) for p in self.config.rasa_ports}}

    def environment(self) -> dict[str, str]:
        env = dict(
            os.environ,
            RASA_TELEMETRY_ENABLED="false",
            PYTHONPATH=str(self.config.root),
            KALASAG_RASA_PORT=str(self.config.rasa_port),
            KALASAG_ACTION_PORT=str(self.config.action_port),
            **self.config.store_env(),
        )
        if self.config.workers > 1:  # Rasa allows them only with a shared lock store
            env["SANIC_WORKERS"] = str(self.config.workers)
        return {**env, **self.env}

    def spawn(self, name: str) -> None:
        """Start one process (again, if it was stopped)."""
        self.processes[name] = subprocess.Popen(
            self.commands()[name],
            cwd=self.config.root,
            env=self.environment(),
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
            # Own process group: Ctrl-C reaches us, and we stop the children.
            start_new_session=True,
        )

    def launch(self) -> None:
        """Start every process; return at once."""
        self.config.check()
        ensure_database(self.environment()["TRACKER_STORE_URL"])
        for name in self.commands():
            self.spawn(name)

    def start(self, timeout: float = 180) -> None:
        """Start every process and wait until all of them answer."""
        self.launch()
        deadline = time.monotonic() + timeout
        while not is_up(self.config):
            if self.exited():
                self.stop()
                raise RuntimeError(f"a bot process exited while starting{self._log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"the bot did not answer within {timeout:.0f} s")
            time.sleep(0.5)

    def _log_tail(self, lines: int = 30) -> str:
        """The end of the servers' log, when it went to a file; else where to look."""
        name = getattr(self.log, "name", None)
        if not isinstance(name, str) or not os.path.exists(name):
            return "; see its log above"
        self.log.flush()
        with open(name, errors="replace") as log:
            return ":\n" + "".join(log.readlines()[-lines:])

    def start_bridge(self, name: str = "telegram") -> None:
        """A bridge (`telegram` or `messenger`), in front of the running bot."""
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "bot", name], cwd=self.config.root,
            env=self.environment(), start_new_session=True,
        )

    def exited(self) -> bool:
        return any(p.poll() is not None for p in self.processes.values())

    def kill(self, name: str) -> None:
        """Kill one process at once, as a crash would (SIGKILL, no clean-up)."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        processes = list(self.processes.values())
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in processes:
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
        if config.messenger_enabled:
            bot.start_bridge("messenger")
        messenger = "off (set MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN)"
        if config.messenger_enabled:
            messenger = f"http://{config.host}:{config.messenger_webhook_port}/webhooks/messenger"
        replicas = "" if config.replicas == 1 else f" (+{config.replicas - 1} replicas on the next ports)"
        print(
            f"\nKalasag is running ({config.profile} profile).\n"
            f"  chat in your browser: {config.rasa_url}/chat/\n"
            f"  REST channel:         {rest_url(config)}{replicas}\n"
            f"  action server:        {config.action_url}\n"
            f"  Telegram bridge:      {'on' if config.telegram_token else 'off (set TELEGRAM_BOT_TOKEN)'}\n"
            f"  Messenger bridge:     {messenger}\n"
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
