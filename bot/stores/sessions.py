"""Bounded sessions, so that a turn costs the same at turn 500 as at turn 1.

Rasa reads, replays and featurizes the whole current session every turn, and sends it to
the action server; a session only ends after an hour of silence. On stock Rasa 3.6 a turn
takes 20 ms at turn 10 and 1.85 s at turn 300. Here, once a session holds more than
MAX_SESSION_EVENTS events, the turn being saved starts a new session, laid out exactly as
Rasa lays out an expired one: `action_session_start`, `session_started`, the slots carried
over, `action_listen`, then the turn. The tracker stores read only the latest session.

Nothing the dialogue needs is lost: every rule looks at one turn only (data/rules/), and
what spans turns (audience, language, country, the last topic) lives in slots.
"""

from __future__ import annotations

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

# About six turns; a turn is 6-12 events (user, action, replies, slots, listen).
MAX_SESSION_EVENTS = 50


def current_session(events: list[Event]) -> list[Event]:
    """The events from the latest `session_started` on (all of them if there is none)."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            return events[index:]
    return events


def capped(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """The tracker, with a new session opened before its latest turn if the current
    session has grown past the cap."""
    events = list(tracker.events)
    session = current_session(events)
    if len(session) <= MAX_SESSION_EVENTS:
        return tracker
    turn = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), None)
    if turn is None or turn <= len(events) - len(session):
        return tracker  # the session is this one turn: nothing to cut
    before = DialogueStateTracker.from_events(tracker.sender_id, events[:turn], slots=tracker.slots.values())
    at = events[turn].timestamp
    opening: list[Event] = [
        ActionExecuted(ACTION_SESSION_START_NAME, timestamp=at - 1e-6),
        SessionStarted(timestamp=at),
        *(SlotSet(slot.name, slot.value, timestamp=at)
          for slot in before.slots.values() if slot.value != slot.initial_value),
        ActionExecuted(ACTION_LISTEN_NAME, timestamp=at),
    ]
    return DialogueStateTracker.from_events(
        tracker.sender_id, events[:turn] + opening + events[turn:], slots=tracker.slots.values(),
        max_event_history=tracker._max_event_history,
    )
