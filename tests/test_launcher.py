"""How the launcher starts Rasa: the widget's CORS allowlist, never "*"."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot import launcher, settings


def test_allowed_origins_become_rasas_cors_list(monkeypatch):
    monkeypatch.setenv("KALASAG_ALLOWED_ORIGINS", "https://school.example.org/, *, https://b.example")
    config = settings.load()
    assert config.allowed_origins == ("https://school.example.org", "https://b.example")
    bot = launcher.Bot(config, Path("model.tar.gz"))
    rasa = bot.commands()[1]
    bot.stop()  # removes the endpoints file it wrote
    assert rasa[rasa.index("--cors") + 1:rasa.index("--cors") + 3] == list(config.allowed_origins)


def test_without_an_allowlist_no_origin_is_allowed():
    bot = launcher.Bot(replace(settings.load(), allowed_origins=()), Path("model.tar.gz"))
    assert "--cors" not in bot.commands()[1]
    bot.stop()
