"""How the launcher starts Rasa: the widget's CORS allowlist (never "*"), the profiles."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot import launcher, settings


def test_allowed_origins_become_rasas_cors_list(monkeypatch):
    monkeypatch.setenv("KALASAG_ALLOWED_ORIGINS", "https://school.example.org/, *, https://b.example")
    config = settings.load()
    assert config.allowed_origins == ("https://school.example.org", "https://b.example")
    bot = launcher.Bot(config, Path("model.tar.gz"))
    rasa = bot.commands()[f"rasa-{config.rasa_port}"]
    bot.stop()  # removes the endpoints file it wrote
    assert rasa[rasa.index("--cors") + 1:rasa.index("--cors") + 3] == list(config.allowed_origins)


def test_without_an_allowlist_no_origin_is_allowed():
    config = replace(settings.load(), allowed_origins=())
    bot = launcher.Bot(config, Path("model.tar.gz"))
    assert "--cors" not in bot.commands()[f"rasa-{config.rasa_port}"]
    bot.stop()


def test_the_embedded_profile_is_one_server_with_sqlite_and_a_memory_lock(monkeypatch):
    for name in ("KALASAG_PROFILE", "TRACKER_STORE_URL", "LOCK_STORE_URL", "KALASAG_REPLICAS"):
        monkeypatch.delenv(name, raising=False)
    config = settings.load()
    bot = launcher.Bot(config, Path("model.tar.gz"))
    assert list(bot.commands()) == ["actions", f"rasa-{config.rasa_port}"]
    env = bot.environment()
    assert env["TRACKER_STORE_URL"].startswith("sqlite:///") and env["LOCK_STORE_URL"] == "memory://"
    assert "SANIC_WORKERS" not in env
    config.check()


def test_the_scale_profile_starts_replicas_on_shared_stores(monkeypatch):
    monkeypatch.setenv("KALASAG_PROFILE", "scale")
    monkeypatch.setenv("KALASAG_REPLICAS", "3")
    monkeypatch.setenv("KALASAG_WORKERS", "2")
    monkeypatch.delenv("TRACKER_STORE_URL", raising=False)
    monkeypatch.setenv("LOCK_STORE_URL", "redis://cache.internal:6379/4")  # a variable wins
    config = settings.load()
    bot = launcher.Bot(config, Path("model.tar.gz"))
    assert list(bot.commands()) == ["actions", *(f"rasa-{config.rasa_port + i}" for i in range(3))]
    env = bot.environment()
    assert env["TRACKER_STORE_URL"].startswith("postgresql://")
    assert env["LOCK_STORE_URL"] == "redis://cache.internal:6379/4"
    assert env["SANIC_WORKERS"] == "2"
    config.check()


@pytest.mark.parametrize("env", [
    {"KALASAG_REPLICAS": "2"},  # embedded: SQLite and a lock in memory
    {"KALASAG_WORKERS": "2"},
    {"KALASAG_PROFILE": "scale", "TRACKER_STORE_URL": "sqlite:///one-file.db"},
    {"KALASAG_PROFILE": "scale", "LOCK_STORE_URL": "memory://"},
])
def test_replicas_without_shared_stores_are_refused(monkeypatch, env):
    for name in ("KALASAG_PROFILE", "TRACKER_STORE_URL", "LOCK_STORE_URL", "KALASAG_REPLICAS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError):
        settings.load().check()


def test_an_unknown_profile_is_refused(monkeypatch):
    monkeypatch.setenv("KALASAG_PROFILE", "cluster")
    with pytest.raises(ValueError, match="KALASAG_PROFILE"):
        settings.load()


def imported(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `code`."""
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
                         cwd=settings.ROOT, capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


def test_the_launcher_imports_nothing_it_does_not_run():
    """It only starts processes: Rasa, its stacks and our NLU load in the servers."""
    assert not imported("import bot.__main__, bot.launcher, bot.training") & {
        "rasa", "rasa_sdk", "tensorflow", "numpy", "sklearn", "sqlalchemy", "sanic"}


def test_the_action_server_runs_without_rasa():
    """rasa_sdk's own command, and our actions import nothing of Rasa's server (~80 MB)."""
    bot = launcher.Bot(settings.load(), Path("model.tar.gz"))
    assert bot.commands()["actions"][1:3] == ["-m", "rasa_sdk"]
    bot.stop()
    loaded = imported("import importlib, pkgutil, actions, rasa_sdk.endpoint\n"
                      "for m in pkgutil.iter_modules(actions.__path__):\n"
                      "    importlib.import_module(f'actions.{m.name}')")
    assert "rasa_sdk" in loaded and not loaded & {"rasa", "tensorflow", "sqlalchemy"}
