"""Action tests run real actions on trackers recorded from a real bot
(tests/actions/record_trackers.py) and assert on ids, never on wording."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import catalog

TRACKERS = Path(__file__).parent / "trackers"


class Outcome:
    def __init__(self, messages: list[dict[str, Any]], events: list[dict[str, Any]]):
        self.messages = messages
        self.events = events

    @property
    def items(self) -> list[dict[str, Any]]:
        """The structured reply-contract items (custom payloads)."""
        return [m["custom"] for m in self.messages if m.get("custom")]

    def item(self, kind: str) -> dict[str, Any]:
        found = [i for i in self.items if i.get("kind") == kind]
        assert len(found) == 1, f"expected one {kind} item, got {self.items}"
        return found[0]

    @property
    def texts(self) -> list[str]:
        return [m["text"] for m in self.messages if m.get("text")]

    @property
    def payloads(self) -> list[str]:
        return [b["payload"] for m in self.messages for b in m.get("buttons") or []]

    @property
    def slots(self) -> dict[str, Any]:
        return {e["name"]: e["value"] for e in self.events if e.get("event") == "slot"}

    def said(self, key: str, language: str = "en", **params: str) -> bool:
        """Whether the reply used the reviewed message `key` (whatever its wording)."""
        wanted = catalog().message(key, language, **params)
        return any(wanted in text for text in self.texts)


def load_tracker(name: str) -> Tracker:
    return Tracker.from_dict(json.loads((TRACKERS / f"{name}.json").read_text()))


@pytest.fixture
def recorded():
    return load_tracker


@pytest.fixture
def run():
    def _run(action: Action, tracker: str | Tracker) -> Outcome:
        """Run `action` on a recorded tracker (by name) or on a tracker built from one."""
        dispatcher = CollectingDispatcher()
        tracker = load_tracker(tracker) if isinstance(tracker, str) else tracker
        events = action.run(dispatcher, tracker, {})
        return Outcome(dispatcher.messages, events)

    return _run
