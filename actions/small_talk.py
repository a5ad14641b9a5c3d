from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import resolve

# Intent -> the message that answers it.
REPLIES = {"thanks": "thanks", "goodbye": "goodbye"}


class ActionSmallTalk(Action):
    """Short courtesy replies (thanks, goodbye) from the reviewed messages."""

    def name(self) -> str:
        return "action_small_talk"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        dispatcher.utter_message(text=ctx.catalog.message(REPLIES.get(intent, "thanks"), ctx.language))
        return ctx.events
