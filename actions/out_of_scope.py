from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies
from actions.context import resolve


class ActionOutOfScope(Action):
    """Kindly say what the bot covers, and show its topics."""

    def name(self) -> str:
        return "action_out_of_scope"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        replies.menu(dispatcher, ctx, intro_key="out_of_scope")
        item = {"kind": "fallback", "reason": "out_of_scope", "suggestions": []}
        dispatcher.utter_message(json_message=item)
        return ctx.events
