"""A Rasa server takes no traffic until it has its model and our tracker store: Rasa
quietly falls back to a store in its own memory when ours cannot be loaded."""

from __future__ import annotations

from types import SimpleNamespace

from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore

from bot.channels.rest import unready
from bot.stores.tracker_store import PrivateTrackerStore


def agent(ready: bool, store) -> SimpleNamespace:
    return SimpleNamespace(is_ready=lambda: ready, tracker_store=store)


def test_readiness(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    ours = PrivateTrackerStore()
    assert unready(None) == "starting"
    assert unready(agent(False, FailSafeTrackerStore(ours))) == "starting"
    assert unready(agent(True, FailSafeTrackerStore(InMemoryTrackerStore(None)))) == "misconfigured"
    assert unready(agent(True, FailSafeTrackerStore(ours))) is None
    assert unready(agent(True, ours)) is None  # after bot/channels/turns.py unwrapped it
