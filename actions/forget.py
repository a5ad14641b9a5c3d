from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.context import resolve


class ActionForget(Action):
    """"Forget me": the tracker store deletes the conversation when it sees this action
    (bot/stores/tracker_store.py), so nothing of it is kept after this reply."""

    def name(self) -> str:
        return "action_forget"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        dispatcher.utter_message(text=ctx.catalog.message("forget_done", ctx.language))
        dispatcher.utter_message(json_message={"kind": "forgotten"})
        return []
