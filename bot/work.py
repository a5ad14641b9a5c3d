"""Counts of the work this server's turns have done, for operators (the REST channel's
health answer shows them) and for tests: a count, unlike a time, does not move with the
machine's load, so a test can show that a turn's cost stays flat as a conversation grows.
Counts only: nothing about who sent what."""

from __future__ import annotations

from collections import Counter

TURNS = "turns"
EVENTS_READ = "events_read"  # events read back from the tracker store and deserialised
EVENTS_PREDICTED_ON = "events_predicted_on"  # events in the trackers the policies were run on
EVENTS_SENT_TO_ACTIONS = "events_sent_to_actions"  # events in the trackers sent to the action server

_counts: Counter[str] = Counter()


def add(name: str, amount: int = 1) -> None:
    _counts[name] += amount


def counts() -> dict[str, int]:
    return {name: _counts[name] for name in (TURNS, EVENTS_READ, EVENTS_PREDICTED_ON, EVENTS_SENT_TO_ACTIONS)}
