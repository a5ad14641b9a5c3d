from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import replies, selection
from actions.context import resolve


class ActionFallback(Action):
    """The model is not confident about the message: never guess an answer."""

    def name(self) -> str:
        return "action_fallback"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        ctx = resolve(tracker)
        ranked = selection.ranking(tracker.latest_message or {})
        replies.fallback(dispatcher, ctx, "unsure", selection.suggestions(ranked))
        return ctx.events
